"""Department handling: sign for, co-handling, reminders (the 退单 is hotline/returns.py, the 延期
hotline/extensions.py, the reply hotline/reply.py)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.auth.models import Role
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.formats import local_datetime
from core.notifications.service import notify
from core.workflow import TransitionError, transition
from hotline import tiers
from hotline.common import ENTITY, clock, log_event, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from core.departments.models import Department
    from hotline.common import Actor
    from hotline.models import Ticket


def sign(ticket: Ticket, *, now: datetime, actor: Actor) -> Ticket:
    """签收: the sign-for verdict (of the level the ticket is at) is frozen now."""
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.SIGNED, "sign", now=now, actor=actor, allowed_from={Status.DISPATCHED})
        ticket.signed_at = now
        if tiers.held_by_subcentre(ticket):  # the sub-centre signs for it at level 1 (hotline/tiers.py)
            tiers.sign_level1(ticket, now=now, actor=actor)
        else:
            stop(ticket, "sign_for", at=now, actor=actor, reason="signed")
    return ticket


def add_co_part(ticket: Ticket, department: Department, *, part: str | None, now: datetime, actor: Actor) -> Ticket:
    """A co-handling department (协办) adds its part for the lead's reply."""
    co = next((c for c in ticket.co_handlers if c.department_id == department.id), None)
    if co is None:
        raise DomainError("该部门不是本工单的协办单位")
    if ticket.status not in (Status.DISPATCHED.value, Status.SIGNED.value):
        raise TransitionError("工单已答复，不能再提交协办意见")
    if not (part or "").strip():
        raise ValidationError("请填写协办意见", field="part")
    with unit_of_work():
        co.part, co.submitted_at = part.strip(), now
        log_event(ticket, "co_part", now=now, actor=actor, detail={"department": department.code})
    return ticket


def urge(ticket: Ticket, *, kind: str | None, note: str | None, now: datetime, actor: Actor) -> Ticket:
    """催办: a trail and a reminder to the department. 督办 is no message but a written order with a
    deadline for the department's feedback (hotline/supervision.py, issue 16 item 5)."""
    from core.auth.models import User
    if kind == "supervise":
        raise ValidationError("督办请下发督办单（工单页“督办单”，由督办人员下发，部门须在时限内书面反馈）", field="kind")
    if kind not in (None, "", "remind"):
        raise ValidationError("kind 应为 remind（催办）", field="kind")
    kind = "remind"
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        raise ValidationError("催办说明应为不超过 500 字的文字", field="note")
    if ticket.status not in (Status.DISPATCHED.value, Status.SIGNED.value, Status.AWAITING_SIGNOFF.value):
        raise TransitionError("只有在办的工单可以催办")
    with unit_of_work():
        log_event(ticket, kind, now=now, actor=actor, detail={"note": (note or "").strip()})
        c = clock(ticket, "handling")
        for user in User.query.filter(User.department_id == ticket.department_id, User.active.is_(True),
                                      User.role.in_([Role.STAFF, Role.APPROVER])):
            notify("clock_due_soon", now=now, user=user, entity=(ENTITY, ticket.id), context={
                "label": ticket.number, "clock_name": "办理时限", "department": ticket.department.name,
                "due": local_datetime(c.due_at) if c else ""})
    return ticket
