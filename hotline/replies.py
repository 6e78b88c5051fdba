"""The desk's reply in a ticket's conversation with the citizen, by e-mail (hotline/mail_intake.py) or by SMS
(hotline/sms_thread.py): one way to send it and to keep it, whatever the channel."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.db import unit_of_work
from core.extensions import db
from core.notifications.service import notify
from hotline.common import ENTITY, log_event
from hotline.mail_models import MailThread, TicketMail
from hotline.models import Ticket

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hotline.common import Actor

STEP = {"email": "mail_out", "sms": "sms_out"}  # the ticket history's step (hotline/queries.py: STEP_LABELS)


def send_reply(ticket: Ticket, thread: MailThread, *, event: str, context: dict[str, Any], now: datetime,
               actor: Actor, headers: Mapping[str, str] | None = None, header_id: str | None = None) -> TicketMail:
    """In one commit: the reply through the outbox (core/notifications delivers it after commit) to the
    conversation's address, kept as an outgoing message of the conversation with its outbox row (so the desk
    sees whether it was delivered), and a step in the ticket's history."""
    with unit_of_work():
        rows = notify(event, now=now, address=thread.address, channels=(thread.channel,),
                      entity=(ENTITY, ticket.id), headers=headers, context=context)
        db.session.flush()  # the outbox row's id, for the message record
        message = TicketMail(ticket_id=ticket.id, channel=thread.channel, direction="out", at=now,
                             address=thread.address, subject=rows[0].subject, body=rows[0].body, header_id=header_id,
                             notification_id=rows[0].id, actor_id=getattr(actor, "id", None))
        db.session.add(message)
        log_event(ticket, STEP[thread.channel], now=now, actor=actor, detail={"to": thread.address})
    return message
