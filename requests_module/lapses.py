"""Periods of the applicant that seem to have run out (补正 Art. 30; 缴费 国办函〔2020〕109号) and what becomes of
them: closure as 视为放弃 (其他处理 / 逾期不补正, 逾期未缴费) — automatic only when the notice's delivery is
recorded, the period ran out and its due date lies on an official (non-provisional) calendar; every other
case goes to a staff decision list, where 公开办 or the department's head either closes it with a recorded
decision or accepts the late correction or payment for a recorded good reason (正当理由, Art. 30 "无正当理由
逾期不补正的，视为放弃申请")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.calendar.service import get_calendar
from core.clocks.compute import may_close_on_lapse
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.formats import zh_date
from core.workflow import transition
from requests_module import documents, notice_timing
from requests_module.closing import close
from requests_module.common import clock, today
from requests_module.states import WORKFLOW, Status

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest


@dataclass(frozen=True)
class Kind:
    clock: str
    status: Status
    document: str
    outcome: str
    verb: str


KINDS = (Kind("correction", Status.AWAITING_CORRECTION, "correction_notice", "other_no_correction", "补正"),
         Kind("fee", Status.AWAITING_PAYMENT, "fee_notice", "other_no_payment", "缴纳费用"))
# The legal basis of each closure, printed in its letter.
BASIS = {"correction": "《中华人民共和国政府信息公开条例》第三十条",
         "fee": "《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"}
BY_STATUS = {k.status.value: k for k in KINDS}


@dataclass(frozen=True)
class Lapse:
    """An application whose period seems to have run out, and why it was not closed automatically."""
    req: object
    kind: Kind
    document: object
    due_on: date  # the period's end; for an undelivered notice, the earliest it could have been
    delivered: bool
    reason: str
    automatic: bool  # the sweep will close it (delivered, ran out, official calendar)
    undelivered_late: bool = False  # due_on is the day the notice had to reach the applicant (notice_timing)


def lapse_of(req: DisclosureRequest, now: datetime) -> Lapse | None:
    """The Lapse of an application waiting for correction or payment, or None while its period runs."""
    kind = BY_STATUS.get(req.status)
    if kind is None:
        return None
    doc = documents.latest(req, kind.document)
    period = clock(req, kind.clock)
    if period is None or period.state == "stopped":
        if doc is None or doc.period_workdays is None:
            return None
        # Not yet delivered: it cannot have run out before it could have begun (delivery on the day of issue).
        earliest = get_calendar().add_workdays(doc.issued_on, doc.period_workdays)
        if earliest >= today(now):
            # ... but the notice pauses the answer period from its issue date without limit: once the day it
            # had to reach the applicant has passed (Art. 30: 7 working days from receipt; a fee notice: the
            # answer due date it paused — notice_timing.delivery_due_on), staff must see it
            by = notice_timing.delivery_due_on(req, doc)
            if by is None or by >= today(now):
                return None
            return Lapse(req, kind, doc, by, False, f"{doc.kind_label}于{zh_date(doc.issued_on)}发出，至今未登记送达，"
                         f"已超过应当送达的期限（{zh_date(by)}，{notice_timing.DELIVERY_BASIS[doc.kind]}）；答复期限自发出之日"
                         "起暂停，须核实送达情况并登记送达", False, True)
        return Lapse(req, kind, doc, earliest, False, f"未登记{doc.kind_label}的送达：期限自申请人收到之日起算，"
                     f"即使当日送达也已于{zh_date(earliest)}届满，须核实送达情况后决定", False)
    if period.due_at >= now:
        return None
    if not may_close_on_lapse(period):  # the one rule: core/clocks/compute.py
        return Lapse(req, kind, doc, period.due_on, True, f"期限届满日（{zh_date(period.due_on)}）所在年度尚无国务院公布的"
                     "放假安排，按暂定日历计算，不自动视为放弃", False)
    if doc is None:
        return Lapse(req, kind, doc, period.due_on, False, "告知书没有送达记录（本功能上线前发出），不自动视为放弃",
                     False)
    recorded = today(doc.delivery_recorded_at) if doc.delivery_recorded_at else None
    if recorded is None or recorded > period.due_on:
        # A delivery entered only after the period it starts would already have ended is a 补录 the organ chose
        # the date of: it never closes an application by itself (条例 Art. 30: the period runs from receipt).
        return Lapse(req, kind, doc, period.due_on, True, f"送达记录系期限届满后补录（{zh_date(recorded) if recorded else '—'}"
                     f"登记，期限至{zh_date(period.due_on)}），不自动视为放弃，须核实送达情况后决定", False)
    return Lapse(req, kind, doc, period.due_on, True, "已送达且期限已届满（官方日历），将由定时任务自动按视为放弃办结",
                 True)


def decision_list(query: Any, now: datetime) -> list[Lapse]:
    """The staff decision list: applications (of `query`, already restricted to what the user sees) whose
    period seems to have run out but that were not closed automatically."""
    from requests_module.models import DisclosureRequest

    rows = query.filter(DisclosureRequest.status.in_([k.status.value for k in KINDS])).order_by(DisclosureRequest.id)
    return [lp for lp in (lapse_of(r, now) for r in rows) if lp is not None and not lp.automatic]


def _close(req, kind, due, *, now, actor, on, detail):
    """Closed on the day it is decided (`on`, never the period's last day, when the applicant could still act),
    with its legal basis in the letter."""
    transition(WORKFLOW, req, Status.CLOSED, "deemed_abandoned", now=now, actor=actor, detail={"outcome": kind.outcome, **detail})
    close(req, outcome=kind.outcome, on=on, now=now, actor=actor,
          text=f"申请人未在{kind.verb}期限（至{zh_date(due)}）内{kind.verb}，且无正当理由，根据{BASIS[kind.clock]}的规定，"
               "视为放弃申请，本机关不再处理该政府信息公开申请。")


def expire_unanswered(now: datetime) -> int:
    """The sweep: close as 视为放弃 what the law lets close without a person deciding — delivered, ran out,
    due date on an official calendar (Art. 30; 国办函〔2020〕109号; issue 15 item 8: never on a provisional date)."""
    from requests_module.models import DisclosureRequest

    closed = 0
    for req in DisclosureRequest.query.filter(DisclosureRequest.status.in_([k.status.value for k in KINDS])):
        lapse = lapse_of(req, now)
        if lapse is None or not lapse.automatic:
            continue
        with unit_of_work():
            _close(req, lapse.kind, lapse.due_on, now=now, actor="system", on=today(now), detail={})
        closed += 1
    return closed


def decide_abandoned(req: DisclosureRequest, *, reason: str, now: datetime, actor: Any) -> DisclosureRequest:
    """Staff decide that the applicant gave up (视为放弃): only after a delivered notice's period ran out, and
    with the decision's grounds recorded (Art. 30; 国办函〔2020〕109号)."""
    kind = BY_STATUS.get(req.status)
    if kind is None:
        WORKFLOW.require(Status(req.status), {Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT}, "close_abandoned")
    if not (reason or "").strip():
        raise ValidationError("请写明视为放弃的决定理由", field="reason")
    doc = documents.latest(req, kind.document)
    if doc is not None and doc.delivered_on is None:
        raise DomainError(f"{doc.kind_label}尚未登记送达：期限自申请人收到之日起算，不能视为放弃；请先登记送达")
    period = clock(req, kind.clock)
    if period is None or period.due_on is None:
        raise DomainError("期限尚未开始，不能视为放弃")
    if period.due_on >= today(now):
        raise DomainError(f"{kind.verb}期限至{zh_date(period.due_on)}，尚未届满，不能视为放弃")
    on = today(now)
    with unit_of_work():
        if doc is not None:
            doc.lapse_decision, doc.lapse_reason = "abandoned", reason.strip()
            doc.lapse_decided_at, doc.lapse_decided_by = now, documents.actor_label(actor)
        _close(req, kind, period.due_on, now=now, actor=actor, on=on,
               detail={"decision": reason.strip(), "period_due_on": period.due_on.isoformat()})
    return req


# The decision a person recorded on a notice whose period ran out (Document.lapse_decision: decide_abandoned
# here, handling's late acceptance), as the staff page names it.
DECISION_LABELS = {"abandoned": "视为放弃", "late_accepted": "逾期接受"}
