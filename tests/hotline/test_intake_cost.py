"""What one API intake costs the database (issue 19 item 4), pinned so it cannot silently grow back: one
transaction (one commit) for the ticket, its number, access code, clock, audit rows and outbox rows; the SMS
are handed to the RQ worker after the commit, as in production (REDIS_URL set). The 201 is made from what was
written, not read back: it must equal the ticket a later GET reads from the database, for every shape of intake."""
import contextlib

import pytest
from redis import Redis

from core.auth.models import LookupCode
from core.extensions import db
from core.notifications.models import Notification
from hotline.cti_models import Call
from hotline.models import Ticket
from tests.conftest import at, pinned
from tests.hotline.test_cti import PBX, event

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "content": "夜间施工噪声",
        "address": "亭湖区某路 1 号"}
# Statements of one POST /api/v1/tickets by a known token, warm (the calendar already cached): token with
# its user 1, category 1, INSERT ticket 1 (its id makes the number), SLA rules 1, calendar version 1 (neither read
# flushes), then the flush of the clock (it needs the clock's id for its audit row): the ticket's audit row, the
# clock, the number 3; at the commit the clock's audit row, the access code, the two outbox rows in one INSERT,
# the roll-up day 4 = 12 in the transaction; the answer is made from the rows written (core/db.py keep_written),
# nothing read back. On SQLite the two outbox rows are two INSERTs: its RETURNING promises no row order, so
# SQLAlchemy does not batch inserts whose ids it must match to their rows.
STATEMENTS = {"postgresql": 12, "sqlite": 13}
COMMITS = 1


@pytest.fixture
def production_jobs(app, redis_url, monkeypatch):
    """Jobs go to Redis (the test's db) as in production, where a worker delivers them."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    return Redis.from_url(redis_url)


@contextlib.contextmanager
def counted():
    """SQL statements (first line of each; all of it under "full") and commits on the app's engine while inside."""
    seen = {"sql": [], "full": [], "commits": 0}

    def on_sql(conn, cursor, statement, params, context, executemany):
        seen["sql"].append(statement.split("\n")[0][:100])
        seen["full"].append(statement)

    def on_commit(conn):
        seen["commits"] += 1
    db.event.listen(db.engine, "before_cursor_execute", on_sql)
    db.event.listen(db.engine, "commit", on_commit)
    try:
        yield seen
    finally:
        db.event.remove(db.engine, "before_cursor_execute", on_sql)
        db.event.remove(db.engine, "commit", on_commit)


def test_one_api_intake_is_one_transaction_of_few_statements(api, production_jobs):
    from rq import Queue
    op = api("operator", login="op@x.cn")
    assert op.post("/tickets", CALL, now=at(2026, 11, 20, 10)).status_code == 201  # token used, calendar cached
    with counted() as seen:
        r = op.post("/tickets", {**CALL, "content": "第二张"}, now=at(2026, 11, 20, 10, 1))
    assert r.status_code == 201, r.get_json()
    expected = STATEMENTS[db.engine.dialect.name]
    assert (len(seen["sql"]), seen["commits"]) == (expected, COMMITS), "\n".join(seen["sql"])
    ticket = db.session.get(Ticket, r.get_json()["id"])
    assert ticket.number == f"RX-2026-{ticket.id:06d}"
    assert db.session.get(LookupCode, ("ticket", ticket.id)) is not None  # the caller's access code
    sent = Notification.query.filter_by(entity_kind="ticket", entity_id=str(ticket.id)).all()
    assert sorted(n.event for n in sent) == ["access_code", "ticket_accepted"]
    assert {n.status for n in sent} == {"pending"}  # the worker delivers them, not the request
    assert Queue("notifications", connection=production_jobs).count == 2  # one per ticket (its two SMS), enqueued


T = at(2026, 11, 20, 10, 5)
SHAPES = {
    "phone": {},
    "web, anonymous, confidential, with coordinates": {"channel": "web", "anonymous": True, "confidential": True,
                                                       "caller_name": "王五", "lat": 33.38, "lng": 120.16},
    "urgent, given its reception time": {"urgency": "urgent", "received_at": "2026-11-20T09:58:30+08:00"},
    "110 hand-over (a transfer row)": {"channel": "110", "handover_ref": "110-20261120-0007"},
    "no phone": {"caller_phone": ""},
}


def _get(client, caller, created):
    """The created ticket read afresh from the database at the same pinned time."""
    db.session.expire_all()
    with pinned(client.application, T):
        return client.get(f"/api/v1/tickets/{created.get_json()['id']}", headers=caller.headers)


@pytest.mark.parametrize("role", ["operator", "supervisor"])
@pytest.mark.parametrize("shape", SHAPES)
def test_the_201_equals_what_a_later_get_reads(api, client, role, shape):
    desk = api(role, login=f"{role}@x.cn")
    created = desk.post("/tickets", {**CALL, **SHAPES[shape]}, now=T)
    assert created.status_code == 201, created.get_json()
    shown = _get(client, desk, created)
    assert shown.status_code == 200 and created.get_json() == shown.get_json()
    assert created.get_json()["timeline"] and created.get_json()["clocks"]  # not equal by being empty


