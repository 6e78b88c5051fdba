"""12345 tickets: every transition and forbidden one, working-hour and wall clocks through 2026's
holidays, extension and reopen clocks, frozen verdicts, merging."""

import pytest

from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.workflow import TransitionError
from hotline import callback, extensions, handling, intake, reply, returns
from hotline.common import clock
from hotline.models import Ticket
from tests.conftest import at, make_user

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def dep(code):
    return Department.query.filter_by(code=code).one()


def new_ticket(received, **changes):
    return intake.create_ticket({**CALL, **changes}, channel="phone", received_at=received, now=received,
                                actor="operator")


def test_dispatch_clock_and_sign_for_across_golden_week(hot):
    t = new_ticket(at(2026, 9, 30, 16, 0))
    assert t.number.startswith("RX-2026-") and t.status == "new"
    assert clock(t, "dispatch").due_at == at(2026, 10, 8, 9, 0)  # 1.5 h on 9/30, holiday, 0.5 h on 10/8
    intake.dispatch(t, dep("sthjj"), now=at(2026, 9, 30, 16, 45), actor="operator")
    assert clock(t, "dispatch").on_time is True
    # The example: dispatched Wednesday 16:45, 2 working hours to sign → Thursday 10/8 09:45.
    assert clock(t, "sign_for").due_at == at(2026, 10, 8, 9, 45)
    # Complaint: 10 working days of 7.5 h from 9/30 16:45: 10/8, 10/9, Saturday 10/10, 10/12–16, 10/19, 10/20.
    assert clock(t, "handling").due_at == at(2026, 10, 20, 16, 45)
    assert t.return_deadline == at(2026, 10, 8, 16, 45)  # one working day
    handling.sign(t, now=at(2026, 10, 8, 9, 50), actor="staff")
    assert clock(t, "sign_for").on_time is False  # five minutes late, frozen


def test_working_hours_skip_lunch_and_evenings(hot):
    t = new_ticket(at(2026, 11, 16, 11, 0))
    assert clock(t, "dispatch").due_at == at(2026, 11, 16, 14, 30)
    t2 = new_ticket(at(2026, 11, 20, 19, 30))  # Friday evening call
    assert clock(t2, "dispatch").due_at == at(2026, 11, 23, 10, 30)


def test_urgent_tickets_run_on_the_wall_clock(hot):
    t = new_ticket(at(2026, 10, 1, 22, 0), urgency="urgent", type="help")
    assert clock(t, "dispatch").due_at == at(2026, 10, 1, 22, 30)
    intake.dispatch(t, dep("sthjj"), now=at(2026, 10, 1, 22, 20), actor="op")
    assert clock(t, "sign_for").due_at == at(2026, 10, 1, 22, 50)
    assert clock(t, "handling").due_at == at(2026, 10, 2, 22, 20)
    assert t.return_deadline == at(2026, 10, 2, 0, 20)


def test_return_only_inside_the_window(hot):
    t = new_ticket(at(2026, 11, 16, 9, 0))
    intake.dispatch(t, dep("zjj"), now=at(2026, 11, 16, 9, 30), actor="op")
    with pytest.raises(TransitionError, match="退单时限"):
        returns.request_return(t, reason="非本部门职责", now=at(2026, 11, 17, 9, 31), actor="s")
    returns.request_return(t, reason="非本部门职责", now=at(2026, 11, 17, 9, 29), actor="s")
    assert t.status == "return_review" and t.return_count == 0  # the 12345 centre reviews it first
    from hotline.returns import review_return
    review_return(t, upheld=True, note="", now=at(2026, 11, 17, 9, 40), actor="op")
    assert t.status == "new" and t.return_count == 1 and t.department is None
    assert clock(t, "dispatch").state == "running"  # a new dispatch clock for the redispatch
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 17, 10, 0), actor="op")
    assert t.department.code == "sthjj"


def test_extension_once_approved_by_a_supervisor(hot):
    sup = make_user("supervisor", "sup@x.cn")
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = new_ticket(at(2026, 11, 16, 9, 0), type="inquiry")
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 9, 0), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 30), actor=staff)
    assert clock(t, "handling").due_at == at(2026, 11, 19, 9, 0)  # 3 working days
    with pytest.raises(ValidationError):
        extensions.request_extension(t, hours=100, reason="x", now=at(2026, 11, 17, 9), actor=staff)
    extensions.request_extension(t, hours=15, reason="需现场核查", now=at(2026, 11, 17, 9), actor=staff)
    with pytest.raises(DomainError):
        extensions.decide_extension(t, approve=True, now=at(2026, 11, 17, 10), actor=staff)
    extensions.decide_extension(t, approve=True, now=at(2026, 11, 17, 10), actor=sup)
    assert clock(t, "handling").due_at == at(2026, 11, 23, 9, 0)  # + 2 working days
    with pytest.raises(TransitionError, match="已经申请过"):
        extensions.request_extension(t, hours=1, reason="again", now=at(2026, 11, 18, 9), actor=staff)


