"""延期 of a ticket's handling period (issue 16 item 4).

An extension is asked for and approved BEFORE the handling clock expires (国办发〔2020〕53号: 承办单位
因特殊情况不能按期办结的，应在办理时限内申请延期; DESIGN §3: at most 10 working days, once per
dispatch, approved by a supervisor). Both steps follow core/action_time.py: the time that counts is
the later of when it happened and when it was entered, so a back-dated API `at` cannot slip a request
or an approval in after the due moment. A request still pending when the clock expires can no longer
be approved (it can still be refused, which clears it).

When approved the caller is told the new due date by SMS and the audit row keeps it (`due_at`), for
the caller's status page.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core import action_time
from core.auth.models import Role
from core.clocks.models import ClockState
from core.clocks.service import extend_clock
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.formats import local_datetime
from core.notifications.service import notify
from core.workflow import TransitionError
from hotline import sla, tiers
from hotline.common import ENTITY, clock, free_text, log_event
from hotline.returns import MAX_TEXT
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket


def expired(ticket: Ticket, now: datetime) -> datetime | None:
    """The running handling clock's due moment if the action at `now` (entered when core/action_time.py
    says) comes after it, else None."""
    c = clock(ticket, "handling")
    if c is None or c.state != ClockState.RUNNING.value:
        return None
    late = now > c.due_at or action_time.entered(now) > c.due_at  # entered after expiry: too late, no grace
    return c.due_at if late else None


def request_extension(ticket: Ticket, *, hours: float, reason: str | None, now: datetime, actor: Actor) -> Ticket:
    """Ask for more time once per dispatch, at most sla.MAX_EXTENSION_HOURS, before the handling period expires."""
    if ticket.extension_used or ticket.extension_request_hours:
        raise TransitionError("本次派单已经申请过延期")
    if not isinstance(hours, (int, float)) or isinstance(hours, bool) or not 0 < hours <= sla.MAX_EXTENSION_HOURS:
        raise ValidationError(f"延期时长应在 0 到 {sla.MAX_EXTENSION_HOURS:g} 个工作小时之间", field="hours")
    reason = free_text(reason, field="reason", label="延期理由", max_len=MAX_TEXT, required=True,
                       missing="请写明延期理由")
    WORKFLOW.require(Status(ticket.status), {Status.SIGNED}, "extension_request")
    tiers.refuse_at_level1(ticket)
    due = expired(ticket, now)
    if due is not None:
        raise TransitionError(f"办理期限已于 {local_datetime(due)} 届满，不能再申请延期：延期须在办理期限内申请并获批准")
    with unit_of_work():
        ticket.extension_request_hours, ticket.extension_request_reason = float(hours), reason
        log_event(ticket, "extension_requested", now=now, actor=actor, detail={"hours": hours, "reason": reason})
    return ticket


def decide_extension(ticket: Ticket, *, approve: bool, now: datetime, actor: Actor, note: str | None = "") -> Ticket:
    """A supervisor approves (before expiry: the handling clock moves and the caller is told the new
    date) or refuses the extension request."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise DomainError("延期须由督办批准")
    note = free_text(note, field="note", label="审批意见", max_len=MAX_TEXT)
    if not ticket.extension_request_hours:
        raise TransitionError("没有待审批的延期申请")
    due = expired(ticket, now) if approve else None
    if due is not None:
        raise TransitionError(f"办理期限已于 {local_datetime(due)} 届满，延期申请未在期限内获批准，已不能批准；"
                              "可选择“不同意”结束该申请")
    with unit_of_work():
        hours = ticket.extension_request_hours
        detail = {"hours": hours, "note": note}
        if approve:
            c = clock(ticket, "handling")
            if c is None or c.state != ClockState.RUNNING.value:
                raise TransitionError("办理计时不在进行中，不能批准延期")
            extend_clock(c, hours, now=now, actor=actor, reason=ticket.extension_request_reason,
                         maximum=sla.MAX_EXTENSION_HOURS)
            ticket.extension_used = True
            detail["due_at"] = c.due_at.isoformat()  # the new due date, for the caller's status page
            if ticket.caller_phone:
                notify("ticket_extended", now=now, address=ticket.caller_phone, channels=("sms",),
                       entity=(ENTITY, ticket.id), context={"label": ticket.number, "due": local_datetime(c.due_at)})
        ticket.extension_request_hours = None
        log_event(ticket, "extension_approved" if approve else "extension_refused", now=now, actor=actor, detail=detail)
    return ticket
