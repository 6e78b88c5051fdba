"""退单 reviewed by the 12345 centre (issue 16 item 3): the department's return pauses its clocks, 成立 sends
the ticket back to dispatch, 不成立 resumes the clocks where they stopped; the window; page and API."""
import pytest

from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.workflow import TransitionError
from hotline import handling, intake, reply, returns
from hotline.common import clock
from hotline.models import Return, Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def dep(code):
    return Department.query.filter_by(code=code).one()


def dispatched(signed=False):
    """A complaint dispatched to 住建局 on Monday 2026-11-16 09:30 (sign-for due 11:30, handling 11-30 09:30)."""
    t = intake.create_ticket(dict(CALL), channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                             actor="op")
    intake.dispatch(t, dep("zjj"), now=at(2026, 11, 16, 9, 30), actor="op")
    assert clock(t, "sign_for").due_at == at(2026, 11, 16, 11, 30)
    assert clock(t, "handling").due_at == at(2026, 11, 30, 9, 30)  # 10 working days
    if signed:
        handling.sign(t, now=at(2026, 11, 16, 9, 45), actor="s")
    return t


def test_return_waits_for_review_with_the_clocks_paused(hot):
    staff = make_user("staff", "s@x.cn", department="zjj")
    t = dispatched(signed=True)
    returns.request_return(t, reason="属街道职责", now=at(2026, 11, 16, 10, 0), actor=staff)
    assert t.status == "return_review" and t.status_label == "退单待审核"
    assert t.department.code == "zjj" and t.return_count == 0
    assert clock(t, "handling").state == "paused"
    r = returns.pending(t)
    assert (r.decision, r.reason, r.department.code, r.requested_at) == (None, "属街道职责", "zjj", at(2026, 11, 16, 10))
    with pytest.raises(TransitionError, match="已有退单正在等待"):
        returns.request_return(t, reason="再退", now=at(2026, 11, 16, 11, 0), actor=staff)
    assert Return.query.count() == 1


def test_rejected_return_resumes_the_clocks_where_they_stopped(hot):
    make_user("staff", "s@x.cn", department="zjj")
    t = dispatched(signed=True)
    returns.request_return(t, reason="属街道职责", now=at(2026, 11, 16, 10, 0), actor="s")
    with pytest.raises(ValidationError, match="不成立时请写明理由"):
        returns.review_return(t, upheld=False, note=" ", now=at(2026, 11, 16, 15, 0), actor="op")
    returns.review_return(t, upheld=False, note="噪声执法属住建局", now=at(2026, 11, 16, 15, 0), actor="op")
    assert t.status == "signed" and t.department.code == "zjj" and t.return_count == 0
    c = clock(t, "handling")
    # Returned at 10:00, reviewed at 15:00: 10:00–12:00 and 13:30–15:00 = 3.5 working hours not counted.
    assert c.state == "running" and c.due_at == at(2026, 11, 30, 14, 30)
    r = Return.query.one()
    assert (r.decision, r.note, r.decided_at) == ("rejected", "噪声执法属住建局", at(2026, 11, 16, 15))
    told = Notification.query.filter_by(event="return_rejected").all()
    assert told and "噪声执法属住建局" in told[0].body and "2026-11-30 14:30" in told[0].body
    with pytest.raises(TransitionError, match="不成立，不能再次退单"):
        returns.request_return(t, reason="还是不归我们", now=at(2026, 11, 16, 15, 30), actor="s")
    reply.reply(t, text="已处理", now=at(2026, 11, 30, 14, 0), actor="s")
    assert clock(t, "handling").on_time is True  # on time only thanks to the review time not being counted


