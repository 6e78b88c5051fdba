"""Follow calendar changes: every open clock whose span touches a changed year gets new deadlines."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING

from sqlalchemy import update

from core.audit import AuditEvent
from core.calendar.service import get_schedule
from core.clocks.compute import compute_deadlines
from core.clocks.models import Clock
from core.clocks.service import leads
from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from core.worktime.workdays import WorkCalendar

BATCH = 2000


def _open_clocks(years: list[int]) -> Any:
    """The open working-day and working-hour clocks whose span touches `years`, by id."""
    schedule = get_schedule()
    first = datetime.combine(date(min(years), 1, 1), time(0), tzinfo=schedule.tz)
    last = datetime.combine(date(max(years), 12, 31), time(23, 59), tzinfo=schedule.tz)
    return (db.session.query(Clock.id, Clock.entity_kind, Clock.entity_id, Clock.unit, Clock.length, Clock.started_at,
                             Clock.start_on, Clock.pauses, Clock.extension, Clock.due_at, Clock.warn_at, Clock.due_on,
                             Clock.provisional, Clock.warned_at, Clock.overdue_at, Clock.escalate_at,
                             Clock.escalated_at)
            .filter(Clock.state != "stopped", Clock.unit != "wall", Clock.due_at >= first, Clock.started_at <= last)
            .order_by(Clock.id))


def _moves(new_cal: WorkCalendar, years: list[int]) -> Iterator[list[tuple[Any, Any]]]:
    """Batches of (clock row, new deadlines) for the open clocks whose deadlines differ under `new_cal`:
    the one rule that both the recompute and its preview (core/calendar/preview.py) apply."""
    schedule, lead, query, last_id = get_schedule(), leads(), _open_clocks(years), 0
    while True:
        rows = query.filter(Clock.id > last_id).limit(BATCH).all()
        if not rows:
            return
        last_id = rows[-1].id
        moved = []
        for r in rows:
            d = compute_deadlines(unit=r.unit, length=r.length, started_at=r.started_at, start_on=r.start_on,
                                  pauses=r.pauses, extension=r.extension, cal=new_cal, schedule=schedule, leads=lead)
            if (d.due_at, d.warn_at, d.provisional) != (r.due_at, r.warn_at, r.provisional):
                moved.append((r, d))
        yield moved


def moved_items(new_cal: WorkCalendar, years: list[int]) -> dict[str, set[str]]:
    """{entity kind: entity ids} whose open deadlines `new_cal` would move; nothing is written."""
    out: dict[str, set[str]] = {}
    for batch in _moves(new_cal, years):
        for r, _ in batch:
            out.setdefault(r.entity_kind, set()).add(r.entity_id)
    return out


def recompute_open_clocks(old_cal: WorkCalendar, new_cal: WorkCalendar, years: list[int], now: datetime) -> int:
    """Recompute open working-day and working-hour clocks of the changed years; returns how many moved."""
    changed = 0
    for batch in _moves(new_cal, years):
        updates, events = [], []
        for r, d in batch:
            no_longer_overdue = r.overdue_at is not None and d.due_at >= now
            values = {"id": r.id, "due_at": d.due_at, "warn_at": d.warn_at, "due_on": d.due_on,
                      "provisional": d.provisional,
                      "warned_at": None if (r.warned_at and d.warn_at > now) else r.warned_at,
                      "overdue_at": None if no_longer_overdue else r.overdue_at,
                      "escalate_at": None if no_longer_overdue else r.escalate_at,
                      "escalated_at": None if no_longer_overdue else r.escalated_at}
            updates.append(values)
            events.append({"at": now, "actor_label": "calendar", "entity_kind": "clock", "entity_id": str(r.id),
                           "action": "recompute",
                           "before": _json({"due_at": r.due_at, "due_on": r.due_on, "provisional": r.provisional}),
                           "after": _json({"due_at": d.due_at, "due_on": d.due_on, "provisional": d.provisional,
                                           "years": years})})
        if updates:
            db.session.execute(update(Clock), updates)
            db.session.execute(AuditEvent.__table__.insert(), events)
            changed += len(updates)
    return changed


def _json(data: Any) -> str:
    import json
    return json.dumps(data, ensure_ascii=False, default=lambda v: v.astimezone(timezone.utc).isoformat()
                      if isinstance(v, datetime) else str(v), sort_keys=True)
