"""The disclosure workflow through 2026's real holidays: every transition, forbidden ones, clock effects."""
from datetime import date

import pytest

from core.errors import DomainError, ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module import handling, intake, lapses, reply
from requests_module.common import clock, due_text
from tests.conftest import at, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, GUIDANCE, deliver, noon, received


def due(req):
    return clock(req).due_on


def test_received_on_golden_week_monday_is_due_october_30(seeded):
    req = received(date(2026, 9, 28))
    assert due(req) == date(2026, 10, 30)
    assert due_text(req) == "2026年10月30日（第20个工作日）"
    assert req.number.startswith("YSQ-2026-") and req.status == "assigned"


def test_correction_on_day_3_then_correction_restarts_the_period(seeded):
    req = received(date(2026, 9, 28))
    # Day 3 after receipt: 9/29, 9/30, (Golden Week), 10/8.
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 10, 8), now=noon(date(2026, 10, 8)),
                                    actor="t")
    assert req.status == "awaiting_correction" and clock(req).state == "paused"
    deliver(req, "correction_notice", date(2026, 10, 8))  # handed over the same day (Art. 30: from receipt)
    # Ten working days to correct: 10/9, Saturday 10/10, 10/12–16, 10/19–21.
    assert req.correction_due_on == date(2026, 10, 21)
    handling.receive_correction(req, text="文件名称为……", on=date(2026, 10, 20), now=noon(date(2026, 10, 20)),
                                actor="t")
    # Twenty working days from 10/20: 10/21–23, 10/26–30, 11/2–6, 11/9–13, 11/16, 11/17.
    assert req.status == "assigned" and due(req) == date(2026, 11, 17)
    with pytest.raises(TransitionError, match="一次性"):
        handling.send_correction_notice(req, guidance=GUIDANCE, items="again", on=date(2026, 10, 21), now=noon(date(2026, 10, 21)),
                                        actor="t")


def test_correction_notice_only_within_seven_working_days(seeded):
    req = received(date(2026, 9, 28))
    # Day 7 is 10/13 (9/29, 9/30, 10/8, 10/9, 10/10, 10/12, 10/13).
    with pytest.raises(TransitionError, match="7 个工作日内（2026年10月13日前）"):
        handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 10, 14), now=noon(date(2026, 10, 14)), actor="t")
    handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 10, 13), now=noon(date(2026, 10, 13)), actor="t")


def test_no_correction_in_time_closes_as_abandoned(seeded):
    req = received(date(2026, 9, 28))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 10, 8), now=noon(date(2026, 10, 8)), actor="t")
    deliver(req, "correction_notice", date(2026, 10, 8))
    assert lapses.expire_unanswered(at(2026, 10, 21, 23, 0)) == 0
    assert lapses.expire_unanswered(at(2026, 10, 22, 0, 1)) == 1
    db.session.refresh(req)
    assert req.status == "closed" and req.outcome == "other_no_correction" and req.replied_on == date(2026, 10, 22)
    assert clock(req).state == "stopped"
    with pytest.raises(TransitionError):
        handling.receive_correction(req, text="late", on=date(2026, 10, 22), now=noon(date(2026, 10, 22)), actor="t")


def test_two_overlapping_consultations_pause_each_day_once(seeded):
    req = received(date(2026, 11, 2))
    assert due(req) == date(2026, 11, 30)
    a = handling.add_consultation(req, kind="third_party", party="某公司", party_type="org", sent_on=date(2026, 11, 4),
                                  now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 4))
    b = handling.add_consultation(req, kind="organ", party="市住建局", sent_on=date(2026, 11, 6),
                                  now=noon(date(2026, 11, 6)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 6))
    assert a.deadline_on == date(2026, 11, 25)  # 15 working days
    handling.answer_consultation(req, a, answer="objected", answered_on=date(2026, 11, 10), opinion="不同意公开", now=noon(date(2026, 11, 10)),
                                 actor="t")
    assert clock(req).state == "paused"  # B still open
    assert due_text(req).startswith("暂停计时")  # no misleading date while the clock stands still
    handling.answer_consultation(req, b, answer="agreed", answered_on=date(2026, 11, 12), opinion="无意见", now=noon(date(2026, 11, 12)),
                                 actor="t")
    # Not counted: 11/5, 11/6, 11/9, 11/10, 11/11, 11/12 → six working days after 11/30.
    assert clock(req).state == "running" and due(req) == date(2026, 12, 8)
    with pytest.raises(TransitionError):
        handling.answer_consultation(req, b, answer="agreed", answered_on=date(2026, 11, 13), now=noon(date(2026, 11, 13)), actor="t")