def test_rejected_return_of_an_unsigned_ticket_resumes_sign_for(hot):
    t = dispatched()
    returns.request_return(t, reason="误派", now=at(2026, 11, 16, 10, 0), actor="s")
    assert clock(t, "sign_for").state == "paused" and clock(t, "handling").state == "paused"
    returns.review_return(t, upheld=False, note="职责明确", now=at(2026, 11, 16, 15, 0), actor="op")
    assert t.status == "dispatched"
    assert clock(t, "sign_for").due_at == at(2026, 11, 16, 16, 30)  # 1.5 h left at 10:00, from 15:00
    assert clock(t, "handling").due_at == at(2026, 11, 30, 14, 30)


def test_upheld_return_goes_back_to_dispatch_without_a_verdict(hot):
    t = dispatched()
    returns.request_return(t, reason="误派", now=at(2026, 11, 16, 10, 0), actor="s")
    returns.review_return(t, upheld=True, note="", now=at(2026, 11, 16, 15, 0), actor="op")
    assert t.status == "new" and t.department is None and t.return_count == 1 and t.return_deadline is None
    for name in ("sign_for", "handling"):
        assert clock(t, name).state == "stopped" and clock(t, name).stop_reason == "returned"
    assert (t.sign_verdicts, t.done_verdicts) == (0, 0)  # a justified return is not held against anybody
    d = clock(t, "dispatch")
    assert d.state == "running" and d.started_at == at(2026, 11, 16, 15) and d.due_at == at(2026, 11, 16, 17, 0)
    assert Return.query.one().decision == "upheld"
    with pytest.raises(TransitionError, match="没有待审核的退单"):
        returns.review_return(t, upheld=False, note="x", now=at(2026, 11, 16, 16, 0), actor="op")
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 16, 0), actor="op")
    assert t.department.code == "sthjj"


def test_overdue_sign_for_keeps_running_during_review(hot):
    t = dispatched()
    returns.request_return(t, reason="误派", now=at(2026, 11, 16, 14, 0), actor="s")  # sign-for was due 11:30
    assert clock(t, "sign_for").state == "running" and clock(t, "handling").state == "paused"
    returns.review_return(t, upheld=False, note="职责明确", now=at(2026, 11, 16, 15, 0), actor="op")
    assert clock(t, "sign_for").due_at == at(2026, 11, 16, 11, 30)  # still late: the return did not excuse it


def test_return_only_inside_the_configured_window(app, hot):
    t = dispatched()
    with pytest.raises(TransitionError, match="退单时限"):
        returns.request_return(t, reason="误派", now=at(2026, 11, 17, 9, 31), actor="s")
    with pytest.raises(ValidationError, match="退单理由"):
        returns.request_return(t, reason="  ", now=at(2026, 11, 17, 9, 0), actor="s")
    with pytest.raises(ValidationError, match="应为文字"):
        returns.request_return(t, reason=12, now=at(2026, 11, 17, 9, 0), actor="s")
    app.config["HOTLINE_RETURN_WINDOW_WORKDAYS"] = 2  # some provinces allow 2 working days
    try:
        t2 = dispatched()
        assert t2.return_deadline == at(2026, 11, 18, 9, 30)
        returns.request_return(t2, reason="误派", now=at(2026, 11, 17, 16, 0), actor="s")
        assert t2.status == "return_review"
    finally:
        app.config["HOTLINE_RETURN_WINDOW_WORKDAYS"] = 1


