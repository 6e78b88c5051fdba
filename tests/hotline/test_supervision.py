"""督办单 (issue 16 item 5): issued by supervisors only, numbered, a feedback clock on the district's
default limit, the department's written feedback with a frozen verdict, escalation of late feedback
(idempotent, run by the periodic jobs), the ticket page, the list page and the API with the same rules."""
import re

import pytest

from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.workflow import TransitionError
from hotline import intake, supervision
from hotline.models import SupervisionOrder, Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def dispatched(received=at(2026, 11, 16, 9, 0), dept="sthjj", **changes):
    t = intake.create_ticket({**CALL, **changes}, channel="phone", received_at=received, now=received, actor="op")
    intake.dispatch(t, Department.query.filter_by(code=dept).one(), now=received, actor="op")
    return t


@pytest.fixture
def people(hot):
    return {"sup": make_user("supervisor", "sup@x.cn"), "op": make_user("operator", "op@x.cn"),
            "staff": make_user("staff", "s@x.cn", department="sthjj"),
            "approver": make_user("approver", "a@x.cn", department="sthjj"),
            "other": make_user("staff", "z@x.cn", department="zjj")}


def test_issue_numbers_the_order_and_starts_a_one_working_day_clock(people):
    t = dispatched()
    order = supervision.issue(t, reason="群众反映多次未果", now=at(2026, 11, 16, 10, 0), actor=people["sup"])
    assert re.fullmatch(r"DB-2026-\d{6}", order.number) and order.level == 1 and order.department.code == "sthjj"
    c = supervision.clock_of(order)
    # 1 working day (7.5 h): Monday 10:00–12:00 and 13:30–17:30 (6 h), Tuesday 08:30 + 1.5 h.
    assert (c.entity_kind, c.entity_id, c.name) == ("supervision_order", str(order.id), "supervision_feedback")
    assert c.due_at == at(2026, 11, 17, 10, 0) and c.department_id == t.department_id
    second = supervision.issue(t, reason="再次督办", now=at(2026, 11, 16, 11, 0), actor=people["sup"])
    assert second.number != order.number  # from the row id: unique also when issued at the same moment
    notes = Notification.query.filter_by(event="supervision_order").all()
    assert {n.user_id for n in notes} == {people["staff"].id, people["approver"].id}
    assert all(order.number in n.subject or second.number in n.subject for n in notes)


def test_urgent_ticket_gets_four_wall_hours(people):
    t = dispatched(received=at(2026, 11, 21, 20, 0), urgency="urgent")  # a Saturday evening
    order = supervision.issue(t, reason="紧急督办", now=at(2026, 11, 21, 21, 0), actor=people["sup"])
    assert supervision.clock_of(order).due_at == at(2026, 11, 22, 1, 0)


def test_only_supervisors_issue_and_only_on_open_dispatched_tickets(people):
    t = dispatched()
    with pytest.raises(DomainError, match="督办"):
        supervision.issue(t, reason="x", now=at(2026, 11, 16, 10), actor=people["op"])
    with pytest.raises(ValidationError):
        supervision.issue(t, reason="  ", now=at(2026, 11, 16, 10), actor=people["sup"])
    with pytest.raises(ValidationError):
        supervision.issue(t, reason=12345, now=at(2026, 11, 16, 10), actor=people["sup"])
    fresh = intake.create_ticket(CALL, channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                                 actor="op")
    with pytest.raises(TransitionError):
        supervision.issue(fresh, reason="未派单", now=at(2026, 11, 16, 10), actor=people["sup"])
    assert SupervisionOrder.query.count() == 0


def test_feedback_on_time_freezes_the_verdict(people):
    t = dispatched()
    order = supervision.issue(t, reason="督办", now=at(2026, 11, 16, 10, 0), actor=people["sup"])
    with pytest.raises(DomainError):
        supervision.feedback(order, text="不是我部门", now=at(2026, 11, 16, 11), actor=people["other"])
    with pytest.raises(DomainError):
        supervision.feedback(order, text="督办自己写", now=at(2026, 11, 16, 11), actor=people["sup"])
    supervision.feedback(order, text="已约谈施工单位，停止夜间施工", now=at(2026, 11, 17, 9, 59), actor=people["staff"])
    assert order.feedback_on_time is True and order.feedback_at == at(2026, 11, 17, 9, 59)
    assert supervision.clock_of(order).state == "stopped"
    with pytest.raises(TransitionError):
        supervision.feedback(order, text="再反馈", now=at(2026, 11, 17, 11), actor=people["staff"])
    assert supervision.escalate_overdue(at(2026, 11, 18, 9)) == 0  # answered: nothing to escalate


