"""督办单 (supervision orders): the 12345 centre's written order to a ticket's lead department, with a
deadline for the department's written feedback on its own clock, a frozen on-time verdict, and
escalation to the district leadership (level 2) when the feedback is late.

国办发〔2020〕53号 (四)(十): the hotline centre supervises (督办) the handling departments and reports
what is not handled; the feedback limit is the district's configurable default (hotline/sla.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from core import action_time, audit
from core.auth.models import Role, User
from core.calendar.service import get_schedule
from core.clocks.models import Clock
from core.clocks.service import start_clock, stop_clock, urgency_of
from core.db import claim_once, unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.formats import local_datetime
from core.notifications.service import notify
from core.workflow import TransitionError
from hotline import sla
from hotline.common import free_text, log_event
from hotline.models import SlaRule, SupervisionOrder, Ticket
from hotline.states import Status

if TYPE_CHECKING:
    from hotline.common import Actor

ENTITY = "supervision_order"
CLOCK = "supervision_feedback"
OPEN_STATES = (Status.DISPATCHED.value, Status.SIGNED.value, Status.AWAITING_SIGNOFF.value)
MAX_TEXT = 4000


def _required(value, field, missing):
    """A required text of an order; anything but a non-blank string is told as missing."""
    return free_text(value, field=field, label="内容", max_len=MAX_TEXT, required=True, missing=missing,
                     wrong_type=missing)


def clock_of(order: SupervisionOrder) -> Clock | None:
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(order.id), name=CLOCK)
            .order_by(Clock.id.desc()).first())


def issue(ticket: Ticket, *, reason: str | None, now: datetime, actor: Actor) -> SupervisionOrder:
    """Issue a 督办单 to the ticket's lead department; its feedback clock starts (sla.py limit)."""
    if getattr(actor, "role", None) not in (Role.SUPERVISOR, Role.ADMIN):
        raise DomainError("督办单只能由督办签发")
    reason = _required(reason, "reason", "请写明督办事由")
    if ticket.status not in OPEN_STATES or ticket.department_id is None:
        raise TransitionError(f"工单当前状态为“{ticket.status_label}”，只有已派单在办的工单可以下发督办单")
    with unit_of_work():
        order = SupervisionOrder(ticket_id=ticket.id, department_id=ticket.department_id, issued_at=now,
                                 issued_by_id=getattr(actor, "id", None), reason=reason, level=1)
        db.session.add(order)
        db.session.flush()
        # The number comes from the row's own id: unique even when two supervisors issue at once.
        order.number = f"DB-{now.astimezone(get_schedule().tz).year}-{order.id:06d}"
        rule = sla.limit(CLOCK, type_=ticket.type, urgency=ticket.urgency, category=ticket.category_code,
                         overrides=SlaRule.query.all())
        c = start_clock(entity_kind=ENTITY, entity_id=order.id, name=CLOCK, unit=rule.unit, length=rule.hours,
                        now=action_time.entry_time(now), actor=actor, label=f"{order.number}（{ticket.number}）",
                        department_id=ticket.department_id)
        log_event(ticket, "supervision_issued", now=now, actor=actor,
               detail={"order": order.number, "department": ticket.department.code})
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=order.id, action="issued",
                     after={"number": order.number, "ticket": ticket.number, "due_at": c.due_at.isoformat()})
        for user in _department_users(ticket.department_id, (Role.STAFF, Role.APPROVER)):
            notify("supervision_order", now=now, user=user, entity=(ENTITY, order.id),
                   context={"label": f"{order.number}（工单 {ticket.number}）", "department": ticket.department.name,
                            "due": local_datetime(c.due_at)})
    return order