def test_silent_third_party_counts_until_its_deadline(seeded):
    req = received(date(2026, 11, 2))
    c = handling.add_consultation(req, kind="third_party", party="李四", party_type="person", sent_on=date(2026, 11, 4),
                                  now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 4))
    handling.answer_consultation(req, c, answer="silent", now=noon(date(2026, 11, 26)), actor="t")  # no reply: up to 11/25
    assert c.answered_on == date(2026, 11, 25)
    assert due(req) == clock(req).due_on == date(2026, 12, 21)  # 11/30 + 15 working days


def test_extension_of_fifteen_working_days(seeded):
    req = received(date(2026, 9, 28), dep="mzj")  # received by the district government: 区政府办's head approves
    approver = make_user("approver", "a@x.cn", department="zfb")
    staff = make_user("staff", "s@x.cn", department="mzj")
    with pytest.raises(DomainError, match="负责人"):
        handling.extend(req, days=15, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)), actor=staff)
    with pytest.raises(ValidationError):
        handling.extend(req, days=21, reason="x", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)), actor=approver)
    handling.extend(req, days=15, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)),
                    actor=approver)
    assert due(req) == date(2026, 11, 20)  # 11/2–6, 11/9–13, 11/16–20
    with pytest.raises(TransitionError, match="只能延长一次"):
        handling.extend(req, days=1, reason="x", on=date(2026, 10, 29), now=noon(date(2026, 10, 29)), actor=approver)


def test_extension_after_the_due_date_is_refused(seeded):
    req = received(date(2026, 9, 28))
    approver = make_user("approver", "a@x.cn", department="zfb")
    with pytest.raises(TransitionError, match="届满前"):
        handling.extend(req, days=5, reason="x", on=date(2026, 11, 2), now=noon(date(2026, 11, 2)), actor=approver)


def test_fee_paid_after_six_working_days(seeded):
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "fee_notice", date(2026, 11, 4))
    assert req.status == "awaiting_payment" and req.fee_due_on == date(2026, 12, 2)
    handling.record_payment(req, on=date(2026, 11, 12), now=noon(date(2026, 11, 12)), actor="t")
    assert due(req) == date(2026, 12, 8)  # 11/5–6, 11/9–12 not counted


def test_unpaid_fee_closes_as_abandoned(seeded):
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "fee_notice", date(2026, 11, 4))
    assert lapses.expire_unanswered(at(2026, 12, 3, 0, 1)) == 1
    db.session.refresh(req)
    assert req.outcome == "other_no_payment"


def test_reply_outcomes_grounds_and_verdict(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 9, 28), actor=staff)  # 民政局 received it: its staff issue the reply
    with pytest.raises(ValidationError, match="法律依据"):
        reply.reply(req, outcome="withheld_process", text="……", on=date(2026, 10, 29), now=noon(date(2026, 10, 29)),
                    actor=staff)
    with pytest.raises(ValidationError, match="补正告知"):
        reply.reply(req, outcome="unavailable_unclear", text="……", on=date(2026, 10, 29), now=noon(date(2026, 10, 29)),
                    actor=staff)
    reply.reply(req, outcome="withheld_process", legal_ground="《政府信息公开条例》第十六条第二款", text="经审查……",
                on=date(2026, 10, 29), now=noon(date(2026, 10, 29)), actor=staff)
    assert req.status == "closed" and req.reply_doc_number == "亭民政依申复〔2026〕1号"  # 民政局's first letter of the year
    c = clock(req)
    assert c.state == "stopped" and c.on_time is True
    with pytest.raises(TransitionError):
        reply.reply(req, outcome="disclosed", **DISCLOSED, text="again", on=date(2026, 10, 30), now=noon(date(2026, 10, 30)),
                    actor=staff)


def test_late_reply_is_frozen_as_late(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 9, 28), actor=staff)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开", on=date(2026, 11, 2), now=noon(date(2026, 11, 2)), actor=staff)
    assert clock(req).on_time is False


