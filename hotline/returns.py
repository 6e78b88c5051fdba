"""退单 and its review by the 12345 centre (issue 16 item 3).

A department may return a misrouted ticket only inside the return window and with a reason
(国办发〔2020〕53号: 承办单位对不属于本单位职责范围的工单，应在规定时限内申请退回，由 12345 热线工作机构
审核). The return does not end the department's clocks at once: the ticket waits in `return_review`
with its running sign-for and handling clocks paused, and the centre decides —

- 成立 (upheld): the paused clocks stop as "returned" (no verdict is counted), the ticket goes back to
  the dispatch queue with a new dispatch clock and the department is cleared (return_count + 1);
- 不成立 (rejected, with a reason): the ticket goes back to the state it was in with the same
  department, its clocks resume where they stopped (the review time is not counted), the department is
  told why; the Return row keeps decision "rejected" and counts against the department.

Return.decision is exactly None (under review), "upheld" or "rejected": the assessment reads it.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import or_

from core import action_time
from core.auth.models import Role
from core.clocks.models import ClockState
from core.clocks.service import pause_clock, resume_clock
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.formats import local_datetime
from core.notifications.service import notify
from core.workflow import TransitionError, transition
from hotline import tiers
from hotline.common import ENTITY, clock, free_text, start, stop
from hotline.models import Return, Ticket
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor

# The clocks of the department that a return under review holds (sign-for only until signed); a sub-centre's
# return to the centre holds its own (hotline/tiers.py held_clocks).
HELD = tiers.DEPARTMENT_CLOCKS
MAX_TEXT = 2000
UPHELD, REJECTED = "upheld", "rejected"


def pending(ticket: Ticket) -> Return | None:
    """The return under review of this ticket, or None."""
    return (Return.query.filter_by(ticket_id=ticket.id, decision=None).order_by(Return.id.desc()).first())


def history(ticket: Ticket) -> list[Return]:
    return Return.query.filter_by(ticket_id=ticket.id).order_by(Return.id).all()


def pending_list() -> list[tuple[Return, Ticket]]:
    """Returns awaiting the centre's review, oldest first (the review queue); a department's return to the
    district sub-centre above it is the sub-centre's to review (its queue, hotline/tiers.py), not the centre's."""
    own = or_(Ticket.subcentre_id.is_(None), Ticket.subcentre_id == Ticket.department_id)
    return (db.session.query(Return, Ticket).join(Ticket, Ticket.id == Return.ticket_id)
            .filter(Return.decision.is_(None), own).order_by(Return.requested_at, Return.id).all())


def refusal(ticket: Ticket, now: datetime) -> str | None:
    """Why the department may not return the ticket now, or None: the one rule for the service and for
    whether the ticket page offers the 退单 form."""
    if pending(ticket) is not None:
        return "已有退单正在等待 12345 中心审核，不能重复退单"
    try:
        WORKFLOW.require(Status(ticket.status), {Status.DISPATCHED, Status.SIGNED}, "return")
    except TransitionError as refused:
        return refused.message
    deadline = ticket.return_deadline
    if deadline is None or now > deadline or action_time.entered(now) > deadline:
        return "已超过退单时限，不能退单；如确属误派，请联系 12345 中心改派"
    if ticket.dispatched_at is not None and Return.query.filter(
            Return.ticket_id == ticket.id, Return.department_id == ticket.department_id,
            Return.decision == REJECTED, Return.requested_at >= ticket.dispatched_at).first() is not None:
        return "本次派单的退单已审核为不成立，不能再次退单"
    return None


def request_return(ticket: Ticket, *, reason: str | None, now: datetime, actor: Actor) -> Ticket:
    """退单: inside the return window (entered in time too: a back-dated entry does not reopen it), with a
    reason, once per dispatch while none is pending; the department's running clocks pause."""
    reason = free_text(reason, field="reason", label="退单理由", max_len=MAX_TEXT, required=True,
                       missing="请写明退单理由")
    refused = refusal(ticket, now)
    if refused:
        raise TransitionError(refused)
    with unit_of_work():
        came_from = ticket.status
        transition(WORKFLOW, ticket, Status.RETURN_REVIEW, "return", now=now, actor=actor,
                   allowed_from={Status.DISPATCHED, Status.SIGNED},
                   detail={"reason": reason, "department": ticket.department.code, "from": came_from})
        db.session.add(Return(ticket_id=ticket.id, department_id=ticket.department_id, reason=reason,
                              requested_at=now, requested_by_id=getattr(actor, "id", None)))
        for name in tiers.held_clocks(ticket):
            c = clock(ticket, name)
            # A clock already past its due moment keeps running: pausing it would move the due moment and
            # could turn a late sign-for on time (core/clocks/service.py _no_push_after_due).
            if c is not None and c.state == ClockState.RUNNING.value and action_time.entered(now) <= c.due_at:
                pause_clock(c, now=now, on=_held_from(c, now), actor=actor, reason="return under review")
    return ticket


