"""Handling use cases with their clock effects (DESIGN §2): correction, consultations, fees, extension,
reassignment."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core import action_time
from core.calendar.service import get_calendar
from core.clocks.service import extend_clock, pause_clock, restart_clock, resume_clock, stop_clock
from core.db import unit_of_work
from core.errors import DomainError, FieldConflict, ValidationError
from core.extensions import db
from core.formats import zh_date
from core.inputs import parse_decimal
from core.uploads import check_files
from core.workflow import TransitionError, transition
from requests_module import access, documents, periods, reply_drafts, third_party
from requests_module.attachments import attach
from requests_module.common import (
    ENTITY,
    check_date,
    clock,
    dated,
    due_text,
    log_event,
    moment_of,
    notify_applicant,
    today,
)
from requests_module.models import Consultation
from requests_module.staff_notices import tell_handlers
from requests_module.states import WORKFLOW, Status

if TYPE_CHECKING:
    from core.departments.models import Department
    from requests_module.models import DisclosureRequest, RequestDocument


def _answer(req):
    c = clock(req)
    if c is None:
        raise TransitionError("申请尚未确认收到")
    return c


def reassign(req: DisclosureRequest, department: Department, *, reason: str, now: datetime, actor: Any) -> DisclosureRequest:
    """Move the application to another department; the answer clock keeps running."""
    if not (reason or "").strip():
        raise ValidationError("请写明改派理由", field="reason")
    from core.departments.service import check_discloses

    check_discloses(department)  # 条例 Art. 2, 36: a party organ handles no application
    if department.id == req.department_id:
        raise ValidationError("已在该部门办理", field="department")
    with unit_of_work():
        old = req.department.code if req.department else None
        transition(WORKFLOW, req, Status.ASSIGNED, "reassign", now=now, actor=actor,
                   detail={"from": old, "to": department.code, "reason": reason.strip()}, allowed_from={Status.ASSIGNED})
        req.department = department
        _answer(req).department_id = department.id
        # the old department's unsent working draft (and its files) is not the new department's to read or send
        reply_drafts.clear(req)
    return req


def send_correction_notice(req: DisclosureRequest, *, items: str, guidance: str, on: date, now: datetime, actor: Any,
                           period: int | None = None) -> DisclosureRequest:
    """One-time correction notice within 7 working days of receipt; the answer clock pauses (Art. 30). Art. 30
    also requires the organ to 给予指导和释明: staff write that guidance, and the notice prints it with the
    items to correct, the period and the consequence of not correcting."""
    period = period or periods.configured("CORRECTION_PERIOD_WORKDAYS")
    if not (items or "").strip():
        raise ValidationError("请写明需要补正的事项", field="items")
    if not (guidance or "").strip():
        raise ValidationError("请填写指导和释明：告诉申请人如何补正（条例第三十条）", field="guidance")
    # Art. 30 counts the 7 days from receipt, so the 公开办 may send it before assigning (status RECEIVED).
    WORKFLOW.require(Status(req.status), {Status.RECEIVED, Status.ASSIGNED}, "correction_notice")
    if req.correction_notice_on is not None:
        raise TransitionError("补正告知只能一次性发出，本申请已经发过")
    if req.fee_notice_on is not None:
        # 国办函〔2020〕109号: the fee is calculated on a clear application; a 补正 after it could end in 视为放弃
        # (other_no_correction) with a 按量 fee paid for nothing provided and never refunded.
        raise TransitionError("本申请已发出收费通知：收费以申请内容明确为前提，不能再要求补正（条例第三十条、国办函〔2020〕109号）")
    if not 1 <= period <= periods.APPLICANT_PERIOD_MAX_WORKDAYS:
        raise ValidationError(f"补正期限应在 1 到 {periods.APPLICANT_PERIOD_MAX_WORKDAYS} 个工作日之间", field="period")
    check_date(on, now, not_before=req.received_on, req=req, live=True, label="补正告知日期")
    cal = get_calendar()
    last = cal.add_workdays(req.received_on, periods.CORRECTION_NOTICE_WORKDAYS)
    if on > last:
        raise TransitionError(f"补正告知应在收到申请后 {periods.CORRECTION_NOTICE_WORKDAYS} 个工作日内（{zh_date(last)}前）发出")
    with unit_of_work(), dated(on, now):
        transition(WORKFLOW, req, Status.AWAITING_CORRECTION, "correction_notice", now=now, actor=actor,
                   detail={"on": on.isoformat(), "items": items.strip(), "guidance": guidance.strip(), "period": period})
        pause_clock(_answer(req), now=now, actor=actor, on=on, reason="correction notice")
        # The applicant's period runs from their receipt of the notice (Art. 30): its clock starts when the
        # delivery is recorded (requests_module/documents.record_delivery), not on the day it is sent.
        req.correction_notice_on, req.correction_items, req.correction_due_on = on, items.strip(), None
        req.correction_guidance = guidance.strip()
        documents.issue(req, "correction_notice", on=on, now=now, addressee=req.name, body=items.strip(),
                        period=period)
        notify_applicant(req, "correction_notice", now=now,
                         context={"detail": items.strip() + "\n指导和释明：" + guidance.strip(), "due": f"自收到本通知之日起{period}个工作日内"})
    return req


def _late(due_on, on, late_reason, by_applicant, what):
    """Art. 30 / 国办函〔2020〕109号: after the period only with a good reason (正当理由) that staff record; the
    applicant's own late answer goes to the handling organ. Returns the recorded reason (or None)."""
    if due_on is None or on <= due_on:
        return None
    if by_applicant:
        raise TransitionError(f"{what}期限已于{zh_date(due_on)}届满，请联系承办部门")
    if not (late_reason or "").strip():
        raise ValidationError(f"{what}期限已于{zh_date(due_on)}届满：逾期接受须写明申请人的正当理由", field="late_reason")
    return late_reason.strip()


