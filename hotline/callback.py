"""Callback (回访), review of unsatisfied callbacks (重办 or close), and merging duplicates."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from core.auth.models import Role
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.notifications.service import notify
from core.workflow import TransitionError, transition
from hotline import rounds, sla
from hotline.common import ENTITY, WORK_CLOCKS, log_event, start, stop
from hotline.models import CallbackAttempt
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket

SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}


def record_callback(ticket: Ticket, *, reached: bool, now: datetime, actor: Actor, resolved: bool | None = None,
                    satisfaction: str | None = None, comment: str | None = "", online: bool = False) -> Ticket:
    """One callback attempt. Reached: satisfied/basic closes, unsatisfied goes to a supervisor.
    Not reached sla.CALLBACK_MAX_FAILED_ATTEMPTS times: closed as 联系不上."""
    WORKFLOW.require(Status(ticket.status), {Status.REPLIED}, "callback")
    if reached and satisfaction not in SATISFACTION:
        raise ValidationError("请选择满意度：满意、基本满意或不满意", field="satisfaction")
    with unit_of_work():
        from core.extensions import db
        db.session.add(CallbackAttempt(ticket_id=ticket.id, at=now, reached=bool(reached), online=online,
                                       resolved=resolved if reached else None,
                                       satisfaction=satisfaction if reached else None, comment=(comment or "").strip()))
        db.session.flush()
        db.session.refresh(ticket)
        if not reached:
            failed = sum(1 for a in ticket.callbacks if not a.reached)
            log_event(ticket, "callback_failed", now=now, actor=actor, detail={"attempt": failed})
            if failed >= sla.CALLBACK_MAX_FAILED_ATTEMPTS:
                transition(WORKFLOW, ticket, Status.CLOSED, "close_unreachable", now=now, actor=actor,
                           allowed_from={Status.REPLIED})
                ticket.close_reason, ticket.closed_at = "unreachable", now
                stop(ticket, "callback", at=now, actor=actor, reason="unreachable")
            return ticket
        ticket.satisfaction, ticket.resolved = satisfaction, resolved
        rounds.record_verdict(ticket, satisfaction=satisfaction, resolved=resolved)
        stop(ticket, "callback", at=now, actor=actor, reason="callback done")
        if satisfaction == "unsatisfied":
            transition(WORKFLOW, ticket, Status.CALLBACK_REVIEW, "callback_unsatisfied", now=now, actor=actor,
                       allowed_from={Status.REPLIED},
                       detail={"comment": (comment or "").strip(), "resolved": resolved})
            _tell_supervisors(ticket, resolved=resolved, now=now)
        else:
            transition(WORKFLOW, ticket, Status.CLOSED, "close_after_callback", now=now, actor=actor,
                       allowed_from={Status.REPLIED}, detail={"satisfaction": satisfaction, "resolved": resolved})
            ticket.close_reason, ticket.closed_at = "callback", now
    return ticket


RESOLVED = {True: "已解决", False: "未解决", None: "是否解决未说明"}


def _tell_supervisors(ticket: Ticket, *, resolved: bool | None, now: datetime) -> None:
    """Every 不满意 callback goes to the supervisors, who alone review it (review below): each is told which
    ticket and which department, and the notice links to the ticket page."""
    from core.auth.models import User

    department = ticket.department.name if ticket.department is not None else "12345 中心（直接办结）"
    context = {"label": ticket.number, "department": department, "resolved": RESOLVED[resolved]}
    for user in User.query.filter(User.role == Role.SUPERVISOR, User.active.is_(True)).order_by(User.id):
        notify("callback_unsatisfied", now=now, user=user, entity=(ENTITY, ticket.id), context=context)


def review(ticket: Ticket, *, reopen: bool, reason: str | None, now: datetime, actor: Actor) -> Ticket:
    """A supervisor judges an unsatisfied callback: 重办 (back to dispatch, count kept) or close with a reason."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise DomainError("不满意工单须由督办研判")
    if not (reason or "").strip():
        raise ValidationError("请写明研判理由", field="reason")
    with unit_of_work():
        if reopen:
            transition(WORKFLOW, ticket, Status.NEW, "reopen", now=now, actor=actor,
                       allowed_from={Status.CALLBACK_REVIEW},
                       detail={"reason": reason.strip(), "count": ticket.reopen_count + 1})
            rounds.supersede(ticket, now=now, actor=actor, reason=reason.strip())
            ticket.reopen_count += 1
            ticket.reply_text = ticket.replied_at = ticket.satisfaction = ticket.resolved = None
            start(ticket, "dispatch", at=now, actor=actor, department_id=None)
        else:
            transition(WORKFLOW, ticket, Status.CLOSED, "close_by_supervisor", now=now, actor=actor,
                       allowed_from={Status.CALLBACK_REVIEW}, detail={"reason": reason.strip()})
            ticket.close_reason, ticket.close_note, ticket.closed_at = "supervisor", reason.strip(), now
    return ticket


def merge(master: Ticket, duplicates: Sequence[Ticket], *, now: datetime, actor: Actor) -> Ticket:
    """合并: duplicates close into the master; their callers are told now and get the master's reply."""
    if master.status == Status.CLOSED.value:
        raise TransitionError("主工单已办结，不能合并")
    if any(d.id == master.id for d in duplicates) or not duplicates:
        raise ValidationError("请选择要合并的其他工单", field="duplicates")
    with unit_of_work():
        for dup in duplicates:
            transition(WORKFLOW, dup, Status.CLOSED, "merged", now=now, actor=actor,
                       allowed_from={Status.NEW, Status.DISPATCHED, Status.SIGNED}, detail={"into": master.number})
            dup.merged_into_id, dup.close_reason, dup.closed_at = master.id, "merged", now
            for name in WORK_CLOCKS:
                stop(dup, name, at=now, actor=actor, reason=f"merged into {master.number}", late_counts=True)
            from hotline.supervision import withdraw_open
            withdraw_open(dup, now=now, actor=actor, why=f"并入 {master.number}")
            if dup.caller_phone:
                notify("ticket_merged", now=now, address=dup.caller_phone, channels=("sms",), entity=(ENTITY, dup.id),
                       context={"label": dup.number, "master": master.number})
        log_event(master, "merged_in", now=now, actor=actor, detail={"tickets": [d.number for d in duplicates]})
    return master