def test_sign_off_when_the_department_requires_it(seeded):
    """The issuing organ's setting (here the district government's: 区政府办) decides, and its head signs off."""
    from core.departments.models import Department
    Department.query.filter_by(code="zfb").one().requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="zfb")
    req = received(date(2026, 9, 28))
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开", on=date(2026, 10, 20), now=noon(date(2026, 10, 20)), actor=staff)
    assert req.status == "awaiting_signoff" and clock(req).state == "running"
    with pytest.raises(DomainError):
        reply.sign_off(req, approve=True, now=noon(date(2026, 10, 21)), actor=staff)
    with pytest.raises(ValidationError):
        reply.sign_off(req, approve=False, note="", now=noon(date(2026, 10, 21)), actor=approver)
    reply.sign_off(req, approve=False, note="补充依据", now=noon(date(2026, 10, 21)), actor=approver)
    assert req.status == "assigned" and req.outcome is None
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开（修改后）", on=date(2026, 10, 22), now=noon(date(2026, 10, 22)),
                actor=staff)
    reply.sign_off(req, approve=True, now=noon(date(2026, 10, 23)), actor=approver)
    # the reply is made when it is signed off: the letter bears that day
    assert req.status == "closed" and req.replied_on == date(2026, 10, 23) and clock(req).on_time


def test_online_submission_confirmation_and_reject(seeded):
    citizen = make_user("citizen", "13800001111")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 13, 20), citizen=citizen)
    assert req.status == "submitted" and clock(req) is None
    with pytest.raises(ValidationError, match="不能早于"):
        intake.confirm_receipt(req, received_on=date(2026, 11, 12), now=at(2026, 11, 16, 9), actor="t")
    intake.confirm_receipt(req, received_on=date(2026, 11, 16), now=at(2026, 11, 16, 9), actor="t")
    assert req.received_on == date(2026, 11, 16) and due(req) == date(2026, 12, 14)
    with pytest.raises(TransitionError):
        intake.confirm_receipt(req, received_on=date(2026, 11, 16), now=at(2026, 11, 16, 9), actor="t")
    other = intake.submit_online({**APPLICATION, "title": "投诉某小区物业"}, now=at(2026, 11, 16, 9))
    with pytest.raises(ValidationError):
        intake.reject(other, outcome="disclosed", message="x", on=date(2026, 11, 16), now=at(2026, 11, 16, 10), actor="t")
    intake.reject(other, outcome="not_processed_petition", message="请通过 12345 热线或信访渠道反映",
                  on=date(2026, 11, 16), now=at(2026, 11, 16, 10), actor="t")
    assert other.status == "closed" and other.outcome == "not_processed_petition"


def test_repeat_detection_and_suggestion(seeded):
    first = received(date(2026, 9, 28), dep=None)
    again = received(date(2026, 10, 12), dep=None, phone="13800001111", title=" 2025年 城乡低保对象名单！")
    assert again.repeat_of_id == first.id
    assert intake.suggestions(again)[0].department.code == "mzj"


def test_reassignment_keeps_the_clock_running(seeded):
    from core.departments.models import Department
    req = received(date(2026, 9, 28), dep="zjj")
    before = due(req)
    with pytest.raises(ValidationError):
        handling.reassign(req, Department.query.filter_by(code="mzj").one(), reason="", now=noon(date(2026, 10, 9)),
                          actor="t")
    handling.reassign(req, Department.query.filter_by(code="mzj").one(), reason="属民政职责",
                      now=noon(date(2026, 10, 9)), actor="t")
    assert req.department.code == "mzj" and due(req) == before and clock(req).department_id == req.department_id


@pytest.mark.parametrize("changes, field", [
    ({"id_number": "110105194912310021"}, "id_number"),  # wrong check digit
    ({"phone": "12345"}, "phone"),
    ({"title": ""}, "title"),
    ({"delivery": "mail", "address": ""}, "address"),
    ({"delivery": "email", "email": ""}, "email"),
    ({"applicant_type": "org", "org_type": "", "id_type": "uscc", "id_number": "91320902MA1MXXXX00"}, "org_type"),
])
def test_bad_applications_name_the_field(seeded, changes, field):
    with pytest.raises(ValidationError) as err:
        intake.submit_online({**APPLICATION, **changes}, now=at(2026, 11, 16, 9))
    assert field in err.value.fields