def _decide_late(req, kind, reason, now, actor):
    doc = documents.latest(req, kind)
    if reason and doc is not None:
        doc.lapse_decision, doc.lapse_reason = "late_accepted", reason
        doc.lapse_decided_at, doc.lapse_decided_by = now, documents.actor_label(actor)


def _applicant_answered(req, target, action, *, notice, period, on, late_reason, now, actor, why):
    """The applicant answered a notice (corrected, paid) on `on`: the application moves on, a late answer accepted
    for a good reason is recorded on the notice, and the applicant's period stops, judged by when they answered
    (its clock is absent while the notice's delivery is unrecorded)."""
    transition(WORKFLOW, req, target, action, now=now, actor=actor,
               detail={"on": on.isoformat(), "late": late_reason is not None, "late_reason": late_reason})
    _decide_late(req, notice, late_reason, now, actor)
    c = clock(req, period)
    if c is not None and c.state != "stopped":
        with action_time.as_happened():
            stop_clock(c, now=moment_of(on, now), actor=actor, reason=why)


def receive_correction(req: DisclosureRequest, *, text: str, on: date, now: datetime, actor: Any,
                       files: Sequence[Any] = (), by_applicant: bool = False,
                       late_reason: str | None = None) -> DisclosureRequest:
    """The correction arrived on `on`: the 20 working days start again from that day (Art. 30). After the
    applicant's period only with a recorded good reason (正当理由)."""
    WORKFLOW.require(Status(req.status), {Status.AWAITING_CORRECTION}, "correction_received")
    if not (text or "").strip() and not files:
        raise ValidationError("请填写补正内容或上传补正材料", field="text")
    check_date(on, now, not_before=req.correction_notice_on, req=req)
    reason = _late(req.correction_due_on, on, late_reason, by_applicant, "补正")
    checked = check_files(files)
    with unit_of_work(), dated(on, now):
        back = Status.ASSIGNED if req.department_id is not None else Status.RECEIVED  # unassigned: to intake
        _applicant_answered(req, back, "correction_received", notice="correction_notice", period="correction",
                            on=on, late_reason=reason, now=now, actor=actor, why="correction received")
        req.correction_received_on, req.correction_text = on, (text or "").strip()
        attach(req, checked, "correction", now)
        restart_clock(_answer(req), now=now, actor=actor, start_on=on, reason="correction received")
        if by_applicant:  # staff who register a paper correction know of it; the applicant's online one is news
            # Art. 30: the applicant is told the period counts again from the correction, and the new due date
            notify_applicant(req, "correction_received", now=now,
                             context={"on": zh_date(on), "due": zh_date(_answer(req).due_on)})
            tell_handlers(req.department_id, "correction_submitted", now=now, entity=(ENTITY, req.id),
                          context={"label": f"{req.number} {req.title}", "on": zh_date(on), "due": due_text(req)})
    return req


