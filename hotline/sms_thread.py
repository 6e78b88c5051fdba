"""A ticket's SMS conversation (issue 20 item 2, "an inbound SMS webhook does the same" as the mail thread): a
ticket converted from an inbound SMS keeps the sender's number as its conversation (hotline/mail_intake.py:
convert); the desk replies by SMS through the outbox, and the citizen's answer from that number joins the ticket.

An SMS carries no subject, so no token: the number and the time are the thread. An inbound SMS joins the open
ticket whose last SMS reply to that number is at most SMS_THREAD_DAYS old (the most recent reply wins); older, or
the ticket closed, it is a new 待受理 item, read by an operator as any other message.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import func

from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.notifications.models import Status as Delivery
from hotline.common import free_text
from hotline.mail_models import MailThread, TicketMail
from hotline.models import Ticket
from hotline.replies import send_reply
from hotline.states import Status

if TYPE_CHECKING:
    from hotline.common import Actor

CHANNEL = "sms"
MAX_REPLY = 500  # characters of one reply: a long SMS is split by the gateway; a letter belongs in the answer


def thread_of(ticket: Ticket) -> MailThread | None:
    """The ticket's SMS conversation (the citizen's number), or None."""
    return MailThread.of(ticket.id, CHANNEL)


def reply_by_sms(ticket: Ticket, *, text: Any, now: datetime, actor: Actor) -> TicketMail:
    """The desk's reply in the ticket's SMS conversation: through the outbox (core/notifications, event
    ticket_sms_reply, naming the ticket and inviting an answer by SMS), kept as an outgoing message."""
    thread = thread_of(ticket)
    if thread is None:
        raise ValidationError("该工单不是来自短信，没有可回复的短信往来", field="text")
    if not takes_answers(ticket):  # the SMS promises that the answer joins the ticket (templates: ticket_sms_reply)
        raise ValidationError("该工单已办结，诉求人的回复短信不会再并入本工单，不能再通过短信往来回复", field="text")
    body = free_text(text, field="text", label="短信回复内容", max_len=MAX_REPLY, required=True, allow_nul=False,
                     missing="请填写短信回复内容")
    return send_reply(ticket, thread, event="ticket_sms_reply", now=now, actor=actor,
                      context={"label": ticket.number, "text": body})


def takes_answers(ticket: Ticket) -> bool:
    """Whether an SMS answer may still join this ticket: not once it is closed (also a merged duplicate)."""
    return ticket.status != Status.CLOSED.value


def delivery_of(messages: list[TicketMail]) -> dict[int, Delivery]:
    """The outbox's word on each reply sent (待发送 / 发送中 / 已发送 / 发送失败), by message id: the desk sees
    whether the citizen got it — a failed SMS (a landline, a gateway refusal) is not a silent 回复."""
    ids = {m.notification_id: m.id for m in messages if m.direction == "out" and m.notification_id is not None}
    if not ids:
        return {}
    rows = db.session.query(Notification.id, Notification.status).filter(Notification.id.in_(ids))
    return {ids[n_id]: Delivery(status) for n_id, status in rows}


def threaded_ticket(sender: str, *, at: datetime) -> Ticket | None:
    """The open ticket an SMS from `sender` received `at` answers: its conversation is with that number and its
    last SMS reply before `at` is at most SMS_THREAD_DAYS old; of several, the one replied to most recently, and
    none when that one is closed (an SMS written before any reply, handed over late by the gateway, answers
    none)."""
    if not sender:
        return None
    since = at - timedelta(days=current_app.config["SMS_THREAD_DAYS"])
    last = (db.session.query(TicketMail.ticket_id.label("ticket_id"), func.max(TicketMail.at).label("at"))
            .join(MailThread, MailThread.ticket_id == TicketMail.ticket_id)
            .filter(MailThread.channel == CHANNEL, MailThread.address == sender, TicketMail.channel == CHANNEL,
                    TicketMail.direction == "out", TicketMail.at <= at)
            .group_by(TicketMail.ticket_id).subquery())
    # the conversation the citizen answers is the one last replied in; closed since, the answer is the inbox's
    # (never an older open ticket of the same number)
    # (its id first: most SMS answer no reply, and the ticket's row is read only for one that does)
    found = (db.session.query(last.c.ticket_id).filter(last.c.at >= since)
             .order_by(last.c.at.desc(), last.c.ticket_id.desc()).limit(1).scalar())
    ticket = db.session.get(Ticket, found) if found is not None else None
    return ticket if ticket is not None and takes_answers(ticket) else None