def feedback(order: SupervisionOrder, *, text: str | None, now: datetime, actor: Actor) -> SupervisionOrder:
    """The department's written feedback: the clock stops and the verdict is frozen (a late one stays late)."""
    if getattr(actor, "role", None) not in (Role.STAFF, Role.APPROVER) or \
            getattr(actor, "department_id", None) != order.department_id:
        raise DomainError("督办单的书面反馈须由被督办部门提交")
    text = _required(text, "feedback", "请填写书面反馈")
    if order.feedback_at is not None:
        raise TransitionError(f"督办单 {order.number} 已反馈")
    withdrawn = clock_of(order)
    if withdrawn is not None and withdrawn.state == "stopped" and withdrawn.stop_reason == WITHDRAWN:
        raise TransitionError(f"督办单 {order.number} 已撤销（工单已不由该部门承办），无需反馈")
    ticket = db.session.get(Ticket, order.ticket_id)
    with unit_of_work():
        if not claim_once(order, "feedback_at", now):  # staff and approver at once: one feedback, one refusal
            raise TransitionError(f"督办单 {order.number} 已反馈")
        c = clock_of(order)
        on_time = stop_clock(c, now=now, actor=actor, reason="feedback") if c and c.state != "stopped" else False
        order.feedback, order.feedback_by_id = text, getattr(actor, "id", None)
        order.feedback_on_time = bool(on_time)
        log_event(ticket, "supervision_feedback", now=now, actor=actor,
               detail={"order": order.number, "on_time": order.feedback_on_time})
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=order.id, action="feedback",
                     after={"on_time": order.feedback_on_time})
    return order


WITHDRAWN = "withdrawn"  # the clock's stop reason when the ticket left the department before its feedback


def withdraw_open(ticket: Ticket, *, now: datetime, actor: Actor, why: str) -> None:
    """The ticket leaves its department (a return upheld, a transfer to 110/119/120/122, a merge): the orders
    still waiting for that department's feedback are withdrawn inside the caller's unit of work — their
    clock stops with no verdict, they neither escalate nor count in 督办反馈及时率 (they are no longer the
    department's to answer)."""
    for order in SupervisionOrder.query.filter_by(ticket_id=ticket.id, feedback_at=None):
        c = clock_of(order)
        if c is not None and c.state != "stopped":
            stop_clock(c, now=now, actor=actor, reason=WITHDRAWN)
            audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=order.id, action="withdrawn",
                         after={"why": why})


def _department_users(department_id, roles):
    return User.query.filter(User.department_id == department_id, User.active.is_(True),
                             User.role.in_(list(roles))).all()


def escalate_overdue(now: datetime) -> int:
    """Escalate (level 2, 区政府办) every order whose feedback is past due and still missing: the department's
    approvers and the supervisors are told. Idempotent: one UPDATE … WHERE escalated_at IS NULL claims
    each order, so a second or concurrent run escalates nothing twice. Returns how many escalated."""
    with unit_of_work():
        late = db.session.execute(select(Clock.entity_id).where(
            Clock.entity_kind == ENTITY, Clock.name == CLOCK, Clock.state == "running",
            Clock.due_at < now)).scalars().all()
        ids = [int(i) for i in late]
        if not ids:
            return 0
        claimed = db.session.execute(
            update(SupervisionOrder).where(SupervisionOrder.id.in_(ids), SupervisionOrder.escalated_at.is_(None),
                                           SupervisionOrder.feedback_at.is_(None))
            .values(escalated_at=now, level=2)
            .returning(SupervisionOrder.id), execution_options={"synchronize_session": False}).scalars().all()
        supervisors = User.query.filter(User.role == Role.SUPERVISOR, User.active.is_(True)).all()
        for order in SupervisionOrder.query.filter(SupervisionOrder.id.in_(claimed)):
            db.session.refresh(order)
            ticket = db.session.get(Ticket, order.ticket_id)
            c = clock_of(order)
            audit.log_change(now=now, actor="system", entity_kind=ENTITY, entity_id=order.id, action="escalated",
                         after={"level": 2})
            log_event(ticket, "supervision_escalated", now=now, actor="system", detail={"order": order.number})
            for user in _department_users(order.department_id, (Role.APPROVER,)) + supervisors:
                notify("supervision_escalated", now=now, user=user, entity=(ENTITY, order.id),
                       context={"label": f"{order.number}（工单 {ticket.number}）",
                                "department": order.department.name, "due": local_datetime(c.due_at)})
    return len(claimed)


# ---- read side -------------------------------------------------------------------------------------

# The states an order is read in: (label for pages and the API, badge colour on the pages).
STATES = {
    "open": ("待反馈", "bg-secondary"),
    "overdue": ("反馈超期", "bg-danger"),
    "escalated": ("已升级督办", "bg-danger"),
    "answered": ("已按时反馈", "bg-success"),
    "answered_late": ("逾期反馈", "bg-warning text-dark"),
    "withdrawn": ("已撤销（工单已不由该部门承办）", "bg-secondary"),
}