def _pause_group_end(req, answer):
    """The date the current consultation pause ends: the latest (capped) answer of its consultations."""
    start = answer.paused_from
    ends = [min(c.answered_on, c.deadline_on or c.answered_on) for c in req.consultations if c.sent_on.isoformat() >= start]
    return max(ends)


PARTY_TYPES = {"person": "个人", "org": "法人或者其他组织"}
PARTY_MAX = 120


def add_consultation(req: DisclosureRequest, *, kind: str, party: str, sent_on: date, now: datetime, actor: Any, party_type: str | None = None) -> Consultation:
    """Ask a third party (Art. 32) or another organ (Art. 34); the answer clock stops while any is open. A third
    party is a person or an organisation (`party_type`): its letters address it as 您 or 贵单位."""
    if kind not in ("third_party", "organ"):
        raise ValidationError("征求意见对象应为第三方或其他机关", field="kind")
    if not isinstance(party, str) or not party.strip():
        raise ValidationError("请填写征求意见的对象", field="party")
    if len(party.strip()) > PARTY_MAX:
        raise ValidationError(f"征求意见对象的名称不超过 {PARTY_MAX} 字", field="party")
    if kind == "third_party" and party_type not in PARTY_TYPES:
        raise ValidationError("请选择第三方是个人还是法人或者其他组织（决定征求意见书的称呼）", field="party_type")
    if kind == "organ" and party_type not in (None, ""):
        raise ValidationError("征求其他机关意见的，不选择第三方类型", field="party_type")
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "consultation_sent")
    check_date(sent_on, now, field="sent_on", not_before=req.received_on, label="征求意见发出日期", req=req,
               live=True)
    answer = _answer(req)
    with unit_of_work(), dated(sent_on, now):
        # A third party's (Art. 32) and another organ's (Art. 34) 15 working days both run "自收到征求意见书之日起":
        # the deadline is set when the letter's delivery is recorded (documents._start_period).
        c = Consultation(request_id=req.id, kind=kind, party=party.strip(), sent_on=sent_on, deadline_on=None,
                         party_type=party_type if kind == "third_party" else None)
        db.session.add(c)
        db.session.flush()
        documents.issue(req, "consultation_letter", on=sent_on, now=now, addressee=c.party, body=req.title,
                        period=periods.CONSULTATION_WORKDAYS, consultation=c)
        if answer.state == "running":
            pause_clock(answer, now=now, actor=actor, on=sent_on, reason="consultation")
        elif sent_on.isoformat() < answer.paused_from:
            answer.paused_from = sent_on.isoformat()
        log_event(req, "consultation_sent", now=now, actor=actor,
               detail={"consultation": c.id, "kind": kind, "party": c.party, "sent_on": sent_on.isoformat(),
                       "deadline_on": c.deadline_on.isoformat() if c.deadline_on else None})
    db.session.refresh(req)
    return c


