"""Notices to the caller about their own ticket: by SMS when they left a phone, and in-app when they submitted
it from their account (the inbox links to their status page, hotline/notice_links.py)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.extensions import db
from core.notifications.service import notify
from hotline.states import ENTITY

if TYPE_CHECKING:
    from hotline.models import Ticket


def tell_caller(ticket: Ticket, event: str, *, now: datetime, context: dict[str, Any]) -> None:
    """`event` about the ticket to its caller, in the caller's unit of work: SMS to the phone given, in-app to
    the citizen account that submitted it. A caller with neither is not told (they follow it by number + code)."""
    from core.auth.models import User

    ctx = {"label": ticket.number, **context}
    entity = (ENTITY, ticket.id)
    user = db.session.get(User, ticket.citizen_id) if ticket.citizen_id else None
    if user is not None:
        notify(event, now=now, user=user, channels=("inapp",), context=ctx, entity=entity)
    if (ticket.caller_phone or "").strip():
        notify(event, now=now, address=ticket.caller_phone, channels=("sms",), context=ctx, entity=entity)
