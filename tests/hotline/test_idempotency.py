"""Issue 21, safe to retry: the Idempotency-Key of /api/v1/tickets and Open311 (core/idempotency.py) — same key
twice → one ticket and the same answer; same key, other body → 422; a new app process on the same database
replays the key; parallel requests with one key (threads, PostgreSQL) → exactly one ticket."""
import threading

import pytest

from core.auth.service import create_token
from core.db import utcnow
from core.extensions import db
from core.idempotency import IdempotencyKey, purge_expired
from hotline.models import Ticket
from tests.conftest import at, make_app, make_user, pinned

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "夜间施工噪声", "received_at": "2026-11-20T09:00:00+08:00"}


@pytest.fixture
def operator(hot, now):
    user = make_user("operator", "op@x.cn")
    return {"Authorization": "Bearer " + create_token(user, now=now)[0]}


def _post(client, headers, body=CALL, key=None):
    extra = {"Idempotency-Key": key} if key is not None else {}
    with pinned(client.application, at(2026, 11, 20, 9, 5)):
        return client.post("/api/v1/tickets", json=body, headers={**headers, **extra})


def test_same_key_twice_one_ticket_same_answer(client, operator):
    first = _post(client, operator, key="k-1")
    second = _post(client, operator, key="k-1")
    assert first.status_code == second.status_code == 201
    assert second.get_data() == first.get_data() and second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Ticket.query.count() == 1
    assert _post(client, operator, key="k-2").get_json()["id"] != first.get_json()["id"]  # a new key: new work
    assert _post(client, operator).status_code == 201  # no key: as before
    assert Ticket.query.count() == 3


def test_same_key_other_body_is_422_and_keys_are_per_caller(client, operator, now):
    assert _post(client, operator, key="k").status_code == 201
    r = _post(client, operator, {**CALL, "content": "另一件事"}, key="k")
    assert r.status_code == 422 and r.get_json()["error"] == "unprocessable" and "Idempotency-Key" in r.get_json()["fields"]
    other = {"Authorization": "Bearer " + create_token(make_user("operator", "op2@x.cn"), now=now)[0]}
    assert _post(client, other, key="k").status_code == 201  # another caller's "k" is another key
    assert Ticket.query.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "带中文", "a b", "a\tb"])
def test_bad_keys_are_400_in_chinese(client, operator, key):
    r = _post(client, operator, key=key)
    assert r.status_code == 400 and r.get_json()["error"] == "invalid"
    assert "Idempotency-Key" in r.get_json()["message"] and Ticket.query.count() == 0


def test_a_refused_request_leaves_the_key_free(client, operator):
    assert _post(client, operator, {**CALL, "type": "rant"}, key="k").status_code == 400
    assert IdempotencyKey.query.count() == 0
    assert _post(client, operator, {**CALL, "type": "rant"}, key="k").status_code == 400  # not a 422: nothing kept
    assert _post(client, operator, key="k").status_code == 201 and Ticket.query.count() == 1


def test_key_replayed_by_a_restarted_app(client, operator, app):
    first = _post(client, operator, key="restart-1")
    db.session.remove()
    again = make_app(app.config["SQLALCHEMY_DATABASE_URI"])  # another process on the same database
    with again.app_context():
        second = _post(again.test_client(), operator, key="restart-1")
        db.session.remove()
        again_db = db.engine
    again_db.dispose()
    assert second.status_code == 201 and second.get_data() == first.get_data()
    assert Ticket.query.count() == 1


def test_keys_expire_after_24_hours(client, operator):
    assert _post(client, operator, key="k").status_code == 201
    row = IdempotencyKey.query.one()
    assert (row.expires_at - row.created_at).total_seconds() == 24 * 3600
    assert purge_expired(row.created_at) == 0 and purge_expired(row.expires_at) == 1
    assert _post(client, operator, key="k").status_code == 201 and Ticket.query.count() == 2