def answer_consultation(req: DisclosureRequest, consultation: Consultation, *, answer: str,
                        answered_on: date | None = None, opinion: str = "", now: datetime, actor: Any) -> Consultation:
    """Record the consultation's result (Art. 32, 34; third_party.check_answer): agreed or objected (with the
    reasons) on the day it arrived, or 逾期未提出意见 up to the deadline once it has passed; the answer clock
    resumes when none is open."""
    if consultation.request_id != req.id:
        raise DomainError("该征求意见不属于本申请", )
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "consultation_answered")
    if consultation.answered_on is not None:
        raise TransitionError("该征求意见已经登记过答复")
    answer, opinion = third_party.check_answer(answer, opinion, deadline_on=consultation.deadline_on,
                                               today=today(now))
    if answer == "silent":
        answered_on = consultation.deadline_on  # the silence counts up to the end of the period, not beyond
    elif answered_on is None:
        raise ValidationError("请填写收到对方意见的日期", field="answered_on")
    # Parallel consultations are separate threads: an answer follows its own consultation, not the others.
    check_date(answered_on, now, field="answered_on", not_before=consultation.sent_on, label="答复日期")
    answer_clock = _answer(req)
    with unit_of_work(), dated(answered_on, now):
        consultation.answered_on, consultation.opinion, consultation.answer = answered_on, opinion, answer
        log_event(req, "consultation_answered", now=now, actor=actor,
               detail={"consultation": consultation.id, "answered_on": answered_on.isoformat(), "party": consultation.party,
                       "answer": answer, "opinion": opinion})
        if all(c.answered_on is not None for c in req.consultations) and answer_clock.state == "paused":
            resume_clock(answer_clock, now=now, actor=actor, on=_pause_group_end(req, answer_clock),
                         reason="consultations done")
    return consultation


def tell_third_party_of_disclosure(req: DisclosureRequest, consultation: Consultation, *, content: str, reasons: str,
                                   on: date, now: datetime, actor: Any) -> RequestDocument:
    """The organ decided to disclose over a third party's objection because withholding would gravely affect
    the public interest: it tells the third party in writing what will be disclosed and why (Art. 32) — only a
    third party who objected, once, and before the reply (third_party.notice_refusal); it is the issuing organ's
    decision, so only whoever may sign off for it issues it (access.may_sign_off; Art. 4, 36)."""
    refusal = access.disclosure_notice_refusal(actor, req)
    if refusal:
        raise access.NotTheirs(refusal)
    refusal = third_party.notice_refusal(req, consultation)
    if refusal:
        raise TransitionError(refusal)
    if not (content or "").strip():
        raise ValidationError("请写明决定公开的政府信息内容", field="content")
    if not (reasons or "").strip():
        raise ValidationError("请写明决定公开的理由", field="reasons")
    action_time.check_day(on, today=today(now), previous=consultation.answered_on, label="告知日期")
    with unit_of_work(), dated(on, now):
        doc = documents.issue(req, "disclosure_notice", on=on, now=now, addressee=consultation.party,
                              body=documents.disclosure_body(content.strip(), reasons.strip()),
                              consultation=consultation)
        log_event(req, "third_party_told", now=now, actor=actor,
               detail={"on": on.isoformat(), "party": consultation.party, "number": doc.number,
                       "reason": reasons.strip()})
    return doc


