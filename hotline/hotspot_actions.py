"""The one-click actions on a hot spot (热点预警, issue 20 item 4), by supervisors and admins:

- 合并办理: its open tickets close into one master ticket (hotline.callback.merge — one unit of work, every
  caller told and later given the master's reply);
- 联合派单: its new tickets go together to one lead department with co-handling departments
  (hotline.intake.dispatch, each ticket its own use case as in the department queue's bulk sign-for: one
  refused ticket does not undo the others, and the result names it).

Each ticket is checked by its own rule (hotline/access.py: "merge", "dispatch") and changed only by the existing
use case; the hot spot then records who handled it how (its state turns 已处置 until a new ticket joins).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core import audit
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.inputs import INT_MAX, parse_int
from hotline import access, callback, intake
from hotline.hotspot_queries import members
from hotline.hotspots import ENTITY, title
from hotline.states import Status

if TYPE_CHECKING:
    from core.departments.models import Department
    from hotline.common import Actor
    from hotline.hotspot_models import Hotspot
    from hotline.models import Ticket

MERGEABLE = (Status.NEW.value, Status.DISPATCHED.value, Status.SIGNED.value)  # callback.merge's duplicates


def _require_oversight(actor: Actor) -> None:
    if not access.sees_hotspots(actor if not isinstance(actor, str) else None):
        raise DomainError("热点预警的处置须由督办人员或管理员进行")


def open_tickets(tickets: Sequence[Ticket]) -> list[Ticket]:
    """The tickets that may be a merge's master: not closed, not merged away."""
    return [t for t in tickets if t.status != Status.CLOSED.value and t.merged_into_id is None]


def pick_master(tickets: Sequence[Ticket], raw: object) -> Ticket:
    """The master named by a form or JSON value (the id of one of the open tickets); none named: the earliest."""
    candidates = open_tickets(tickets)
    if raw in (None, ""):
        if not candidates:
            raise ValidationError("本热点的工单都已办结或并入其他工单，没有可作主工单的工单", field="master")
        return candidates[0]
    try:
        ident = parse_int(raw, 1, INT_MAX) if not isinstance(raw, (bool, float, list, dict)) else None
    except ValueError:
        ident = None
    found = next((t for t in candidates if t.id == ident), None)
    if found is None:
        raise ValidationError("请选择本热点中未办结的工单作主工单", field="master")
    return found


def _handled(hotspot: Hotspot, how: str, *, now: datetime, actor: Actor, detail: dict[str, Any]) -> None:
    with unit_of_work():
        hotspot.handled_at, hotspot.handled_how, hotspot.handled_by_id = now, how, getattr(actor, "id", None)
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=hotspot.id, action=how, after=detail)


def merge_hotspot(hotspot: Hotspot, *, master: object, now: datetime, actor: Actor) -> tuple[Ticket, list[Ticket]]:
    """合并办理: every other open ticket of the hot spot (待派单, 已派单, 已签收) closes into the master."""
    _require_oversight(actor)
    tickets = members(hotspot)
    main = pick_master(tickets, master)
    if not access.can_act(actor, main, "merge"):
        raise DomainError(f"您不能合并工单 {main.number}")
    duplicates = [t for t in tickets if t.id != main.id and t.merged_into_id is None and t.status in MERGEABLE
                  and access.can_act(actor, t, "merge")]
    if not duplicates:
        raise ValidationError("没有可并入主工单的工单：只有待派单、已派单、已签收的工单可以合并", field="master")
    callback.merge(main, duplicates, now=now, actor=actor)
    _handled(hotspot, "merge", now=now, actor=actor,
             detail={"master": main.number, "tickets": [t.number for t in duplicates]})
    return main, duplicates


def dispatch_hotspot(hotspot: Hotspot, department: Department, *, co_departments: Sequence[Department] = (),
                     now: datetime, actor: Actor) -> tuple[list[Ticket], list[str]]:
    """联合派单: every new ticket of the hot spot to `department` as lead, with the co-handlers. Returns the
    dispatched tickets and, for any refused, "number：reason"."""
    _require_oversight(actor)
    waiting = [t for t in members(hotspot) if t.status == Status.NEW.value and access.can_act(actor, t, "dispatch")]
    if not waiting:
        raise ValidationError("本热点没有待派单的工单（已派出的工单请在各自的工单页处理）", field="department")
    note = f"热点预警联合派单：{title(hotspot)}"
    done, failed = [], []
    for ticket in waiting:
        try:
            intake.dispatch(ticket, department, co_departments=co_departments, now=now, actor=actor, note=note)
            done.append(ticket)
        except DomainError as err:
            db.session.rollback()
            failed.append(f"{ticket.number}：{err.message}")
    if not done:
        raise DomainError("联合派单未成功：" + "；".join(failed))
    _handled(hotspot, "dispatch", now=now, actor=actor,
             detail={"department": department.code, "co": [d.code for d in co_departments],
                     "tickets": [t.number for t in done], "refused": failed})
    return done, failed
