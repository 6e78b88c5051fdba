"""Closing an answered ticket whose caller left no phone (issue 16, item 7).

回访 (国办发〔2020〕53号: every answered ticket is called back) needs a number to call. A web request
without a phone can only be rated online by its caller, with the number and the access code. So the desk
waits for the callback period (the "callback" clock, DESIGN §3) and, if the caller has not rated by then,
closes the ticket as not reachable — without three fake failed attempts. close_reason "no_contact"
(as distinct from "unreachable": three real attempts that failed) lets the measures tell the two apart.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.db import unit_of_work
from core.formats import local_datetime
from core.workflow import TransitionError, transition
from hotline.caller_view import reachable
from hotline.common import clock, free_text, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket

CLOSE_REASON = "no_contact"
MAX_NOTE = 500
STOP_REASON = "no contact phone"  # the callback clock's stop reason: no verdict on the desk (reports leave it out)


def close_no_contact(ticket: Ticket, *, now: datetime, actor: Actor, note: str | None = "") -> Ticket:
    """Close an answered ticket without a contact phone once its callback period has run out."""
    if reachable(ticket):
        raise TransitionError("该工单留有联系电话，请按正常回访登记")
    WORKFLOW.require(Status(ticket.status), {Status.REPLIED}, "close_no_contact")
    c = clock(ticket, "callback")
    if c is not None and c.state != "stopped" and now < c.due_at:
        raise TransitionError(f"市民可凭工单编号和查询码在线评价，请在回访时限（{local_datetime(c.due_at)}）届满后"
                              "仍未评价的，再按无联系电话办结")
    note = free_text(note, field="note", label="说明", max_len=MAX_NOTE, allow_nul=False,
                     too_long="{label}不能超过 {max_len} 字，且不能含有非法字符")
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.CLOSED, "close_no_contact", now=now, actor=actor,
                   allowed_from={Status.REPLIED}, detail={"note": note} if note else None)
        ticket.close_reason, ticket.closed_at, ticket.close_note = CLOSE_REASON, now, note or None
        stop(ticket, "callback", at=now, actor=actor, reason=STOP_REASON)
    return ticket