def fee_notice(req: DisclosureRequest, *, method: str, quantity: int, on: date, now: datetime, actor: Any, amount: Any = None) -> DisclosureRequest:
    """Notify a processing fee (Art. 42): the amount is the tier result of 国办函〔2020〕109号 (Art. 3–5, one
    method per application, free thresholds respected, fees.calculate); a typed amount must match it. The
    calculation is stored, the applicant is sent the notice, the answer clock stops until payment; 20 working
    days to pay."""
    from requests_module import fees

    given = None
    if amount not in (None, ""):
        try:
            given = parse_decimal(amount, Decimal("0"), Decimal("10000000"))
        except ValueError as exc:
            raise ValidationError(f"收费金额{exc}", field="amount") from None
        # the API's pattern (requests_module/openapi.py): never rounded or read as 2e2 into agreement
        if not re.fullmatch(fees.AMOUNT_PATTERN, str(amount).strip()):
            raise ValidationError("收费金额应为数字，最多两位小数，如 130 或 130.50", field="amount")
        given = given.quantize(Decimal("0.01"))
    units = fees.check_units(method, quantity)
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "fee_notice")
    if req.fee_notice_on is not None:  # the measures Art. 3: one standard per application, never charged twice
        raise TransitionError(f"本申请已于{zh_date(req.fee_notice_on)}发出收费通知，每件申请只能收费一次")
    check_date(on, now, not_before=req.received_on, req=req, live=True, label="收费通知日期")
    payment = payment_channel(req)
    calc = fees.calculate(method, units, prior=fees.prior_pieces(req) if method == "piece" else 0)
    if calc.free:
        raise FieldConflict(f"未超过免费标准，不得收取信息处理费（{calc.summary()}；{fees.BASIS}"
                          f"{fees.ARTICLES[method]}）", field="quantity")
    if given is not None and given != calc.amount:
        raise FieldConflict(f"收费金额{given}元与收费标准计算结果{calc.amount}元不符（{calc.summary()}），"
                          "请核对计费方式和数量", field="amount")
    with unit_of_work(), dated(on, now):
        transition(WORKFLOW, req, Status.AWAITING_PAYMENT, "fee_notice", now=now, actor=actor,
                   detail={"amount": str(calc.amount), "on": on.isoformat(), "method": method, "units": units})
        pause_clock(_answer(req), now=now, actor=actor, on=on, reason="fee notice")
        # 20 working days from the day after the applicant's receipt (国办函〔2020〕109号): the fee clock
        # starts when the delivery is recorded (requests_module/documents.record_delivery).
        req.fee_notice_on, req.fee_amount, req.fee_due_on = on, calc.amount, None
        req.fee_method, req.fee_units, req.fee_calculation = method, units, calc.as_json()
        # the payment channel is frozen into the document as issued (Art. 45: the archive is what was sent)
        documents.issue(req, "fee_notice", on=on, now=now, addressee=req.name,
                        body="\n".join([f"{calc.amount}元", *payment]), period=periods.FEE_WORKDAYS)
        notify_applicant(req, "fee_notice", now=now, context={
            "basis": fees.BASIS, "method": fees.METHODS[method], "standard": fees.STANDARDS[method],
            "detail": calc.summary(), "amount": str(calc.amount), "due": f"自收到本通知次日起{periods.FEE_WORKDAYS}个工作日内"})
    return req


def payment_channel(req: DisclosureRequest) -> list[str]:
    """The 缴费方式 lines the fee notice prints for the issuing organ (条例 Art. 42; 国办函〔2020〕109号: the
    applicant must be told how to pay): the receiving department's, or 区政府办's for the district
    government (remedy.issuing_department). None set: the notice is refused — an account is never invented."""
    from requests_module.remedy import issuing_department, issuing_organ

    dep = issuing_department(req)
    lines = dep.payment_lines() if dep is not None else []
    if not lines:
        raise TransitionError(f"{issuing_organ(req)[0]}尚未设置信息处理费的缴费方式（收款单位、开户行、账号或缴费说明），"
                              "不能发出收费通知。请联系系统管理员在部门设置中填写")
    return lines


def record_payment(req: DisclosureRequest, *, on: date, now: datetime, actor: Any, late_reason: str | None = None) -> DisclosureRequest:
    """The fee was paid on `on`: the days from the notice to payment are not counted. After the 20 working
    days only with a recorded good reason (正当理由)."""
    WORKFLOW.require(Status(req.status), {Status.AWAITING_PAYMENT}, "fee_paid")
    check_date(on, now, not_before=req.fee_notice_on, req=req)
    reason = _late(req.fee_due_on, on, late_reason, False, "缴费")
    with unit_of_work(), dated(on, now):
        _applicant_answered(req, Status.ASSIGNED, "fee_paid", notice="fee_notice", period="fee", on=on,
                            late_reason=reason, now=now, actor=actor, why="paid")
        req.fee_paid_on = on
        resume_clock(_answer(req), now=now, actor=actor, on=on, reason="fee paid")
    return req


