"""Intake and dispatch: a call or message becomes a ticket, is closed from the knowledge base,
transferred as an emergency, or dispatched to a lead department with co-handlers (DESIGN §3)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.auth import lookup
from core.calendar.service import get_calendar, get_schedule
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.formats import zh_moment
from core.notifications.service import notify
from core.workflow import transition
from core.worktime import add_wall_hours, add_work_hours
from hotline import cti_console, linkage, rounds, sla, tiers
from hotline.caller_notices import tell_caller
from hotline.common import ENTITY, log_event, start, stop
from hotline.models import CoHandler, SlaRule, Ticket
from hotline.states import WORKFLOW, Status
from hotline.validation import clean_ticket

if TYPE_CHECKING:
    from core.auth.models import User
    from core.departments.models import Department
    from hotline.common import Actor
    from hotline.cti_models import Call

CHANNELS = {"phone": "电话", "web": "网站", "app": "APP/微信", "open311": "Open311", "letter": "来信",
            "110": "110 转来",  # 国办发〔2022〕12号: non-emergency matters 110 hands over to 12345
            "email": "电子邮件", "sms": "短信"}  # written intake: converted from the inbox (hotline/mail_intake.py)
EMERGENCY = linkage.EMERGENCY  # 110/119/120/122 (国办发〔2020〕53号)


def create_ticket(data: Mapping[str, Any], *, channel: str, received_at: datetime, now: datetime, actor: Actor,
                  operator: User | None = None, citizen: User | None = None,
                  on_created: Callable[[Ticket], object] | None = None, call: Call | None = None) -> Ticket:
    """Record a call or message; the dispatch clock starts at its reception. `on_created(ticket)` runs inside the
    same unit of work (the inbox links the message the ticket came from: one commit, or none); `call`: the CTI
    call it was logged from (hotline/cti_console.py), linked in the same unit of work."""
    if channel not in CHANNELS:
        raise ValidationError("未知的受理渠道", field="channel")
    if received_at > now:
        raise ValidationError("受理时间不能晚于现在", field="received_at")
    errors, cleaned = {}, None
    try:
        cleaned = clean_ticket(data)
    except ValidationError as err:
        errors.update(err.fields)
    if channel == "110":  # 110 转来: its incident number is required (国办发〔2022〕12号)
        try:
            ref = linkage.handover_ref(data)
        except ValidationError as err:
            errors.update(err.fields)
    if errors:
        raise ValidationError("工单内容有误：" + "；".join(errors.values()), fields=errors)
    if channel == "110":
        cleaned["handover_ref"] = ref
    with unit_of_work():
        ticket = Ticket(status=Status.NEW.value, channel=channel, received_at=received_at,
                        operator_id=getattr(operator, "id", None), citizen_id=getattr(citizen, "id", None), **cleaned)
        db.session.add(ticket)
        db.session.flush()
        ticket.number = f"RX-{received_at.astimezone(get_schedule().tz).year}-{ticket.id:06d}"
        log_event(ticket, "created", now=received_at, actor=actor,
               detail={"number": ticket.number, "channel": channel, "type": ticket.type,
                       "category": ticket.category_code, "urgency": ticket.urgency})
        dispatch_clock = start(ticket, "dispatch", at=received_at, actor=actor, on_receipt=True)
        # the caller's access code for the status look-up: on the receipt page once, and by SMS (written with the
        # acceptance SMS, after the clock: the outbox rows of the intake go in one statement)
        ticket.access_code = lookup.issue(ENTITY, ticket.id, now=now, new=True, label=f"12345 工单 {ticket.number} ",
                                          phone=ticket.caller_phone)
        tell_caller(ticket, "ticket_accepted", now=now, context={"due": zh_moment(dispatch_clock.due_at)})
        if channel == "110":
            linkage.record_incoming(ticket, at=received_at, actor=actor)
        if on_created is not None:
            on_created(ticket)
        if call is not None:
            cti_console.link(call, ticket, now=now, actor=actor)
    return ticket


def transfer_emergency(ticket: Ticket, *, to: str | None, now: datetime, actor: Actor, note: str | None = "",
                       reference: str | None = "", counterpart: str | None = "") -> Ticket:
    """Emergencies belong to 110/119/120/122: hotline.linkage.transfer records and closes."""
    return linkage.transfer(ticket, to=to, now=now, actor=actor, note=note, reference=reference,
                            counterpart=counterpart)


def direct_close(ticket: Ticket, *, answer: str | None, now: datetime, actor: Actor) -> Ticket:
    """直接办结: the operator answered from the knowledge base; the ticket goes to callback."""
    if not (answer or "").strip():
        raise ValidationError("请填写答复内容", field="answer")
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.REPLIED, "direct_close", now=now, actor=actor, allowed_from={Status.NEW})
        ticket.direct, ticket.reply_text, ticket.replied_at = True, answer.strip(), now
        rounds.record_answer(ticket, text=answer.strip(), now=now, actor=actor, direct=True)
        stop(ticket, "dispatch", at=now, actor=actor, reason="answered directly")
        start(ticket, "callback", at=now, actor=actor)
    return ticket


def return_deadline(ticket: Ticket, dispatched_at: datetime) -> datetime:
    rule = sla.limit("return_window", type_=ticket.type, urgency=ticket.urgency, category=ticket.category_code,
                     overrides=SlaRule.query.all())
    if rule.unit == "wall":
        return add_wall_hours(dispatched_at, rule.hours)
    return add_work_hours(get_calendar(), dispatched_at, rule.hours, get_schedule())


def dispatch(ticket: Ticket, department: Department, *, now: datetime, actor: Actor,
             co_departments: Sequence[Department] = (), note: str | None = "") -> Ticket:
    """派单 to a lead department (and co-handlers): sign-for and handling clocks start."""
    from core.auth.models import Role, User

    co = [d for d in co_departments if d.id != department.id]
    if department.kind == tiers.CENTRE:  # the city centre dispatches; it is no one's lead department
        raise ValidationError("请选择承办部门或分中心", field="department")
    if tiers.is_subcentre(department) and co:
        raise ValidationError("派往分中心的工单由分中心二次派单，不能同时指定协办单位", field="co")
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.DISPATCHED, "dispatch", now=now, actor=actor, allowed_from={Status.NEW},
                   detail={"department": department.code, "co": [d.code for d in co], "note": note})
        stop(ticket, "dispatch", at=now, actor=actor, reason="dispatched")
        ticket.department = department
        ticket.dispatched_at, ticket.signed_at = now, None
        ticket.extension_used, ticket.extension_request_hours = False, None
        ticket.return_deadline = return_deadline(ticket, now)
        for c in ticket.co_handlers:
            db.session.delete(c)
        for d in co:
            db.session.add(CoHandler(ticket_id=ticket.id, department_id=d.id))
        if tiers.is_subcentre(department):  # level 1 of a two-level dispatch: the sub-centre's own clocks
            handling = tiers.start_level1(ticket, department, now=now, actor=actor)
        else:
            ticket.subcentre_id = ticket.subcentre_dispatched_at = ticket.subcentre_signed_at = None
            start(ticket, "sign_for", at=now, actor=actor, department_id=department.id)
            handling = start(ticket, "handling", at=now, actor=actor, department_id=department.id)
            start(ticket, "first_contact", at=now, actor=actor, department_id=department.id)  # hotline/contact.py
        for user in User.query.filter(User.department_id.in_([department.id] + [d.id for d in co]),
                                      User.active.is_(True), User.role.in_([Role.STAFF, Role.APPROVER])):
            notify("new_assignment", now=now, user=user, entity=(ENTITY, ticket.id),
                   context={"label": f"{ticket.number} {sla.TYPES[ticket.type]}", "department": department.name,
                            "due": zh_moment(handling.due_at)})
        # the caller's period starts: who handles it and by when (the handling clock)
        tell_caller(ticket, "ticket_dispatched", now=now,
                    context={"department": department.name, "due": zh_moment(handling.due_at)})
    db.session.refresh(ticket)
    return ticket

