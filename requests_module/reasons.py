"""The 说明理由 step for apparently massive or repeated applications (条例 Art. 35).

Art. 35: 申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政机关认为申请理由
不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条规定的期限内答复申请人的，
可以确定延迟答复的合理期限并告知申请人。

The request for reasons is a notice like the correction notice (the applicant gets a period to answer,
REASON_PERIOD_WORKDAYS), but unlike Art. 30 (补正) and Art. 32–34 (征求意见) the Regulations do not take its
time out of the Art. 33 period: the answer clock keeps running, and where the reasons are accepted but the
period cannot be met the organ sets the 延迟答复合理期限 instead, which moves the answer clock's due date (an
answer by then is on time, so pages and the API show that period, not 超期). 不予处理 as 无正当理由大量反复申请
is possible only after reasons were asked for and found unreasonable (or none came within the period).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core import action_time
from core.api.openapi import LONG_TEXT
from core.calendar.service import get_calendar
from core.clocks.service import extend_clock, stop_clock
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.formats import zh_date
from core.workflow import TransitionError
from requests_module import access, documents, periods
from requests_module.common import check_date, clock, dated, log_event, moment_of, notify_applicant
from requests_module.states import WORKFLOW, Status

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

EXCESSIVE = "not_processed_excessive"  # 不予处理：无正当理由大量反复申请
OPEN_STATES = {Status.RECEIVED, Status.ASSIGNED}
MAX_TEXT = LONG_TEXT["maxLength"]  # the API's limit for the same field


def _running_answer(req, on, action):
    answer = clock(req)
    if answer is None:
        raise TransitionError("申请尚未确认收到")
    if answer.state != "running" or on > answer.due_on:
        raise TransitionError(f"{action}须在答复期限（{zh_date(answer.due_on)}）届满前作出" if answer.state == "running"
                              else f"答复期限暂停计时期间不能{action}")
    return answer


def request_reasons(req: DisclosureRequest, *, items: str, on: date, now: datetime, actor: Any, period: int | None = None) -> DisclosureRequest:
    """Ask the applicant to explain an apparently massive or repeated application (Art. 35); once."""
    period = period or periods.configured("REASON_PERIOD_WORKDAYS")
    if not (items or "").strip():
        raise ValidationError("请写明申请数量、频次明显超过合理范围的情形及需要说明的事项", field="items")
    WORKFLOW.require(Status(req.status), OPEN_STATES, "reason_request")
    if req.reason_requested_on is not None:
        raise TransitionError("本申请已经要求过说明理由")
    if not 1 <= period <= periods.APPLICANT_PERIOD_MAX_WORKDAYS:
        raise ValidationError(f"说明理由期限应在 1 到 {periods.APPLICANT_PERIOD_MAX_WORKDAYS} 个工作日之间", field="period")
    check_date(on, now, not_before=req.received_on, req=req, label="要求说明理由日期")
    _running_answer(req, on, "要求说明理由")
    with unit_of_work(), dated(on, now):
        # The applicant's period runs from their receipt of the notice (a document with a delivery record):
        # documents.record_delivery starts the "reason" clock and sets reason_due_on.
        req.reason_requested_on, req.reason_items, req.reason_due_on = on, items.strip(), None
        doc = documents.issue(req, "reason_notice", on=on, now=now, addressee=req.name, body=items.strip(),
                              period=period)
        log_event(req, "reason_request", now=now, actor=actor,
               detail={"on": on.isoformat(), "items": items.strip(), "period": period, "number": doc.number})
        notify_applicant(req, "reason_request", now=now,
                         context={"detail": items.strip(), "due": f"收到告知书之日起{period}个工作日内"})
    return req


def receive_reasons(req: DisclosureRequest, *, text: str, on: date, now: datetime, actor: Any) -> DisclosureRequest:
    """Record the applicant's explanation (Art. 35), from the applicant's page or entered by staff."""
    if not (text or "").strip():
        raise ValidationError("请填写申请人说明的理由", field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"说明的理由不能超过 {MAX_TEXT} 字", field="text")
    WORKFLOW.require(Status(req.status), OPEN_STATES, "reason_received")
    if req.reason_requested_on is None:
        raise TransitionError("尚未要求申请人说明理由")
    if req.reason_received_on is not None or req.reason_decided_on is not None:
        raise TransitionError("申请人说明的理由已经登记" if req.reason_received_on else "已对申请理由作出认定")
    check_date(on, now, not_before=req.reason_requested_on, req=req, label="收到说明日期")
    with unit_of_work(), dated(on, now):
        req.reason_received_on, req.reason_text = on, text.strip()
        log_event(req, "reason_received", now=now, actor=actor,
               detail={"on": on.isoformat(), "late": req.reason_due_on is not None and on > req.reason_due_on})
        period = clock(req, "reason")  # none while the notice's delivery is unrecorded
        if period is not None and period.state != "stopped":
            with action_time.as_happened():  # the applicant's period: judged by when they explained
                stop_clock(period, now=moment_of(on, now), actor=actor, reason="reasons received")
    return req


def decide_reasons(req: DisclosureRequest, *, accepted: bool, on: date, now: datetime, actor: Any, delay_until: date | None = None) -> DisclosureRequest:
    """The organ's finding on the reasons (Art. 35): unreasonable → 不予处理 may be replied; reasonable, with an
    optional 延迟答复合理期限 (`delay_until`, a date after the Art. 33 due date) that moves the answer clock. It is
    the issuing organ's finding, made by its head (Art. 4; who: access.may_sign_off)."""
    refusal = access.signoff_refusal(actor, req)
    if refusal:
        raise DomainError(refusal)
    if not isinstance(accepted, bool):
        raise ValidationError("请选择理由是否合理", field="accepted")
    WORKFLOW.require(Status(req.status), OPEN_STATES, "reason_decided")
    if req.reason_requested_on is None:
        raise TransitionError("尚未要求申请人说明理由，不能认定（条例第三十五条）")
    if req.reason_decided_on is not None:
        raise TransitionError("已对申请理由作出认定")
    check_date(on, now, not_before=req.reason_requested_on, req=req, label="认定日期")
    if req.reason_received_on is None and req.reason_due_on is None:
        raise TransitionError("说明理由告知书尚未登记送达：期限自申请人收到之日起算，未收到说明时暂不能认定")
    if req.reason_received_on is None and on <= req.reason_due_on:
        raise TransitionError(f"申请人说明理由的期限（{zh_date(req.reason_due_on)}）尚未届满，也未收到说明，暂不能认定")
    steps = 0
    if delay_until is not None:
        if not accepted:
            raise ValidationError("认定理由不合理的，告知不予处理，不确定延迟答复期限", field="delay_until")
        answer = _running_answer(req, on, "确定延迟答复期限")
        steps = get_calendar().workdays_between(answer.due_on, delay_until)
        limit = periods.configured("REASON_DELAY_MAX_WORKDAYS")
        if steps < 1:
            raise ValidationError(f"延迟答复期限应晚于现答复期限（{zh_date(answer.due_on)}），且至少多一个工作日",
                                  field="delay_until")
        if steps > limit:
            raise ValidationError(f"延迟答复期限最长为现答复期限后 {limit} 个工作日", field="delay_until")
    with unit_of_work(), dated(on, now):
        req.reason_decided_on, req.reason_accepted = on, accepted
        reason_clock = clock(req, "reason")
        if reason_clock is not None and reason_clock.state != "stopped":
            with action_time.as_happened():
                stop_clock(reason_clock, now=moment_of(on, now), actor=actor, reason="reasons decided")
        detail = {"on": on.isoformat(), "accepted": accepted}
        if steps:
            answer = clock(req)
            extend_clock(answer, steps, now=now, actor=actor, reason="Art. 35 延迟答复")
            req.reason_delay_due_on = answer.due_on
            detail["delay_due_on"] = answer.due_on.isoformat()
            documents.issue(req, "delay_notice", on=on, now=now, addressee=req.name, body="",
                            answer_due_on=answer.due_on)  # Art. 35: the applicant is told in writing
            notify_applicant(req, "reason_delay", now=now, context={"due": zh_date(answer.due_on)})
        log_event(req, "reason_decided", now=now, actor=actor, detail=detail)
    return req


def check_outcome(req: DisclosureRequest, outcome: str) -> None:
    """不予处理 as 无正当理由大量反复申请 only after the Art. 35 step found no good reason."""
    if outcome != EXCESSIVE:
        return
    if req.reason_requested_on is None:
        raise TransitionError("“无正当理由大量反复申请”须先要求申请人说明理由（条例第三十五条）")
    if req.reason_accepted is None:
        raise TransitionError("“无正当理由大量反复申请”须先认定申请人说明的理由不合理（条例第三十五条）")
    if req.reason_accepted:
        raise TransitionError("已认定申请理由合理，不能以“无正当理由大量反复申请”不予处理")
