"""Issue 21 item 2: hotline forms submit once (core/idempotency.py: submits_once and the one-time field) — the
citizen form, the operator console and a staff action sent twice with one token make one item, and the second
answer shows the first one's item with “已提交过”; a refused form keeps its token free for the corrected send."""
import re

from core.audit import AuditEvent
from core.extensions import db
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_app, make_user, pinned
from tests.hotline.helpers import CALL

NOON = at(2026, 11, 16, 12, 0)  # a Monday noon, as tests/hotline/test_console_details.py


def token_from(html):
    found = re.search(r'name="submission_token" value="([^"]+)"', html)
    assert found, "the form has no one-time submission token"
    return found.group(1)


def _twice(client, url, data):
    page = client.get(url).get_data(as_text=True)
    data = {**data, "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    return client.post(url, data=data), client.post(url, data=data)


def test_citizen_form_sent_twice_makes_one_ticket(client, hot):
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "caller_phone": "13800003333"}
    first, second = _twice(client, "/hotline/new", data)
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert Ticket.query.count() == 1
    assert "已提交过，显示的是已创建的内容" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_console_save_sent_twice_makes_one_ticket(app, desk):
    with pinned(app, NOON):
        first, second = _twice(desk, "/hotline/console", CALL)
        assert first.status_code == 302 and second.headers["Location"] == first.headers["Location"]
        assert Ticket.query.count() == 1


def test_refused_console_form_keeps_its_token_for_the_corrected_send(app, desk):
    with pinned(app, NOON):
        page = desk.get("/hotline/console").get_data(as_text=True)
        token = token_from(page)
        data = {**CALL, "csrf_token": csrf_from(page), "submission_token": token}
        refused = desk.post("/hotline/console", data={**data, "content": ""})
        assert refused.status_code == 400 and token_from(refused.get_data(as_text=True)) == token  # same form, same token
        assert desk.post("/hotline/console", data=data).status_code == 302
        assert desk.post("/hotline/console", data=data).status_code == 303
        assert Ticket.query.count() == 1


def test_staff_action_sent_twice_is_done_once(app, desk):
    with pinned(app, NOON):
        ticket_url = desk.post("/hotline/console", data={**CALL, "csrf_token": csrf_from(
            desk.get("/hotline/console").get_data(as_text=True))}).headers["Location"]
        t = Ticket.query.one()
        page = desk.get(ticket_url).get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "submission_token": token_from(page), "department": "sthjj"}
        first = desk.post(f"/hotline/tickets/{t.id}/dispatch", data=data)
        second = desk.post(f"/hotline/tickets/{t.id}/dispatch", data=data)
        assert first.status_code == 302 and second.status_code == 303  # not a 409 "already dispatched"
        assert AuditEvent.query.filter_by(entity_id=str(t.id), action="dispatch").count() == 1
        assert "已提交过" in desk.get(second.headers["Location"]).get_data(as_text=True)


def test_form_token_replayed_by_a_restarted_app(app, client, hot):
    """A signed-in citizen's token is theirs across processes: a second app on the same database (a restart, or
    another web node) answers the resend with the first one's ticket."""
    make_user("citizen", "c@x.cn")
    login(client, "c@x.cn")
    page = client.get("/hotline/new").get_data(as_text=True)
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "caller_phone": "13800003333",
            "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    first = client.post("/hotline/new", data=data)
    db.session.remove()
    again = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    with again.app_context():
        other = again.test_client()
        login(other, "c@x.cn")
        data["csrf_token"] = csrf_from(other.get("/hotline/new").get_data(as_text=True))
        second = other.post("/hotline/new", data=data)
        db.session.remove()
        engine = db.engine
    engine.dispose()
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"] and Ticket.query.count() == 1


def test_citizen_form_whose_answer_was_lost_is_not_sent_twice(client, hot):
    """A browser retry after a lost answer: the first answer's session cookie never arrived, so the retry comes with
    the cookie the form page set. The retry must still be this browser's submission (one ticket), and what it shows
    is the ticket created, not a 404."""
    page = client.get("/hotline/new").get_data(as_text=True)
    before = client.get_cookie("session").value
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "caller_phone": "13800003333",
            "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    first = client.post("/hotline/new", data=data)
    client.set_cookie("session", before)  # the answer (and its Set-Cookie) was lost on the way
    second = client.post("/hotline/new", data=data)
    assert Ticket.query.count() == 1
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert client.get(second.headers["Location"]).status_code == 200  # the retry shows the ticket it created


def test_form_token_of_another_session_shows_nothing_of_theirs(app, client, hot):
    """A token copied into another browser session is that session's own fresh submission: it creates its own ticket
    and is not sent to the first session's ticket (whose page it may not see)."""
    page = client.get("/hotline/new").get_data(as_text=True)
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "caller_phone": "13800003333",
            "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    first = client.post("/hotline/new", data=data)
    stranger = app.test_client()
    other = stranger.get("/hotline/new").get_data(as_text=True)
    second = stranger.post("/hotline/new", data={**data, "csrf_token": csrf_from(other)})
    assert second.status_code == 302 and second.headers["Location"] != first.headers["Location"]
    assert Ticket.query.count() == 2
    assert stranger.get(first.headers["Location"]).status_code == 404


def test_form_changed_after_going_back_is_a_submission_of_its_own(app, desk):
    """Back, edit, send again with the page's token: what was typed is never thrown away for the first one's page
    (the same fields again still show the first ticket)."""
    with pinned(app, NOON):
        page = desk.get("/hotline/console").get_data(as_text=True)
        data = {**CALL, "csrf_token": csrf_from(page), "submission_token": token_from(page)}
        first = desk.post("/hotline/console", data=data)
        edited = desk.post("/hotline/console", data={**data, "content": data["content"] + "（补充：夜间更严重）"})
        again = desk.post("/hotline/console", data=data)
        assert first.status_code == edited.status_code == 302 and again.status_code == 303
        assert again.headers["Location"] == first.headers["Location"] != edited.headers["Location"]
        assert sorted(t.content.endswith("夜间更严重）") for t in Ticket.query.all()) == [False, True]
