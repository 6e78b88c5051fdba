"""Handling use cases with their clock effects (DESIGN §2): correction, consultations, fees, extension,
reassignment."""
from decimal import Decimal

from core import action_time
from core.calendar.service import get_calendar
from core.clocks.service import pause_clock, restart_clock, resume_clock, start_clock, stop_clock, extend_clock
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.inputs import parse_decimal
from core.extensions import db
from core.uploads import check_files
from requests_module import access
from requests_module.common import (ENTITY, check_date, clock, dated, moment_of, notify_applicant, record,
                                    transition, zh)
from requests_module.intake import attach, close
from requests_module.models import Consultation
from requests_module.states import Status, TransitionError, require

NOTICE_WITHIN_WORKDAYS = 7  # Art. 30: the one-time correction notice
CONSULTATION_WORKDAYS = 15  # Art. 32: the third party's period
FEE_WORKDAYS = 20  # payment period of the 2020 fee measures
MAX_EXTENSION = 20  # Art. 33


def _answer(req):
    c = clock(req)
    if c is None:
        raise TransitionError("申请尚未确认收到")
    return c


def reassign(req, department, *, reason, now, actor):
    """Move the application to another department; the answer clock keeps running."""
    if not (reason or "").strip():
        raise ValidationError("请写明改派理由", field="reason")
    if department.id == req.department_id:
        raise ValidationError("已在该部门办理", field="department")
    with unit_of_work():
        old = req.department.code if req.department else None
        transition(req, Status.ASSIGNED, "reassign", now=now, actor=actor,
                   detail={"from": old, "to": department.code, "reason": reason.strip()}, only_from={Status.ASSIGNED})
        req.department = department
        _answer(req).department_id = department.id
    return req


def send_correction_notice(req, *, items, on, now, actor, period=None):
    """One-time correction notice within 7 working days of receipt; the answer clock pauses (Art. 30)."""
    from flask import current_app

    period = period or current_app.config["CORRECTION_PERIOD_WORKDAYS"]
    if not (items or "").strip():
        raise ValidationError("请写明需要补正的事项", field="items")
    require(Status(req.status), {Status.ASSIGNED}, "发出补正告知")
    if req.correction_notice_on is not None:
        raise TransitionError("补正告知只能一次性发出，本申请已经发过")
    if not 1 <= period <= 30:
        raise ValidationError("补正期限应在 1 到 30 个工作日之间", field="period")
    check_date(on, now, not_before=req.received_on, req=req, live=True, label="补正告知日期")
    cal = get_calendar()
    last = cal.add_workdays(req.received_on, NOTICE_WITHIN_WORKDAYS)
    if on > last:
        raise TransitionError(f"补正告知应在收到申请后 7 个工作日内（{zh(last)}前）发出")
    with unit_of_work(), dated(on, now):
        transition(req, Status.AWAITING_CORRECTION, "correction_notice", now=now, actor=actor,
                   detail={"on": on.isoformat(), "items": items.strip(), "period": period})
        pause_clock(_answer(req), now=now, actor=actor, on=on, reason="correction notice")
        c = start_clock(entity_kind=ENTITY, entity_id=req.id, name="correction", unit="workdays", length=period,
                        start_on=on, now=now, actor=actor, label=req.number, department_id=req.department_id)
        req.correction_notice_on, req.correction_items, req.correction_due_on = on, items.strip(), c.due_on
        notify_applicant(req, "correction_notice", now=now, context={"detail": items.strip(), "due": zh(c.due_on)})
    return req


def receive_correction(req, *, text, on, now, actor, files=(), by_applicant=False):
    """The correction arrived on `on`: the 20 working days start again from that day (Art. 30)."""
    require(Status(req.status), {Status.AWAITING_CORRECTION}, "登记补正")
    if not (text or "").strip() and not files:
        raise ValidationError("请填写补正内容或上传补正材料", field="text")
    check_date(on, now, not_before=req.correction_notice_on, req=req)
    if on > req.correction_due_on and by_applicant:
        raise TransitionError(f"补正期限已于{zh(req.correction_due_on)}届满，请联系承办部门")
    checked = check_files(files)
    with unit_of_work(), dated(on, now):
        transition(req, Status.ASSIGNED, "correction_received", now=now, actor=actor,
                   detail={"on": on.isoformat(), "late": on > req.correction_due_on})
        req.correction_received_on, req.correction_text = on, (text or "").strip()
        attach(req, checked, "correction", now)
        with action_time.as_happened():  # the applicant's period: judged by when they corrected
            stop_clock(clock(req, "correction"), now=moment_of(on, now), actor=actor, reason="correction received")
        restart_clock(_answer(req), now=now, actor=actor, start_on=on, reason="correction received")
    return req


