"""The lead department's reply to a ticket and its head's sign-off; a sent reply starts the callback."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.auth.models import Role
from core.calendar.service import get_schedule
from core.db import unit_of_work
from core.errors import ValidationError
from core.notifications.service import notify
from core.workflow import transition
from hotline import access, rounds, sla, tiers
from hotline.common import ENTITY, start, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket


def _department_done(ticket, text, now, actor):
    """The department's part of a sent reply: its handling and first-contact verdicts are frozen now."""
    ticket.reply_text, ticket.replied_at = text, now
    stop(ticket, "handling", at=now, actor=actor, reason="replied")
    # a reply without a recorded first contact is the first contact (hotline/contact.py)
    stop(ticket, "first_contact", at=now, actor=actor, reason="contacted")


def _send(ticket, text, now, actor, action, came_from):
    """A reply leaves the department: up to its sub-centre in a two-level dispatch (hotline/tiers.py), else to
    the centre's callback."""
    if tiers.under_subcentre(ticket):
        transition(WORKFLOW, ticket, Status.SUBCENTRE_REVIEW, action, now=now, actor=actor, allowed_from={came_from})
        _department_done(ticket, text, now, actor)
        return
    transition(WORKFLOW, ticket, Status.REPLIED, action, now=now, actor=actor, allowed_from={came_from})
    _department_done(ticket, text, now, actor)
    finish_reply(ticket, text, now, actor)


def finish_reply(ticket: Ticket, text: str, now: datetime, actor: Actor) -> None:
    """Inside a use case: the answer goes to the caller's side — recorded as the round's answer, submitted for
    publication review, the callback clock starts, merged tickets' callers are told."""
    from hotline.models import Ticket
    rounds.record_answer(ticket, text=text, now=now, actor=actor, direct=False)
    if not ticket.confidential:  # 保密 tickets are never published
        # a reopened ticket's new answer replaces its earlier record and is reviewed again (hotline/rounds.py)
        from public_log.review import resubmit
        resubmit(kind="hotline", source_id=ticket.id, department_id=ticket.department_id, type_code=ticket.type,
               category_code=ticket.category_code, replied_on=now.astimezone(get_schedule().tz).date(),
               author_id=getattr(actor, "id", None), title=f"{sla.TYPES[ticket.type]}：{ticket.category.name}",
               request_text=ticket.content, reply_text=text, names=[ticket.caller_name],
               phones=[ticket.caller_phone], now=now, address=ticket.address, lat=ticket.lat, lng=ticket.lng)
    start(ticket, "callback", at=now, actor=actor)
    for merged in Ticket.query.filter_by(merged_into_id=ticket.id):
        if merged.caller_phone:
            # the caller may have no account: the SMS says how to read the answer (number + 查询码)
            notify("ticket_merged_answered", now=now, address=merged.caller_phone, channels=("sms",),
                   entity=(ENTITY, merged.id), context={"label": merged.number, "master": ticket.number})


def needs_signoff(ticket: Ticket, actor: Actor) -> bool:
    """Whether a reply by `actor` is a draft awaiting the department head's sign-off: by staff (not the head) of a
    department that requires sign-off (Department.requires_signoff)."""
    return (ticket.department is not None and ticket.department.requires_signoff
            and getattr(actor, "role", None) is Role.STAFF)


def reply(ticket: Ticket, *, text: str | None, now: datetime, actor: Actor) -> Ticket:
    """The lead department's reply; staff of a department that requires sign-off send it to the head."""
    if not (text or "").strip():
        raise ValidationError("请填写答复内容", field="text")
    tiers.refuse_at_level1(ticket)
    with unit_of_work():
        if needs_signoff(ticket, actor):
            transition(WORKFLOW, ticket, Status.AWAITING_SIGNOFF, "reply_drafted", now=now, actor=actor,
                       allowed_from={Status.SIGNED})
            ticket.reply_text = text.strip()
        else:
            _send(ticket, text.strip(), now, actor, "reply", Status.SIGNED)
    return ticket


def sign_off(ticket: Ticket, *, approve: bool, now: datetime, actor: Actor, note: str | None = "") -> Ticket:
    """The head's decision on a drafted reply: approved, it is sent (the callback starts); returned, with the
    changes asked for, it goes back to the department. Only whom hotline/access.py signoff_refusal admits."""
    refused = access.signoff_refusal(actor, ticket)
    if refused:
        raise access.NotTheirs(refused)
    with unit_of_work():
        if approve:
            _send(ticket, ticket.reply_text, now, actor, "reply_signed_off", Status.AWAITING_SIGNOFF)
        else:
            if not (note or "").strip():
                raise ValidationError("退回时请写明修改意见", field="note")
            transition(WORKFLOW, ticket, Status.SIGNED, "reply_returned", now=now, actor=actor,
                       allowed_from={Status.AWAITING_SIGNOFF}, detail={"note": note.strip()})
    return ticket