def test_reply_callback_satisfied_closes_with_verdicts(hot):
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = new_ticket(at(2026, 11, 16, 9, 0))
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 9, 30), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 10, 0), actor=staff)
    reply.reply(t, text="已责令工地停止夜间施工。", now=at(2026, 11, 18, 15, 0), actor=staff)
    assert t.status == "replied" and clock(t, "handling").on_time is True
    assert clock(t, "callback").due_at == at(2026, 11, 20, 15, 0)  # 2 working days
    with pytest.raises(ValidationError):
        callback.record_callback(t, reached=True, satisfaction="great", now=at(2026, 11, 19, 9), actor="op")
    callback.record_callback(t, reached=True, resolved=True, satisfaction="basic", now=at(2026, 11, 19, 9), actor="op")
    assert t.status == "closed" and t.close_reason == "callback" and clock(t, "callback").on_time is True


def test_three_failed_callbacks_close_as_unreachable(hot):
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = new_ticket(at(2026, 11, 16, 9, 0))
    intake.direct_close(t, answer="噪声投诉请拨打 12345 转环保热线……", now=at(2026, 11, 16, 9, 5), actor="op")
    assert t.status == "replied" and t.direct and clock(t, "dispatch").on_time
    for i in range(2):
        callback.record_callback(t, reached=False, now=at(2026, 11, 16, 10 + i), actor="op")
        assert t.status == "replied"
    callback.record_callback(t, reached=False, now=at(2026, 11, 16, 15), actor="op")
    assert t.status == "closed" and t.close_reason == "unreachable"
    assert staff.id  # staff untouched: a direct close never reached a department


def test_unsatisfied_callback_reopen_keeps_the_count(hot):
    sup = make_user("supervisor", "sup@x.cn")
    t = new_ticket(at(2026, 11, 16, 9, 0))
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 9, 10), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 20), actor="s")
    reply.reply(t, text="已处理", now=at(2026, 11, 16, 11, 0), actor="s")
    callback.record_callback(t, reached=True, resolved=False, satisfaction="unsatisfied", comment="仍有噪声",
                             now=at(2026, 11, 17, 9), actor="op")
    assert t.status == "callback_review"
    with pytest.raises(DomainError):
        callback.review(t, reopen=True, reason="x", now=at(2026, 11, 17, 10), actor=make_user("operator", "o@x.cn"))
    callback.review(t, reopen=True, reason="诉求合理", now=at(2026, 11, 17, 10), actor=sup)
    assert t.status == "new" and t.reopen_count == 1
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 17, 10, 30), actor="op")
    from core.clocks.models import Clock
    handling_clocks = (Clock.query.filter_by(entity_kind="ticket", entity_id=str(t.id), name="handling")
                       .order_by(Clock.id).all())
    assert len(handling_clocks) == 2 and handling_clocks[0].on_time is True
    assert handling_clocks[1].due_at == at(2026, 12, 1, 10, 30)  # a fresh 10 working days


def test_sign_off_and_co_handling(hot):
    d = dep("sthjj")
    d.requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="sthjj")
    approver = make_user("approver", "a@x.cn", department="sthjj")
    t = new_ticket(at(2026, 11, 16, 9, 0))
    intake.dispatch(t, d, co_departments=[dep("zjj")], now=at(2026, 11, 16, 9, 10), actor="op")
    handling.add_co_part(t, dep("zjj"), part="工地施工许可情况……", now=at(2026, 11, 16, 11), actor="zjj")
    with pytest.raises(DomainError):
        handling.add_co_part(t, dep("mzj"), part="x", now=at(2026, 11, 16, 11), actor="mzj")
    handling.sign(t, now=at(2026, 11, 16, 9, 20), actor=staff)
    reply.reply(t, text="已处理", now=at(2026, 11, 16, 15), actor=staff)
    assert t.status == "awaiting_signoff" and clock(t, "handling").state == "running"
    reply.sign_off(t, approve=True, now=at(2026, 11, 16, 16), actor=approver)
    assert t.status == "replied" and t.replied_at == at(2026, 11, 16, 16)