def test_organisation_applicant_with_valid_credit_code(seeded):
    from core.formats import valid_resident_id, valid_uscc
    # The standard published examples, and the same with a wrong check character.
    assert valid_uscc("91350100M000100Y43") and not valid_uscc("91350100M000100Y44")
    assert valid_resident_id("11010519491231002X") and not valid_resident_id("110105194912310021")
    req = intake.submit_online({**APPLICATION, "applicant_type": "org", "org_type": "legal_service",
                                "contact_person": "王律师", "id_type": "uscc", "id_number": "91110000600037341L"},
                               now=at(2026, 11, 16, 9))
    assert req.org_type == "legal_service"


def _in_state(state):
    """An application brought into `state` through the real use cases (received 2026-09-28)."""
    if state == "submitted":
        return intake.submit_online(APPLICATION, now=at(2026, 9, 28, 9))
    req = received(date(2026, 9, 28), dep=None if state == "received" else "mzj")
    if state == "awaiting_correction":
        handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 9, 29), now=noon(date(2026, 9, 29)), actor="t")
    elif state == "awaiting_payment":
        handling.fee_notice(req, method="pages", quantity=31, on=date(2026, 9, 29), now=noon(date(2026, 9, 29)), actor="t")
    elif state == "awaiting_signoff":
        # 民政局 answers an application the district government received: a draft for its sign-off (Art. 4, 36)
        reply.reply(req, outcome="disclosed", **DISCLOSED, text="x", on=date(2026, 9, 29), now=noon(date(2026, 9, 29)),
                    actor=make_user("staff", "drafter@x.cn", department="mzj"))
    elif state == "closed":
        intake_req = req
        reply.reply(intake_req, outcome="disclosed", **DISCLOSED, text="x", on=date(2026, 9, 29), now=noon(date(2026, 9, 29)),
                    actor=make_user("staff", "closer@x.cn", department="mzj"))
        reply.sign_off(intake_req, approve=True, now=noon(date(2026, 9, 29)),
                       actor=make_user("approver", "head@x.cn", department="zfb"))
    assert req.status == state
    return req


def _attempts():
    from core.departments.models import Department
    day, now = date(2026, 9, 30), noon(date(2026, 9, 30))
    zjj = lambda: Department.query.filter_by(code="zjj").one()  # noqa: E731
    staff = lambda: make_user("staff", "actor@x.cn", department="mzj")  # noqa: E731
    return {
        "confirm": lambda r: intake.confirm_receipt(r, received_on=day, now=now, actor="t"),
        "assign": lambda r: intake.assign(r, zjj(), now=now, actor="t"),
        "reassign": lambda r: handling.reassign(r, zjj(), reason="x", now=now, actor="t"),
        "correction_notice": lambda r: handling.send_correction_notice(r, guidance=GUIDANCE, items="x", on=day, now=now, actor="t"),
        "consult": lambda r: handling.add_consultation(r, kind="organ", party="x", sent_on=day, now=now, actor="t"),
        "fee_notice": lambda r: handling.fee_notice(r, method="pages", quantity=31, on=day, now=now, actor="t"),
        "reply": lambda r: reply.reply(r, outcome="disclosed", **DISCLOSED, text="x", on=day, now=now, actor=staff()),
    }


# Which actions each state allows (from the transition table of DESIGN §2 as built in states.py).
ALLOWED = {
    "submitted": {"confirm"},
    "received": {"assign", "correction_notice"},  # Art. 30: the 公开办 may send it before assigning
    "assigned": {"reassign", "correction_notice", "consult", "fee_notice", "reply"},
    "awaiting_correction": set(),
    "awaiting_payment": set(),
    "awaiting_signoff": set(),
    "closed": set(),
}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("action", ["confirm", "assign", "reassign", "correction_notice", "consult", "fee_notice",
                                    "reply"])
def test_transition_matrix(seeded, state, action):
    req = _in_state(state)
    attempt = _attempts()[action]
    if action in ALLOWED[state]:
        attempt(req)
    else:
        with pytest.raises((TransitionError, DomainError)):
            attempt(req)
        db.session.rollback()
        assert db.session.get(type(req), req.id).status == state