def test_return_and_review_through_the_api(api):
    op = api("operator", login="op@x.cn")
    staff = api("staff", "zjj", login="s@x.cn")
    tid = dispatched(signed=True).id
    # a back-dated entry does not reopen the window: done "at 09:00" but entered after 09:30
    r = staff.post(f"/tickets/{tid}/return", {"reason": "误派", "at": "2026-11-17T09:00:00+08:00"},
                   now=at(2026, 11, 17, 10, 0))
    assert r.status_code == 409 and "退单时限" in r.get_json()["message"]
    r = staff.post(f"/tickets/{tid}/return", {"reason": "误派", "at": "2026-11-16T10:00:00+08:00"},
                   now=at(2026, 11, 16, 10, 1))
    assert r.status_code == 200 and r.get_json()["status"] == "return_review"
    assert r.get_json()["returns"][0]["decision"] is None
    r = staff.post(f"/tickets/{tid}/return", {"reason": "再退"}, now=at(2026, 11, 16, 10, 5))
    assert r.status_code == 409
    assert staff.post(f"/tickets/{tid}/return-review", {"upheld": True}, now=at(2026, 11, 16, 11)).status_code == 403
    r = op.post(f"/tickets/{tid}/return-review", {"upheld": "no"}, now=at(2026, 11, 16, 15))
    assert r.status_code == 400 and "upheld" in r.get_json()["fields"]
    r = op.post(f"/tickets/{tid}/return-review", {"upheld": False, "note": 5}, now=at(2026, 11, 16, 15))
    assert r.status_code == 400 and "note" in r.get_json()["fields"]
    r = op.post(f"/tickets/{tid}/return-review", {"upheld": False}, now=at(2026, 11, 16, 15))
    assert r.status_code == 400 and r.get_json()["fields"]["note"] == "退单不成立时请写明理由"
    r = op.post(f"/tickets/{tid}/return-review", {"upheld": False, "note": "职责明确",
                                                   "at": "2026-11-16T15:00:00+08:00"}, now=at(2026, 11, 16, 15, 1))
    body = r.get_json()
    assert r.status_code == 200 and body["status"] == "signed" and body["department"] == "zjj"
    assert body["due_at"] == "2026-11-30T06:30:00+00:00"  # 14:30 Shanghai
    assert body["returns"][0]["decision"] == "rejected"


@pytest.mark.parametrize("role, allowed", [("operator", True), ("supervisor", True), ("admin", True),
                                           ("staff", False), ("approver", False)])
def test_each_role_through_the_api(api, role, allowed):
    who = api(role, "zjj" if role in ("staff", "approver") else None, login=f"{role}@x.cn")
    t = dispatched()
    returns.request_return(t, reason="误派", now=at(2026, 11, 16, 10), actor="s")
    r = who.post(f"/tickets/{t.id}/return-review", {"upheld": True, "at": "2026-11-16T11:00:00+08:00"},
                 now=at(2026, 11, 16, 11, 1))
    assert r.status_code == (200 if allowed else 403)
    db.session.remove()
    assert db.session.get(Ticket, t.id).status == ("new" if allowed else "return_review")


@pytest.mark.parametrize("role, allowed", [("operator", True), ("supervisor", True), ("admin", True),
                                           ("staff", False), ("approver", False)])
def test_each_role_through_the_page(app, client, hot, role, allowed):
    make_user(role, f"{role}@x.cn", department="zjj" if role in ("staff", "approver") else None)
    login(client, f"{role}@x.cn")
    t = dispatched()
    returns.request_return(t, reason="误派<script>", now=at(2026, 11, 16, 10), actor="s")
    tid = t.id
    with pinned(app, at(2026, 11, 16, 15)):
        page = client.get(f"/hotline/tickets/{tid}").get_data(as_text=True)
        assert "退单待审核" in page and "误派&lt;script&gt;" in page
        assert ('name="upheld"' in page) is allowed
        if allowed:
            queue = client.get("/hotline/returns").get_data(as_text=True)
            assert t.number in queue
            assert "退单待审核 1 件" in client.get("/hotline/dispatch").get_data(as_text=True)
            bad = client.post(f"/hotline/tickets/{tid}/return_review",
                              data={"upheld": "0", "note": "", "csrf_token": csrf_from(page)}, follow_redirects=True)
            assert "退单不成立时请写明理由" in bad.get_data(as_text=True)
        r = client.post(f"/hotline/tickets/{tid}/return_review",
                        data={"upheld": "0", "note": "职责明确", "csrf_token": csrf_from(page)})
    assert r.status_code == (302 if allowed else 403)
    db.session.remove()
    t = db.session.get(Ticket, tid)
    if allowed:
        assert t.status == "dispatched" and clock(t, "sign_for").due_at == at(2026, 11, 16, 16, 30)
    else:
        assert t.status == "return_review"