def test_emergency_transfer_and_merge(hot):
    fire = new_ticket(at(2026, 11, 16, 9, 0), content="楼道起火了")
    with pytest.raises(ValidationError):
        intake.transfer_emergency(fire, to="911", now=at(2026, 11, 16, 9, 1), actor="op")
    intake.transfer_emergency(fire, to="119", now=at(2026, 11, 16, 9, 1), actor="op")
    assert fire.status == "closed" and fire.transferred_to == "119"
    master = new_ticket(at(2026, 11, 16, 10, 0))
    dup = new_ticket(at(2026, 11, 16, 10, 5), caller_phone="13900002222")
    callback_merge = callback.merge(master, [dup], now=at(2026, 11, 16, 10, 10), actor="op")
    assert callback_merge is master and dup.status == "closed" and dup.merged_into_id == master.id
    from core.notifications.models import Notification
    assert Notification.query.filter_by(event="ticket_merged", address="13900002222").count() == 1
    with pytest.raises(TransitionError):
        callback.merge(master, [dup], now=at(2026, 11, 16, 10, 11), actor="op")


def _ticket_in(state):
    t = new_ticket(at(2026, 11, 16, 9, 0))
    steps = ["dispatched", "signed", "replied", "callback_review"]
    if state in steps:
        intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 9, 10), actor="op")
    if state in steps[1:]:
        handling.sign(t, now=at(2026, 11, 16, 9, 20), actor="s")
    if state in steps[2:]:
        reply.reply(t, text="x", now=at(2026, 11, 16, 10), actor="s")
    if state == "callback_review":
        callback.record_callback(t, reached=True, satisfaction="unsatisfied", now=at(2026, 11, 16, 11), actor="op")
    if state == "closed":
        intake.transfer_emergency(t, to="110", now=at(2026, 11, 16, 9, 5), actor="op")
    assert t.status == state
    return t


ACTIONS = {
    "dispatch": lambda t: intake.dispatch(t, dep("zjj"), now=at(2026, 11, 16, 12), actor="op"),
    "direct_close": lambda t: intake.direct_close(t, answer="x", now=at(2026, 11, 16, 12), actor="op"),
    "sign": lambda t: handling.sign(t, now=at(2026, 11, 16, 12), actor="s"),
    "reply": lambda t: reply.reply(t, text="x", now=at(2026, 11, 16, 12), actor="s"),
    "callback": lambda t: callback.record_callback(t, reached=True, satisfaction="satisfied",
                                                   now=at(2026, 11, 16, 12), actor="op"),
    "return": lambda t: returns.request_return(t, reason="x", now=at(2026, 11, 16, 12), actor="s"),
}
ALLOWED = {"new": {"dispatch", "direct_close"}, "dispatched": {"sign", "return"}, "signed": {"reply", "return"},
           "replied": {"callback"}, "callback_review": set(), "closed": set()}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_matrix(hot, state, action):
    t = _ticket_in(state)
    if action in ALLOWED[state]:
        ACTIONS[action](t)
    else:
        with pytest.raises((TransitionError, DomainError)):
            ACTIONS[action](t)
        db.session.rollback()
        assert db.session.get(Ticket, t.id).status == state


@pytest.mark.parametrize("changes, field", [
    ({"type": "rant"}, "type"), ({"category_code": "999999"}, "category_code"), ({"content": " "}, "content"),
    ({"caller_phone": "12"}, "caller_phone"), ({"lat": "north"}, "lat"), ({"urgency": "asap"}, "urgency"),
])
def test_bad_tickets_name_the_field(hot, changes, field):
    with pytest.raises(ValidationError) as err:
        new_ticket(at(2026, 11, 16, 9), **changes)
    assert field in err.value.fields


def test_admin_sla_rule_changes_new_clocks(client, hot):
    from tests.conftest import csrf_from, login
    make_user("admin", "admin@x.cn")
    login(client, "admin@x.cn")
    page = client.get("/admin/sla/").get_data(as_text=True)
    assert "1 个工作日 = 7.5 工作小时" in page  # sla.WORKDAY_HOURS
    bad = client.post("/admin/sla/", data={"clock": "dispatch", "unit": "wall", "hours": "-1",
                                            "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "时长应为大于 0 的小时数" in bad.get_data(as_text=True)
    client.post("/admin/sla/", data={"clock": "dispatch", "unit": "wall", "hours": "1", "category_prefix": "03",
                                     "type": "complaint", "csrf_token": csrf_from(page)})
    noise = new_ticket(at(2026, 11, 16, 11, 0))
    assert clock(noise, "dispatch").due_at == at(2026, 11, 16, 12, 0)  # the rule: 1 wall hour
    other = new_ticket(at(2026, 11, 16, 11, 0), category_code="020201")
    assert clock(other, "dispatch").due_at == at(2026, 11, 16, 14, 30)  # default: 2 working hours
