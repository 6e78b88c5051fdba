"""Recording reconsiderations and lawsuits over an application and their results (one use case each)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core import audit
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from requests_module.common import ENTITY
from requests_module.models import Dispute

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

KINDS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
RESULTS = {"upheld": "维持", "corrected": "纠正", "other": "其他结果"}


def _check_day(day: date, field: str, label: str, *, not_before: tuple[date, str], today: date) -> None:
    """`day` lies between `not_before` (a day and its name) and today."""
    earliest, earliest_label = not_before
    if day < earliest:
        raise ValidationError(f"{label}不能早于{earliest_label}", field=field)
    if day > today:
        raise ValidationError(f"{label}不能晚于今天", field=field)


def file_dispute(req: DisclosureRequest, *, kind: str, filed_on: date, after_reconsideration: bool = False,
                 note: str = "", today: date, now: datetime, actor: Any) -> Dispute:
    """A reconsideration or lawsuit was filed against the handling of `req`."""
    if kind not in KINDS:
        raise ValidationError("请选择行政复议或行政诉讼", field="kind")
    if req.received_on is None:
        raise ValidationError("申请尚未收到，不能登记复议或诉讼", field="kind")
    _check_day(filed_on, "filed_on", "提起日期", not_before=(req.received_on, "申请收到日期"), today=today)
    with unit_of_work():
        dispute = Dispute(request_id=req.id, kind=kind, filed_on=filed_on, note=(note or "").strip(), created_at=now,
                          after_reconsideration=bool(after_reconsideration) and kind == "litigation")
        db.session.add(dispute)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=req.id, action="dispute_filed",
                     after={"dispute": dispute.id, "kind": kind, "filed_on": filed_on.isoformat(),
                            "after_reconsideration": dispute.after_reconsideration})
    return dispute


def decide_dispute(req: DisclosureRequest, dispute: Dispute, *, result: str, decided_on: date, today: date, now: datetime, actor: Any) -> Dispute:
    """The reconsideration body or court decided: 维持, 纠正 or another result."""
    if dispute.request_id != req.id:
        raise ValidationError("请选择本申请的复议或诉讼", field="dispute")
    if dispute.result is not None:
        raise ValidationError("该复议或诉讼已登记结果", field="dispute")
    if result not in RESULTS:
        raise ValidationError("请选择结果：维持、纠正或其他结果", field="result")
    _check_day(decided_on, "decided_on", "结果日期", not_before=(dispute.filed_on, "提起日期"), today=today)
    with unit_of_work():
        dispute.result, dispute.decided_on = result, decided_on
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=req.id, action="dispute_decided",
                     after={"dispute": dispute.id, "result": result, "decided_on": decided_on.isoformat()})
    return dispute