def state_badge(code: str) -> str:
    """The badge class (Bootstrap) of a state code from state_of, for the 督办单 list and the ticket page."""
    return STATES[code][1]


def _state(code: str) -> tuple[str, str]:
    return code, STATES[code][0]


def state_of(order: SupervisionOrder, now: datetime) -> tuple[str, str]:
    """(code, label) of an order when read: feedback on time / late, escalated, overdue, open."""
    if order.feedback_at is not None:
        return _state("answered" if order.feedback_on_time else "answered_late")
    if order.escalated_at is not None:
        return _state("escalated")
    c = clock_of(order)
    if c is not None and c.state == "stopped" and c.stop_reason == WITHDRAWN:
        return _state("withdrawn")
    if c is not None and urgency_of(c, now).value == "overdue":
        return _state("overdue")
    return _state("open")


def view(order: SupervisionOrder, now: datetime) -> dict[str, Any]:
    c = clock_of(order)
    code, label = state_of(order, now)
    return {"id": order.id, "number": order.number, "ticket_id": order.ticket_id,
            "department": order.department.code, "department_name": order.department.name,
            "issued_at": order.issued_at.isoformat(), "reason": order.reason,
            "due_at": c.due_at.isoformat() if c else None, "state": code, "state_label": label,
            "feedback": order.feedback, "feedback_at": order.feedback_at.isoformat() if order.feedback_at else None,
            "feedback_on_time": order.feedback_on_time,
            "escalated_at": order.escalated_at.isoformat() if order.escalated_at else None, "level": order.level}


def of_ticket(ticket: Ticket) -> list[SupervisionOrder]:
    return SupervisionOrder.query.filter_by(ticket_id=ticket.id).order_by(SupervisionOrder.id).all()


FILTERS = {"open": "待反馈", "overdue": "反馈超期", "escalated": "已升级", "all": "全部"}


def listing(user: User, *, state: str = "open", now: datetime, limit: int = 500) -> list[SupervisionOrder]:
    """Orders this user may see: supervisors and admins all, department staff their department's own."""
    if state not in FILTERS:
        raise ValidationError("state 应为 open、overdue、escalated 或 all", field="state")
    q = SupervisionOrder.query
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        if user.role not in (Role.STAFF, Role.APPROVER) or user.department_id is None:
            return []
        q = q.filter(SupervisionOrder.department_id == user.department_id)
    if state == "escalated":
        q = q.filter(SupervisionOrder.escalated_at.is_not(None))
    elif state in ("open", "overdue"):
        q = q.filter(SupervisionOrder.feedback_at.is_(None))
    if state == "overdue":
        late = select(Clock.entity_id).where(Clock.entity_kind == ENTITY, Clock.name == CLOCK,
                                             Clock.state == "running", Clock.due_at < now)
        q = q.filter(SupervisionOrder.id.in_([int(i) for i in db.session.execute(late).scalars()]))
    return q.order_by(SupervisionOrder.id.desc()).limit(limit).all()


def order_of(ticket: Ticket, raw: object) -> SupervisionOrder:
    """The ticket's order named by a form or JSON value (an id); a clear 400 for anything else."""
    try:
        order_id = int(raw) if not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        order_id = None
    order = db.session.get(SupervisionOrder, order_id) if order_id is not None and 0 < order_id < 2**31 else None
    if order is None or order.ticket_id != ticket.id:
        raise ValidationError("请选择本工单的督办单", field="order")
    return order


def panel(user: User, ticket: Ticket, now: datetime) -> dict[str, Any]:
    """What the ticket page shows of 督办单: the orders with state, and which forms this user gets."""
    from hotline import access
    orders = of_ticket(ticket)
    return {"orders": [(o, clock_of(o), state_of(o, now)) for o in orders],
            "badge": state_badge,
            "may_issue": access.can_act(user, ticket, "supervise") and ticket.status in OPEN_STATES,
            "may_feedback": access.can_act(user, ticket, "supervision_feedback")
            and getattr(user, "department_id", None) is not None}