def _pause_group_end(req, answer):
    """The date the current consultation pause ends: the latest (capped) answer of its consultations."""
    start = answer.paused_from
    ends = [min(c.answered_on, c.deadline_on) for c in req.consultations if c.sent_on.isoformat() >= start]
    return max(ends)


def add_consultation(req, *, kind, party, sent_on, now, actor):
    """Ask a third party (Art. 32) or another organ (Art. 34); the answer clock stops while any is open."""
    if kind not in ("third_party", "organ"):
        raise ValidationError("征求意见对象应为第三方或其他机关", field="kind")
    if not (party or "").strip():
        raise ValidationError("请填写征求意见的对象", field="party")
    require(Status(req.status), {Status.ASSIGNED}, "征求意见")
    check_date(sent_on, now, field="sent_on", not_before=req.received_on, label="征求意见发出日期", req=req,
               live=True)
    answer = _answer(req)
    with unit_of_work(), dated(sent_on, now):
        c = Consultation(request_id=req.id, kind=kind, party=party.strip()[:120], sent_on=sent_on,
                         deadline_on=get_calendar().add_workdays(sent_on, CONSULTATION_WORKDAYS))
        db.session.add(c)
        db.session.flush()
        if answer.state == "running":
            pause_clock(answer, now=now, actor=actor, on=sent_on, reason="consultation")
        elif sent_on.isoformat() < answer.paused_from:
            answer.paused_from = sent_on.isoformat()
        record(req, "consultation_sent", now=now, actor=actor,
               detail={"consultation": c.id, "kind": kind, "party": c.party, "sent_on": sent_on.isoformat(),
                       "deadline_on": c.deadline_on.isoformat()})
    db.session.refresh(req)
    return c


def answer_consultation(req, consultation, *, answered_on=None, opinion="", now, actor):
    """Record the reply (or, with no date, the silence until the deadline); the clock resumes when none is open."""
    if consultation.request_id != req.id:
        raise DomainError("该征求意见不属于本申请", )
    require(Status(req.status), {Status.ASSIGNED}, "登记征求意见答复")
    if consultation.answered_on is not None:
        raise TransitionError("该征求意见已经登记过答复")
    answered_on = answered_on or consultation.deadline_on
    # Parallel consultations are separate threads: an answer follows its own consultation, not the others.
    check_date(answered_on, now, field="answered_on", not_before=consultation.sent_on, label="答复日期")
    answer = _answer(req)
    with unit_of_work(), dated(answered_on, now):
        consultation.answered_on, consultation.opinion = answered_on, (opinion or "").strip() or None
        record(req, "consultation_answered", now=now, actor=actor,
               detail={"consultation": consultation.id, "answered_on": answered_on.isoformat(),
                       "silent": not (opinion or "").strip()})
        if all(c.answered_on is not None for c in req.consultations) and answer.state == "paused":
            resume_clock(answer, now=now, actor=actor, on=_pause_group_end(req, answer), reason="consultations done")
    return consultation


def fee_notice(req, *, amount, on, now, actor):
    """Notify a processing fee (Art. 42): the answer clock stops until payment; 20 working days to pay."""
    try:
        amount = parse_decimal(amount, Decimal("0"), Decimal("100000")).quantize(Decimal("0.01"))
    except ValueError as exc:
        raise ValidationError(f"收费金额{exc}", field="amount") from None
    if not amount:
        raise ValidationError("收费金额应大于 0", field="amount")
    require(Status(req.status), {Status.ASSIGNED}, "发出收费通知")
    check_date(on, now, not_before=req.received_on, req=req, live=True, label="收费通知日期")
    with unit_of_work(), dated(on, now):
        transition(req, Status.AWAITING_PAYMENT, "fee_notice", now=now, actor=actor,
                   detail={"amount": str(amount), "on": on.isoformat()})
        pause_clock(_answer(req), now=now, actor=actor, on=on, reason="fee notice")
        c = start_clock(entity_kind=ENTITY, entity_id=req.id, name="fee", unit="workdays", length=FEE_WORKDAYS,
                        start_on=on, now=now, actor=actor, label=req.number, department_id=req.department_id)
        req.fee_notice_on, req.fee_amount, req.fee_due_on = on, amount, c.due_on
    return req


