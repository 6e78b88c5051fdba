"""Live queues (issue 20 item 5): when a ticket arrives in a queue, leaves it or changes there, the open dispatch,
callback and department queue pages hear of it and reload their list.

One place sees every change, whichever use case, API or job made it: the session's flush notes each ticket's
status, lead department and urgency before and after, and once the transaction commits one event per ticket
goes to the channels of the queues concerned (hotline/access.py: queue_channels). Nothing is sent for work
that rolled back. The event carries the ticket's id, which queues it concerns ("arrived", "left", "changed")
and whether it is urgent — the page fetches the list itself, as the user may see it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core import live
from hotline import access
from hotline.models import Ticket
from hotline.queries import CALLBACK_QUEUE, DEPARTMENT_QUEUE, DISPATCH_QUEUE

QUEUES = {"dispatch": (DISPATCH_QUEUE, True), "returns": (("return_review",), True),
          "callback": (CALLBACK_QUEUE, True), "department": (DEPARTMENT_QUEUE, False)}  # name: (states, a desk queue)
_KEY = "hotline_live_tickets"


def _before(state: Any, name: str, current: Any, new: bool) -> Any:
    history = state.attrs[name].history
    if new:
        return None
    return history.deleted[0] if history.deleted else current


@event.listens_for(Session, "after_flush")
def _note_tickets(session: Session, flush_context: Any) -> None:
    noted = session.info.setdefault(_KEY, {})
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Ticket) or obj.id is None or (obj in session.dirty and not session.is_modified(obj)):
            continue
        state, new = inspect(obj), obj in session.new
        first = noted.get(obj.id) or {"status": _before(state, "status", obj.status, new),
                                      "department": _before(state, "department_id", obj.department_id, new)}
        noted[obj.id] = {**first, "now_status": obj.status, "now_department": obj.department_id,
                         "subcentre": obj.subcentre_id, "urgent": obj.urgency == "urgent"}


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    noted = session.info.pop(_KEY, None)
    if noted:
        live.publish_many(m for ticket_id, change in noted.items() for m in messages(ticket_id, change))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


def messages(ticket_id: int, change: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """The queue events of one ticket's change: (channel, "queue", data) for each channel concerned."""
    queues: dict[str, str] = {}
    for name, (states, _desk) in QUEUES.items():
        was, now = change["status"] in states, change["now_status"] in states
        if was or now:
            queues[name] = "arrived" if now and not was else ("left" if was and not now else "changed")
    if not queues:
        return []
    desk = any(QUEUES[name][1] for name in queues)
    # the district sub-centre above the department (two-level dispatch) lists its departments' reviews too
    departments = ({change["department"], change["now_department"], change.get("subcentre")}
                   if "department" in queues else set())
    data = {"ticket": ticket_id, "queues": queues, "urgent": bool(change["urgent"])}
    return [(channel, "queue", data) for channel in access.queue_channels(desk, departments)]