def check_extension(req: DisclosureRequest, *, days: int, reason: str | None, on: date, now: datetime) -> Any:
    """The answer clock an Art. 33 para. 2 extension of `days` dated `on` would extend, or the refusal: once, at
    most 20 working days, with a reason, before the due date, never after an Art. 35 delay. The one check a direct
    extension, an extension request and its approval (requests_module/extensions.py) all make."""
    if req.extension_days:
        raise TransitionError("答复期限只能延长一次，本申请已经延长过")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= periods.EXTENSION_MAX_WORKDAYS:
        raise ValidationError(f"延长期限应为 1 到 {periods.EXTENSION_MAX_WORKDAYS} 个工作日", field="days")
    if not (reason or "").strip():
        raise ValidationError("请写明延期理由", field="reason")
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "extension")
    if req.reason_delay_due_on is not None:  # Art. 35 replaced the Art. 33 period by a reasonable one
        raise TransitionError(f"已依照条例第三十五条确定延迟答复的合理期限（至{zh_date(req.reason_delay_due_on)}），"
                              "不再适用第三十三条的延期")
    answer = _answer(req)
    check_date(on, now, not_before=req.received_on, req=req)
    if answer.state != "running" or on > answer.due_on:
        raise TransitionError(f"延期须在答复期限（{zh_date(answer.due_on)}）届满前批准")
    return answer


def grant_extension(req: DisclosureRequest, answer: Any, *, days: int, reason: str, on: date, now: datetime,
                    actor: Any) -> None:
    """The approved extension inside the caller's unit of work: the clock moves from `on`, the approver is
    recorded, and the applicant gets the 延期告知书 (Art. 33 para. 2)."""
    extend_clock(answer, days, now=now, actor=actor, reason=reason.strip(), maximum=periods.EXTENSION_MAX_WORKDAYS)
    req.extension_days, req.extension_reason, req.extension_approver_id = days, reason.strip(), actor.id
    log_event(req, "extension", now=now, actor=actor,
              detail={"days": days, "reason": reason.strip(), "due_on": answer.due_on.isoformat(),
                      "approver": actor.name})
    documents.issue(req, "extension_notice", on=on, now=now, addressee=req.name, body=reason.strip(),
                    answer_due_on=answer.due_on)  # Art. 33 para. 2: the applicant is told
    notify_applicant(req, "extension", now=now,
                     context={"due": zh_date(answer.due_on), "days": days, "detail": reason.strip()})


def extend(req: DisclosureRequest, *, days: int, reason: str, on: date, now: datetime, actor: Any) -> DisclosureRequest:
    """Once, at most 20 working days, approved before the due date by the head of the handling department's
    disclosure work (Art. 33 para. 2; who: access.may_approve_extension), who is recorded; the applicant is
    told. Dated or entered after the due date it is refused (the period cannot be reopened afterwards)."""
    from requests_module.extensions import pending_of  # extensions builds on this module

    refusal = access.extension_refusal(actor, req)
    if refusal:
        raise DomainError(refusal)
    if pending_of(req) is not None:  # one extension, one decision: the clerk's request is the way (issue 18 review)
        raise TransitionError("本申请有一份延期申请待审批：请在“审批延期申请”中批准或不批准，不能另行直接延期")
    answer = check_extension(req, days=days, reason=reason, on=on, now=now)
    with unit_of_work(), dated(on, now):  # entered after the period ran out: refused by extend_clock
        grant_extension(req, answer, days=days, reason=reason, on=on, now=now, actor=actor)
    return req