def test_department_returns_through_the_page(app, client, hot):
    make_user("staff", "s@x.cn", department="zjj")
    login(client, "s@x.cn")
    tid = dispatched().id
    with pinned(app, at(2026, 11, 16, 10)):
        page = client.get(f"/hotline/tickets/{tid}").get_data(as_text=True)
        client.post(f"/hotline/tickets/{tid}/return", data={"reason": "误派", "csrf_token": csrf_from(page)})
        page = client.get(f"/hotline/tickets/{tid}").get_data(as_text=True)
    assert "退单待审核" in page and 'name="upheld"' not in page and 'action="/hotline/tickets/%d/return"' % tid not in page
    db.session.remove()
    assert db.session.get(Ticket, tid).status == "return_review"


def test_a_back_dated_return_wins_no_time_when_rejected(api):
    """The review's pause starts when the return is entered: a return dated hours back (inside the grace of a
    补录 or beyond) and rejected leaves the department's due moments where they were."""
    op = api("operator", login="op@x.cn")
    staff = api("staff", "zjj", login="s@x.cn")
    t = dispatched(signed=True)
    # done "at 10:00", entered at 15:00 (a 补录): paused from 15:00, rejected at 15:00 → nothing moves
    r = staff.post(f"/tickets/{t.id}/return", {"reason": "误派", "at": "2026-11-16T10:00:00+08:00"},
                   now=at(2026, 11, 16, 15, 0))
    assert r.status_code == 200
    r = op.post(f"/tickets/{t.id}/return-review", {"upheld": False, "note": "职责明确"}, now=at(2026, 11, 16, 15, 0))
    assert r.status_code == 200
    db.session.expire_all()
    assert clock(db.session.get(Ticket, t.id), "handling").due_at == at(2026, 11, 30, 9, 30)  # unchanged


def test_a_return_entered_minutes_after_the_window_is_refused(api):
    """No grace at a deadline: the window ends 11-17 09:30; entered at 09:35 with `at` 09:29 → refused."""
    staff = api("staff", "zjj", login="s@x.cn")
    t = dispatched(signed=True)
    assert t.return_deadline == at(2026, 11, 17, 9, 30)
    r = staff.post(f"/tickets/{t.id}/return", {"reason": "误派", "at": "2026-11-17T09:29:00+08:00"},
                   now=at(2026, 11, 17, 9, 35))
    assert r.status_code == 409 and "退单时限" in r.get_json()["message"]


def test_the_pause_never_starts_before_the_clock(app, hot):
    """A dispatch entered late starts its clocks at entry (hotline.common.start); a return dated before that
    entry pauses from the clock's own start, so the review gives no time the department never had."""
    from core import action_time
    t = intake.create_ticket(dict(CALL), channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                             actor="op")
    with action_time.as_of(at(2026, 11, 16, 9, 30), now=at(2026, 11, 16, 14, 0)):  # dispatch 补录 at 14:00
        intake.dispatch(t, dep("zjj"), now=at(2026, 11, 16, 9, 30), actor="op")
    sign_due = clock(t, "sign_for").due_at
    assert sign_due == at(2026, 11, 16, 16, 0)  # two working hours from the entry at 14:00
    with action_time.as_of(at(2026, 11, 16, 10, 0), now=at(2026, 11, 16, 14, 0)):
        returns.request_return(t, reason="误派", now=at(2026, 11, 16, 10, 0), actor="s")
    returns.review_return(t, upheld=False, note="职责明确", now=at(2026, 11, 16, 14, 0), actor="op")
    assert clock(t, "sign_for").due_at == sign_due