def test_late_feedback_escalates_once_and_stays_late(people):
    from core.jobs.periodic import deadline_sweep
    t = dispatched()
    order = supervision.issue(t, reason="督办", now=at(2026, 11, 16, 10, 0), actor=people["sup"])
    assert supervision.escalate_overdue(at(2026, 11, 17, 10, 0)) == 0  # due at 10:00 exactly: not late yet
    counts = deadline_sweep(at(2026, 11, 17, 10, 1))  # the periodic jobs run the escalation
    assert counts["escalate_overdue"] == 1
    assert supervision.escalate_overdue(at(2026, 11, 17, 10, 2)) == 0  # idempotent
    db.session.refresh(order)
    assert order.level == 2 and order.escalated_at == at(2026, 11, 17, 10, 1)
    told = {n.user_id for n in Notification.query.filter_by(event="supervision_escalated")}
    assert told == {people["approver"].id, people["sup"].id}  # the department's head and 区政府办 (supervisors)
    assert supervision.state_of(order, at(2026, 11, 17, 11))[0] == "escalated"
    supervision.feedback(order, text="迟到的反馈", now=at(2026, 11, 17, 15, 0), actor=people["approver"])
    assert order.feedback_on_time is False and order.escalated_at is not None  # a late feedback stays late
    assert supervision.state_of(order, at(2026, 11, 18))[0] == "answered_late"


def test_listing_by_role_and_state(people):
    a = supervision.issue(dispatched(), reason="一", now=at(2026, 11, 16, 10), actor=people["sup"])
    b = supervision.issue(dispatched(dept="zjj"), reason="二", now=at(2026, 11, 16, 10), actor=people["sup"])
    now = at(2026, 11, 17, 12)
    assert {o.id for o in supervision.listing(people["sup"], state="overdue", now=now)} == {a.id, b.id}
    assert [o.id for o in supervision.listing(people["staff"], state="all", now=now)] == [a.id]
    assert supervision.listing(people["op"], state="all", now=now) == []
    supervision.escalate_overdue(now)
    assert len(supervision.listing(people["sup"], state="escalated", now=now)) == 2
    with pytest.raises(ValidationError):
        supervision.listing(people["sup"], state="bogus", now=now)


def test_pages_issue_feedback_and_list(app, people):
    t = dispatched()
    sup, staff, op = app.test_client(), app.test_client(), app.test_client()
    for c, who in ((sup, "sup@x.cn"), (staff, "s@x.cn"), (op, "op@x.cn")):
        assert login(c, who).status_code == 302
    with pinned(app, at(2026, 11, 16, 10, 0)):
        page = sup.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "下发督办单" in page
        assert 'action="/hotline/tickets/%d/supervise"' % t.id in page
        # operators keep 催办 (urge) but may not issue a 督办单
        op_page = op.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert 'action="/hotline/tickets/%d/supervise"' % t.id not in op_page
        assert op.post(f"/hotline/tickets/{t.id}/supervise",
                       data={"reason": "x", "csrf_token": csrf_from(op_page)}).status_code == 403
        sup.post(f"/hotline/tickets/{t.id}/supervise", data={"reason": "<b>多次投诉</b>", "csrf_token": csrf_from(page)})
    order = SupervisionOrder.query.one()
    with pinned(app, at(2026, 11, 17, 11, 0)):
        listing = sup.get("/hotline/supervision?state=overdue").get_data(as_text=True)
        assert order.number in listing and "反馈超期" in listing and "<b>多次投诉</b>" not in listing
        assert "&lt;b&gt;多次投诉&lt;/b&gt;" in listing
        assert op.get("/hotline/supervision").status_code == 403
        assert sup.get("/hotline/supervision?state=nope").status_code == 400
        tp = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "提交反馈" in tp and "反馈超期" in tp
        assert staff.post(f"/hotline/tickets/{t.id}/supervision_feedback",
                          data={"order": "99999999999999999999", "feedback": "x",
                                "csrf_token": csrf_from(tp)}).status_code == 400  # refused with a message, not 500
        staff.post(f"/hotline/tickets/{t.id}/supervision_feedback",
                   data={"order": str(order.id), "feedback": "已整改", "csrf_token": csrf_from(tp)})
        mine = staff.get("/hotline/supervision?state=all").get_data(as_text=True)
        assert order.number in mine and "逾期反馈" in mine
    db.session.remove()
    order = db.session.get(SupervisionOrder, order.id)
    assert order.feedback == "已整改" and order.feedback_on_time is False


