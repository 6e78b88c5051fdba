"""The console's side of CTI: the extension an operator signs in at (分机签入), what the screen-pop shows of a
ringing number (the caller's open tickets and history, as the operator may see them), the ticket a call is
logged as (one unit of work with the ticket: hotline.intake.create_ticket), and the call log."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core import audit
from core.db import claim_once, unit_of_work
from core.errors import NotTheirs, ValidationError
from core.extensions import db
from core.inputs import INT_MAX
from hotline import access
from hotline.common import log_event
from hotline.cti import EXTENSION, phone_variants
from hotline.cti_models import Agent, Call
from hotline.models import Ticket
from hotline.states import Status

if TYPE_CHECKING:
    from core.auth.models import User

HISTORY_LIMIT = 10  # tickets of each list of the screen-pop
CALL_LOG_LIMIT = 200  # calls of the call log page


def extension_of(user: User) -> str | None:
    """The extension the operator is signed in at, or None."""
    agent = Agent.query.filter_by(user_id=user.id).first()
    return agent.extension if agent else None


def sign_in(user: User, extension: str | None, *, now: datetime) -> str | None:
    """Sign the operator in at an extension (the calls ringing there pop up on their console), leaving any other
    they held; an extension held by someone else passes to them (a new shift at the same seat). Returns the
    label of the operator who held it before, if another."""
    if not access.may_take_calls(user):
        raise NotTheirs("只有话务员、督办人员和管理员可以签入分机")
    extension = (extension or "").strip()
    if not EXTENSION.fullmatch(extension):
        raise ValidationError("分机号应为 1–20 位数字或字母", field="extension")
    try:
        with unit_of_work():
            Agent.query.filter_by(user_id=user.id).delete()
            held = db.session.get(Agent, extension)
            previous = held.user.label if held is not None and held.user_id != user.id else None
            if held is not None:
                db.session.delete(held)
                db.session.flush()
            db.session.add(Agent(extension=extension, user_id=user.id, since=now))
            audit.log_change(now=now, actor=user, entity_kind="cti_agent", entity_id=extension, action="sign_in",
                             after={"user": user.id, "previous": previous})
    except IntegrityError:
        raise ValidationError("分机刚被他人签入，请重试", field="extension") from None
    return previous


def sign_out(user: User, *, now: datetime) -> None:
    """Leave the extension: its calls no longer pop up on this operator's console."""
    with unit_of_work():
        for agent in Agent.query.filter_by(user_id=user.id):
            audit.log_change(now=now, actor=user, entity_kind="cti_agent", entity_id=agent.extension,
                             action="sign_out", after={"user": user.id})
            db.session.delete(agent)


def caller_tickets(user: User, phone: str | None) -> dict[str, list[Ticket]]:
    """The ringing number's tickets this user may see (hotline/access.py: visible; a confidential ticket only to
    those who see callers): {"open": not yet closed, "history": closed}, newest first."""
    if not phone:
        return {"open": [], "history": []}
    query = access.visible(Ticket.query.filter(Ticket.caller_phone.in_(phone_variants(phone))), user)
    if not access.sees_callers(user):
        query = query.filter(Ticket.confidential.is_(False))
    newest = Ticket.received_at.desc()
    closed = Ticket.status == Status.CLOSED.value
    return {"open": query.filter(~closed).order_by(newest).limit(HISTORY_LIMIT).all(),
            "history": query.filter(closed).order_by(newest).limit(HISTORY_LIMIT).all()}


def call_for_link(text: Any) -> Call | None:
    """The call the console form links its ticket to (hidden field call_id): None when empty; a wrong, unknown or
    already logged call is refused with a message (the form comes back with everything typed)."""
    if not str(text or "").strip():
        return None
    call = linked_call(text)
    if call is None:
        raise ValidationError("关联的来电记录不存在，请清除关联后再保存", field="call_id")
    if call.ticket_id is not None:
        raise ValidationError(f"该来电已登记为工单 {_number(call.ticket_id)}，请清除关联后再保存", field="call_id")
    return call


def linked_call(text: Any) -> Call | None:
    """The call a console form names (hidden field call_id), or None when empty, malformed or unknown."""
    raw = str(text or "").strip()
    return db.session.get(Call, int(raw)) if raw.isdigit() and int(raw) <= INT_MAX else None


def _number(ticket_id):
    ticket = db.session.get(Ticket, ticket_id)
    return ticket.number if ticket else ""


def link(call: Call, ticket: Ticket, *, now: datetime, actor: Any) -> None:
    """Link the call to the ticket logged from it, inside the ticket's unit of work; a call already linked (two
    consoles saving at once) refuses, and the ticket is not saved."""
    if not claim_once(call, "ticket_id", ticket.id):
        raise ValidationError("该来电刚被登记为另一张工单，请清除关联后再保存", field="call_id")
    log_event(ticket, "call_linked", now=now, actor=actor, detail={"call": call.id, "call_id": call.call_id})


def calls_of(ticket: Ticket) -> list[Call]:
    """The calls logged as this ticket, oldest first."""
    return Call.query.filter_by(ticket_id=ticket.id).order_by(Call.id).all()


def recent_calls(phone: str | None = None, limit: int = CALL_LOG_LIMIT) -> list[tuple[Call, str | None]]:
    """The call log, newest first, each call with the number of the ticket it was logged as (or None); with
    `phone`, only that caller's calls. The number is read as a column: a ticket row loaded with that one column
    would stay in the session, half read, for any later read of the ticket there, and would bring its eagerly
    loaded departments, category, co-handlers and callbacks along."""
    query = (db.session.query(Call, Ticket.number).outerjoin(Ticket, Ticket.id == Call.ticket_id)
             .options(joinedload(Call.user)))
    if phone:
        query = query.filter(Call.phone.in_(phone_variants(phone)))
    return [(call, number) for call, number in
            query.order_by(Call.created_at.desc(), Call.id.desc()).limit(limit).all()]