def record_payment(req, *, on, now, actor):
    """The fee was paid on `on`: the days from the notice to payment are not counted."""
    require(Status(req.status), {Status.AWAITING_PAYMENT}, "登记缴费")
    check_date(on, now, not_before=req.fee_notice_on, req=req)
    with unit_of_work(), dated(on, now):
        transition(req, Status.ASSIGNED, "fee_paid", now=now, actor=actor, detail={"on": on.isoformat()})
        req.fee_paid_on = on
        with action_time.as_happened():  # the applicant's period: judged by when they paid
            stop_clock(clock(req, "fee"), now=moment_of(on, now), actor=actor, reason="paid")
        resume_clock(_answer(req), now=now, actor=actor, on=on, reason="fee paid")
    return req


def extend(req, *, days, reason, on, now, actor):
    """Once, at most 20 working days, approved before the due date by the head of the handling department's
    disclosure work (Art. 33 para. 2; who: access.may_approve_extension), who is recorded; the applicant is
    told. Dated or entered after the due date it is refused (the period cannot be reopened afterwards)."""
    refusal = access.extension_refusal(actor, req)
    if refusal:
        raise DomainError(refusal)
    if req.extension_days:
        raise TransitionError("答复期限只能延长一次，本申请已经延长过")
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION:
        raise ValidationError("延长期限应为 1 到 20 个工作日", field="days")
    if not (reason or "").strip():
        raise ValidationError("请写明延期理由", field="reason")
    require(Status(req.status), {Status.ASSIGNED}, "延期")
    answer = _answer(req)
    check_date(on, now, not_before=req.received_on, req=req)
    if answer.state != "running" or on > answer.due_on:
        raise TransitionError(f"延期须在答复期限（{zh(answer.due_on)}）届满前批准")
    with unit_of_work(), dated(on, now):  # entered after the period ran out: refused by extend_clock
        extend_clock(answer, days, now=now, actor=actor, reason=reason.strip(), maximum=MAX_EXTENSION)
        req.extension_days, req.extension_reason, req.extension_approver_id = days, reason.strip(), actor.id
        record(req, "extension", now=now, actor=actor,
               detail={"days": days, "reason": reason.strip(), "due_on": answer.due_on.isoformat(),
                       "approver": actor.name})
        notify_applicant(req, "extension", now=now, context={"due": zh(answer.due_on), "detail": reason.strip()})
    return req


def expire_unanswered(now):
    """Close applications whose correction or fee period ran out (视为放弃: 逾期不补正 / 逾期未缴费)."""
    from core.clocks.models import Clock
    from requests_module.models import DisclosureRequest

    closed = 0
    for name, status, outcome in (("correction", Status.AWAITING_CORRECTION, "other_no_correction"),
                                  ("fee", Status.AWAITING_PAYMENT, "other_no_payment")):
        ids = [int(i) for (i,) in db.session.query(Clock.entity_id).filter(
            Clock.entity_kind == ENTITY, Clock.name == name, Clock.state == "running", Clock.due_at < now)]
        for req in DisclosureRequest.query.filter(DisclosureRequest.id.in_(ids),
                                                  DisclosureRequest.status == status.value):
            due = clock(req, name).due_on
            with unit_of_work():
                transition(req, Status.CLOSED, "deemed_abandoned", now=now, actor="system",
                           detail={"outcome": outcome})
                close(req, outcome=outcome, on=due, now=now, actor="system",
                      text=f"申请人未在期限（{zh(due)}）内{'补正' if name == 'correction' else '缴纳费用'}，视为放弃申请。")
            closed += 1
    return closed
