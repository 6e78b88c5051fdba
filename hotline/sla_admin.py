"""The admin rules that override the SLA limits of hotline/sla.py (the page: hotline/sla_views.py).

One use case per function, each one unit of work with its audit row; `now` and `actor` come from the caller."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import audit
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from hotline import sla
from hotline.models import Category, SlaRule

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from hotline.common import Actor

CLOCKS = {"dispatch": "派单", "sign_for": "签收", "return_window": "退单时限", "handling": "办理", "callback": "回访",
          "first_contact": "首次联系", "supervision_feedback": "督办反馈"}
UNITS = {"workhours": "工作小时", "wall": "自然小时"}


def clean_rule(form: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a new rule from the admin form, or ValidationError with a Chinese message per field."""
    errors: dict[str, str] = {}
    clock, unit = form.get("clock"), form.get("unit")
    if clock not in CLOCKS:
        errors["clock"] = "请选择时限"
    if unit not in UNITS:
        errors["unit"] = "请选择计时方式"
    type_ = form.get("type") or None
    if type_ is not None and type_ not in sla.TYPES:
        errors["type"] = "诉求类型无效"
    urgency = form.get("urgency") or None
    if urgency is not None and urgency not in sla.URGENCIES:
        errors["urgency"] = "紧急程度无效"
    prefix = (form.get("category_prefix") or "").strip() or None
    if prefix is not None and db.session.get(Category, prefix) is None:
        errors["category_prefix"] = "分类代码不存在"
    try:
        hours = float(form.get("hours", ""))
        if not 0 < hours <= 24 * 60:
            raise ValueError
    except ValueError:
        errors["hours"] = "时长应为大于 0 的小时数"
        hours = None
    if errors:
        raise ValidationError("；".join(errors.values()), fields=errors)
    return dict(clock=clock, unit=unit, type=type_, urgency=urgency, category_prefix=prefix, hours=hours)


def add_sla_rule(form: Mapping[str, Any], *, now: datetime, actor: Actor) -> SlaRule:
    """Validate and store an admin rule (clocks started from now on use it); audited as sla_rule/created."""
    data = clean_rule(form)
    with unit_of_work():
        rule = SlaRule(**data)
        db.session.add(rule)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind="sla_rule", entity_id=rule.id, action="created",
                         after=data)
    return rule


def delete_sla_rule(rule: SlaRule, *, now: datetime, actor: Actor) -> None:
    """Remove an admin rule (the defaults apply again); audited as sla_rule/deleted."""
    with unit_of_work():
        audit.log_change(now=now, actor=actor, entity_kind="sla_rule", entity_id=rule.id, action="deleted",
                         before={"clock": rule.clock, "hours": rule.hours, "unit": rule.unit})
        db.session.delete(rule)


def rules() -> list[SlaRule]:
    """The admin rules, oldest first."""
    return SlaRule.query.order_by(SlaRule.id).all()


def default_limits() -> list[tuple[str, str, str, float]]:
    """(clock label, urgency label, unit label, hours) of each default limit, as limit() gives it (with the
    configured return window)."""
    return [(CLOCKS[c], sla.URGENCIES[u], UNITS[lim.unit], lim.hours)
            for (c, u), lim in ((k, sla.limit(k[0], type_="complaint", urgency=k[1])) for k in sla.DEFAULTS)]