def test_the_201_of_a_call_and_of_a_retried_key_equal_a_later_get(api, client):
    with pinned(client.application, T):
        assert client.post("/api/v1/cti", json=event("newCall", "call-9"), headers=PBX).status_code < 300
    call = Call.query.filter_by(call_id="call-9").one()
    desk = api("operator", login="op@x.cn")
    with pinned(client.application, T):
        created = client.post("/api/v1/tickets", json={**CALL, "call_id": call.id},
                              headers={**desk.headers, "Idempotency-Key": "k-9"})
    assert created.status_code == 201, created.get_json()
    shown = _get(client, desk, created).get_json()
    assert created.get_json() == shown and [c["call_id"] for c in shown["calls"]] == ["call-9"]
    assert "call_linked" in [e["action"] for e in shown["timeline"]]


def test_the_201_of_a_call_hung_up_while_its_ticket_is_saved_equals_a_later_get(api, client, monkeypatch):
    """The console's save reads the call, then links it in one conditional UPDATE; a hangup event committed in
    between (another request) is in the row that UPDATE returns, and so in the 201: the answer never shows the
    call as it was before the save's own write."""
    from hotline import cti_console
    for name in ("newCall", "answer"):
        with pinned(client.application, T):
            assert client.post("/api/v1/cti", json=event(name, "call-7"), headers=PBX).status_code == 200
    call = Call.query.filter_by(call_id="call-7").one()
    assert call.status == "answered"
    desk = api("operator", login="op@x.cn")
    read = cti_console.call_for_link

    def then_hung_up(text):
        found = read(text)
        calls = Call.__table__
        with db.engine.begin() as other:  # the PBX's hangup, committed by another request meanwhile
            other.execute(calls.update().where(calls.c.id == found.id)
                          .values(status="ended", ended_at=T, cause="normalClearing"))
        return found
    monkeypatch.setattr(cti_console, "call_for_link", then_hung_up)
    created = desk.post("/tickets", {**CALL, "call_id": call.id}, now=T)
    assert created.status_code == 201, created.get_json()
    shown = _get(client, desk, created).get_json()
    assert [c["status"] for c in shown["calls"]] == ["ended"]
    assert created.get_json() == shown


# Statements of each event of one call from the telephone system (the caller rings extension 8001, where an
# operator is signed in), and of the console's save linked to it. An event reads the call's own row and the user
# ids signed in at its extensions, never a user, ticket or department row (the call's relationships load when read:
# before, each event read 145 columns of joined users, tickets and departments, and the link read them back).
# On SQLite one fewer each: no lock (it has one writer at a time already).
EVENT_STATEMENTS = {
    # lock, the call (none yet), INSERT call, its audit row, who is at the extensions rung
    "newCall": 5,
    # lock, the call, who is at the answering extension, the transition's audit row, one UPDATE, who to tell
    "answer": 6,
    # lock, the call, the audit row, one UPDATE, who to tell
    "hangup": 5,
}
LOCK = {"postgresql": 1, "sqlite": 0}
# the API intake's (above) + the call read by its id, its link (one conditional UPDATE, returning the row: no
# SELECT) and the link's audit row
LINKED_SAVE = {dialect: n + 3 for dialect, n in STATEMENTS.items()}


def test_a_call_s_events_and_its_linked_save_read_no_joined_rows(api, client, production_jobs):
    from hotline import cti_console
    from tests.conftest import make_user
    desk = api("operator", login="op@x.cn")
    assert desk.post("/tickets", CALL, now=T).status_code == 201  # token used, calendar cached
    cti_console.sign_in(make_user("operator", "op2@x.cn"), "8001", now=T)
    for warm in ("newCall", "answer", "hangup"):  # the token and the calendar in hand, as in a running service
        with pinned(client.application, T):
            client.post("/api/v1/cti", json=event(warm, "call-0", user=["8001"]), headers=PBX)
    for name in EVENT_STATEMENTS:
        with counted() as seen, pinned(client.application, T):
            resp = client.post("/api/v1/cti", json=event(name, "call-8", user=["8001"]), headers=PBX)
        assert resp.status_code == 200 and resp.get_json()["changed"], resp.get_json()
        lock = LOCK[db.engine.dialect.name]
        assert len(seen["sql"]) == EVENT_STATEMENTS[name] - 1 + lock, "\n".join(seen["sql"])
        read = [s for s in seen["full"] if s.lstrip().startswith("SELECT")]
        assert len(read) == 2 + lock + (name == "answer") and not [
            s for s in read if any(t in s for t in ("users", "tickets", "departments"))], read
    call = Call.query.filter_by(call_id="call-8").one()
    assert (call.status, call.extension) == ("ended", "8001") and call.user.email == "op2@x.cn"
    db.session.expunge(call)  # the request reads it, as a console's save in another process does
    with counted() as seen:
        created = desk.post("/tickets", {**CALL, "call_id": call.id}, now=T)
    assert created.status_code == 201, created.get_json()
    assert (len(seen["sql"]), seen["commits"]) == (LINKED_SAVE[db.engine.dialect.name], 1), "\n".join(seen["sql"])
    db.session.expire_all()
    assert Call.query.filter_by(call_id="call-8").one().ticket.number == created.get_json()["number"]
