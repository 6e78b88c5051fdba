"""Every round's answer to a ticket (重办 keeps the history): an Answer row at each reply and 直接办结,
the reached callback's verdict copied onto that round, and the round superseded when a supervisor
orders 重办 — whose earlier answer then leaves the public record until the new one passes review.

国办发〔2020〕53号 (十): an unsatisfied callback judged reasonable is handled again (重办); the earlier
answer is kept for the record and for the 重办率 and 满意率 of each round.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.extensions import db
from hotline.models import Answer

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket


def current(ticket: Ticket) -> Answer | None:
    """The answer of the ticket's current round (the newest not superseded), or None."""
    return (Answer.query.filter(Answer.ticket_id == ticket.id, Answer.superseded_at.is_(None))
            .order_by(Answer.id.desc()).first())


def record_answer(ticket: Ticket, *, text: str, now: datetime, actor: Actor, direct: bool) -> Answer:
    """Keep this round's answer (inside the caller's unit of work): round = reopen count + 1."""
    answer = Answer(ticket_id=ticket.id, round=(ticket.reopen_count or 0) + 1,
                    department_id=None if direct else ticket.department_id, direct=bool(direct), text=text,
                    replied_at=now, author_id=getattr(actor, "id", None))
    db.session.add(answer)
    return answer


def record_verdict(ticket: Ticket, *, satisfaction: str | None, resolved: bool | None) -> Answer | None:
    """A reached callback judges the current round's answer."""
    answer = current(ticket)
    if answer is not None:
        answer.satisfaction, answer.resolved = satisfaction, resolved
    return answer


def supersede(ticket: Ticket, *, now: datetime, actor: Actor, reason: str | None) -> Answer | None:
    """重办: the current answer is superseded and its public record leaves public view (public_log.review)."""
    answer = current(ticket)
    if answer is not None:
        answer.superseded_at = now
    from public_log.review import supersede as take_down
    take_down(kind="hotline", source_id=ticket.id, now=now, actor=actor, reason=reason)
    return answer


def of_ticket(ticket: Ticket) -> list[Answer]:
    """Every round's answer, oldest first (the ticket page and the API)."""
    return Answer.query.filter_by(ticket_id=ticket.id).order_by(Answer.round, Answer.id).all()


def view(answer: Answer) -> dict[str, Any]:
    return {"round": answer.round, "department": answer.department.code if answer.department else None,
            "direct": answer.direct, "text": answer.text, "replied_at": answer.replied_at.isoformat(),
            "satisfaction": answer.satisfaction, "resolved": answer.resolved,
            "superseded_at": answer.superseded_at.isoformat() if answer.superseded_at else None}