def test_an_expired_key_not_yet_purged_is_free_again(client, operator):
    assert _post(client, operator, key="k").status_code == 201
    assert _post(client, operator, key="k").headers["Idempotent-Replayed"] == "true"  # within 24 hours: replayed
    next_day = {"Authorization": operator["Authorization"]}
    with pinned(client.application, at(2026, 11, 21, 9, 6)):  # 24 hours and a minute later; the purge not run yet
        again = client.post("/api/v1/tickets", json=CALL, headers={**next_day, "Idempotency-Key": "k"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert Ticket.query.count() == 2
    db.session.expire_all()
    assert [r.created_at for r in IdempotencyKey.query.all()] == [at(2026, 11, 21, 9, 6)]  # the old row replaced


def test_parallel_requests_with_one_key_make_one_ticket(app, client, operator, backend):
    if backend[0] != "postgresql":
        pytest.skip("threads against one SQLite file prove nothing about the unique index")
    barrier, answers = threading.Barrier(6), []

    def send():
        with app.app_context():
            c = app.test_client()
            barrier.wait()
            answers.append(c.post("/api/v1/tickets", json=CALL, headers={**operator, "Idempotency-Key": "same"}))
            db.session.remove()
    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [201] * 6, [r.get_data(as_text=True) for r in answers]
    assert len({r.get_json()["id"] for r in answers}) == 1
    assert Ticket.query.count() == 1


def _open311(client, form, key):
    return client.post("/open311/v2/requests.json", data=form, headers={"Idempotency-Key": key})


def test_open311_same_key_one_ticket_other_body_422(client, hot, now):
    key = create_token(make_user("operator", "op@x.cn"), now=now)[0]
    form = {"api_key": key, "service_code": "030101", "address_string": "亭湖区某路 9 号",
            "attribute[noise_time]": "night", "description": "夜间施工"}
    first, second = _open311(client, form, "o-1"), _open311(client, form, "o-1")
    assert first.status_code == second.status_code == 200 and first.get_data() == second.get_data()
    assert Ticket.query.count() == 1
    r = _open311(client, {**form, "description": "白天施工"}, "o-1")
    assert r.status_code == 422 and r.get_json()[0]["code"] == 422
    r = _open311(client, form, "带 空格")
    assert r.status_code == 400 and "Idempotency-Key" in r.get_json()[0]["description"]
    assert utcnow() and Ticket.query.count() == 1


def test_every_post_of_the_api_and_open311_takes_the_key(app):
    """One rule for every creating POST: each POST route under /api/v1 (but the SMS and CTI webhooks, which carry
    their own message and call ids) and Open311's requests is wrapped by core/idempotency.py: idempotent."""
    posts = {r.endpoint: r.rule for r in app.url_map.iter_rules() if "POST" in r.methods
             and r.rule.startswith(("/api/v1", "/open311"))}
    unwrapped = {e: rule for e, rule in posts.items() if not getattr(app.view_functions[e], "idempotent", False)}
    assert set(unwrapped.values()) == {"/api/v1/cti", "/api/v1/sms/inbound"}
    assert len(posts) > 50 and "/open311/v2/requests.<fmt>" in posts.values()


def test_openapi_describes_the_key_and_its_answers_on_every_post(client):
    """An API partner reads the key's answers off /api/v1/openapi.json: on every POST that takes the header, the 400
    names a bad key, the 409 the key still in use (with its Retry-After header) even where the endpoint has its own
    409 of the state machine, the 422 the key used for another body, and a success answer its Idempotent-Replayed."""
    doc = client.get("/api/v1/openapi.json").get_json()
    posts = {path: item["post"] for path, item in doc["paths"].items() if "post" in item
             and "Idempotency-Key" in [p.get("name") for p in item["post"].get("parameters", [])]}
    assert len(posts) > 50
    for path, post in posts.items():
        answers = post["responses"]
        assert "Idempotency-Key" in answers["400"]["description"], path
        assert "Idempotency-Key" in answers["409"]["description"] and "Retry-After" in answers["409"]["headers"], path
        assert "Idempotency-Key" in answers["422"]["description"], path
        ok = [answers[s] for s in answers if s.startswith("2")]
        assert ok and all("Idempotent-Replayed" in a.get("headers", {}) for a in ok), path