def _held_from(c, now):
    """Where the review's pause begins: when the return was entered (a back-dated `at` wins the department
    no time), and never before the clock itself began (it counts from the dispatch's entry)."""
    return max(action_time.entered(now), c.started_at)


def review_return(ticket: Ticket, *, upheld: bool, note: str | None, now: datetime, actor: Actor) -> Ticket:
    """The centre's decision on the pending return: 成立 sends the ticket back to dispatch, 不成立 (with a
    reason) back to the department with its clocks resumed."""
    if not isinstance(upheld, bool):
        raise ValidationError("请选择审核结果：退单成立或不成立", field="upheld")
    note = free_text(note, field="note", label="审核意见", max_len=MAX_TEXT, required=not upheld,
                     missing="退单不成立时请写明理由")
    ret = pending(ticket)
    if ret is None or ticket.status != Status.RETURN_REVIEW.value:
        raise TransitionError("没有待审核的退单")
    if now < ret.requested_at:
        raise ValidationError("审核时间不能早于退单时间", field="at")
    with unit_of_work():
        ret.decision, ret.decided_at, ret.decided_by_id = (UPHELD if upheld else REJECTED), now, getattr(actor, "id", None)
        ret.note = note or None
        if upheld:
            _uphold(ticket, now=now, actor=actor, note=note)
        else:
            _reject(ticket, ret, now=now, actor=actor, note=note)
    return ticket


def _uphold(ticket, *, now, actor, note):
    held, level2 = tiers.held_clocks(ticket), tiers.under_subcentre(ticket)
    if not level2:
        transition(WORKFLOW, ticket, Status.NEW, "return_upheld", now=now, actor=actor,
                   allowed_from={Status.RETURN_REVIEW}, detail={"department": ticket.department.code, "note": note})
    for name in held:
        stop(ticket, name, at=now, actor=actor, reason="returned")  # "returned": no verdict is counted
    ticket.return_count += 1
    from hotline.supervision import withdraw_open
    withdraw_open(ticket, now=now, actor=actor, why="退单成立")
    if level2:  # a level-2 退单 goes back to the sub-centre (待二次派单), not to the centre (hotline/tiers.py)
        tiers.back_to_subcentre(ticket, now=now, actor=actor)
        return
    ticket.department, ticket.dispatched_at, ticket.return_deadline = None, None, None
    ticket.subcentre_id = ticket.subcentre_dispatched_at = ticket.subcentre_signed_at = None
    start(ticket, "dispatch", at=now, actor=actor, department_id=None)


def _reject(ticket, ret, *, now, actor, note):
    back = Status.SIGNED if ticket.signed_at is not None else Status.DISPATCHED
    transition(WORKFLOW, ticket, back, "return_rejected", now=now, actor=actor, allowed_from={Status.RETURN_REVIEW},
               detail={"department": ticket.department.code, "note": note})
    due = {}
    for name in tiers.held_clocks(ticket):
        c = clock(ticket, name)
        if c is not None and c.state == ClockState.PAUSED.value:
            # the review time is not the department's: the clock resumes where it stopped
            resume_clock(c, now=now, on=max(action_time.entered(now), datetime.fromisoformat(c.paused_from)),
                         actor=actor, reason="return rejected")
        if c is not None and c.state != ClockState.STOPPED.value:
            due[name] = c.due_at
    _tell_department(ticket, ret, note=note, now=now, due=due.get(tiers.clock_name(ticket, "handling")))


def _tell_department(ticket, ret, *, note, now, due):
    from core.auth.models import User
    when = local_datetime(due) or "—"
    for user in User.query.filter(User.department_id == ret.department_id, User.active.is_(True),
                                  User.role.in_([Role.STAFF, Role.APPROVER])):
        notify("return_rejected", now=now, user=user, entity=(ENTITY, ticket.id),
               context={"label": ticket.number, "detail": note, "due": when})
