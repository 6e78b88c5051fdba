"""Knowledge-base answers offered for 直接办结 of a new ticket (issue 16 item 9): the operator inserts a
published, currently valid answer (口径) into the 直接办结 text instead of retyping it (国办发〔2020〕53号:
the hotline's 知识库 lets the centre answer 咨询 at once instead of dispatching them). The same functions
serve the ticket page, its htmx search and the JSON API."""
from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.calendar.service import get_schedule
from hotline import access, knowledge
from hotline.states import Status

if TYPE_CHECKING:
    from core.auth.models import User
    from hotline.knowledge import KnowledgeEntry
    from hotline.models import Ticket

MAX_QUERY = 100


def clean_query(text: str | None) -> str:
    """A search box's text: NFKC, no NUL or control characters, at most MAX_QUERY characters."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY]


def may_use(user: User, ticket: Ticket) -> bool:
    """Only for a new ticket and only for whoever may close it directly (hotline.access RULES)."""
    return ticket.status == Status.NEW.value and access.can_act(user, ticket, "direct_close")


def answers_for(ticket: Ticket, *, now: datetime, query: str | None = None,
                limit: int = 5) -> tuple[str, list[KnowledgeEntry]]:
    """(query, entries): what `query` finds, or without one what the ticket's category and content find;
    only published entries valid on today's local date."""
    query = clean_query(query)
    text = query or " ".join(filter(None, [ticket.category.name if ticket.category else "", ticket.content]))
    today = now.astimezone(get_schedule().tz).date()
    return query, knowledge.search(text, today=today, limit=limit)


def offered(user: User, ticket: Ticket, *, now: datetime, query: str | None = None) -> dict[str, Any] | None:
    """What the ticket page shows: None when the user may not close this ticket directly now."""
    if not may_use(user, ticket):
        return None
    query, answers = answers_for(ticket, now=now, query=query)
    return {"q": query, "answers": answers}
