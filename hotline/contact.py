"""首次联系诉求人: the lead department records when it first reached the caller. The "first_contact"
clock starts at dispatch (hotline/sla.py FIRST_CONTACT_*: the district's configurable default) and its
frozen verdict is the 响应率 of the assessment (reports/hotline_assessment.py), after
国办发〔2020〕53号 (接诉即办: 及时响应诉求) — a reply without a recorded contact stops it too."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.db import unit_of_work
from core.workflow import TransitionError
from hotline.common import clock, free_text, log_event, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket

IN_HAND = (Status.DISPATCHED, Status.SIGNED, Status.AWAITING_SIGNOFF)
MAX_NOTE = 500


def record_contact(ticket: Ticket, *, now: datetime, actor: Actor, note: str | None = "") -> Ticket:
    """Record the department's first contact with the caller for the current dispatch: the clock's
    verdict is frozen now (counted on the ticket: contact_verdicts / contact_in_time)."""
    note = free_text(note, field="note", label="联系情况", max_len=MAX_NOTE, allow_none=False, allow_nul=False,
                     too_long="{label}不能超过 {max_len} 字，且不能含控制字符")
    WORKFLOW.require(Status(ticket.status), IN_HAND, "contact")
    c = clock(ticket, "first_contact")
    if c is None or c.state == "stopped":
        raise TransitionError("本次派单已记录过首次联系")
    with unit_of_work():
        ticket.first_contact_at = now
        on_time = stop(ticket, "first_contact", at=now, actor=actor, reason="contacted")
        log_event(ticket, "contact", now=now, actor=actor, detail={"on_time": on_time, "note": note})
    return ticket