def test_api_same_rules(app, people, api_as):
    t = dispatched()
    sup, op = api_as("supervisor", login="sup2@x.cn"), api_as("operator", login="op2@x.cn")
    staff, other = api_as("staff", "sthjj", login="s2@x.cn"), api_as("staff", "zjj", login="z2@x.cn")
    url = f"/tickets/{t.id}/supervision-orders"
    assert op.post(url, {"reason": "x"}, now=at(2026, 11, 16, 10)).status_code == 403
    assert other.post(url, {"reason": "x"}, now=at(2026, 11, 16, 10)).status_code == 404
    assert staff.post(url, {"reason": "x"}, now=at(2026, 11, 16, 10)).status_code == 403
    bad = sup.post(url, {"reason": ["not", "text"]}, now=at(2026, 11, 16, 10))
    assert bad.status_code == 400 and "应为文字" in bad.get_data(as_text=True)
    resp = sup.post(url, {"reason": "督办"}, now=at(2026, 11, 16, 10))
    assert resp.status_code == 200
    [order] = resp.get_json()["supervision_orders"]
    assert order["state"] == "open" and order["due_at"] == "2026-11-17T02:00:00+00:00"
    fb = f"{url}/{order['id']}/feedback"
    assert sup.post(fb, {"feedback": "x"}, now=at(2026, 11, 16, 11)).status_code == 403
    assert staff.post(f"{url}/2147483648/feedback", {"feedback": "x"}, now=at(2026, 11, 16, 11)).status_code == 404
    assert staff.post(f"{url}/999999/feedback", {"feedback": "x"}, now=at(2026, 11, 16, 11)).status_code == 400
    assert staff.post(fb, {"feedback": 7}, now=at(2026, 11, 16, 11)).status_code == 400
    done = staff.post(fb, {"feedback": "已整改"}, now=at(2026, 11, 16, 11))
    assert done.status_code == 200 and done.get_json()["supervision_orders"][0]["feedback_on_time"] is True
    assert [o["number"] for o in staff.get("/tickets/supervision-orders?state=all").get_json()["items"]] == \
        [order["number"]]
    assert other.get("/tickets/supervision-orders?state=all").get_json()["items"] == []
    assert op.get("/tickets/supervision-orders").status_code == 403
    assert sup.get("/tickets/supervision-orders?state=x").status_code == 400
    assert db.session.get(Ticket, t.id).status == "dispatched"


def test_an_order_is_withdrawn_when_the_ticket_leaves_the_department(people):
    """A return upheld by the centre: the order no longer belongs to the department that returned the ticket —
    its clock stops without a verdict, it never escalates and does not count in 督办反馈及时率."""
    from datetime import date

    from hotline import returns
    from reports.hotline_assessment import assess
    t = dispatched()
    order = supervision.issue(t, reason="请说明办理进展", now=at(2026, 11, 16, 9, 30), actor=people["sup"])
    returns.request_return(t, reason="非本部门职责", now=at(2026, 11, 16, 10, 0), actor=people["staff"])
    returns.review_return(t, upheld=True, note="", now=at(2026, 11, 16, 11, 0), actor=people["op"])
    c = supervision.clock_of(order)
    assert (c.state, c.stop_reason) == ("stopped", supervision.WITHDRAWN)
    assert supervision.state_of(order, at(2026, 11, 20, 9))[0] == "withdrawn"
    assert supervision.escalate_overdue(at(2026, 11, 20, 9)) == 0
    result = assess(date(2026, 11, 1), date(2026, 11, 30), now=at(2026, 11, 20, 9))
    dep = Department.query.filter_by(code="sthjj").one()
    row = next(r for r in result.ranked + result.not_ranked if r.department_id == dep.id)
    assert row.rates["supervision"].denominator == 0


def test_an_order_is_withdrawn_by_a_transfer_to_an_emergency_line(people):
    t = dispatched()
    order = supervision.issue(t, reason="请说明办理进展", now=at(2026, 11, 16, 9, 30), actor=people["sup"])
    intake.transfer_emergency(t, to="122", now=at(2026, 11, 16, 10, 0), actor=people["op"])
    assert supervision.state_of(order, at(2026, 11, 20, 9))[0] == "withdrawn"
    assert supervision.escalate_overdue(at(2026, 11, 20, 9)) == 0
