"""What a single-day calendar edit would do before it is made: the open items whose deadlines would move,
found by running the recompute's own deadline rule (core/clocks/recompute.py) on the calendar with and
without the change — a count, not an estimate. Nothing is written."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.calendar.models import CalendarDay
from core.calendar.service import build_calendar
from core.clocks.recompute import moved_items
from core.errors import ValidationError
from core.extensions import db
from core.worktime.workdays import OFFICIAL, DayInfo

if TYPE_CHECKING:
    from datetime import date

# the entity kinds of the clocks the two workflows run (requests_module.states.ENTITY, hotline.states.ENTITY)
DISCLOSURE, TICKET = "disclosure_request", "ticket"


@dataclass(frozen=True)
class Preview:
    day: date
    current: DayInfo | None  # the day's special arrangement now (None: an ordinary day)
    change: DayInfo | None  # what it would become (None: removed)
    moved: dict[str, int]  # entity kind -> open items whose deadline would move

    @property
    def disclosure(self) -> int:
        return self.moved.get(DISCLOSURE, 0)

    @property
    def tickets(self) -> int:
        return self.moved.get(TICKET, 0)

    @property
    def other(self) -> int:
        return sum(n for kind, n in self.moved.items() if kind not in (DISCLOSURE, TICKET))


def _preview(day: date, change: DayInfo | None) -> Preview:
    row = db.session.get(CalendarDay, day)
    current = DayInfo(row.kind, row.name, row.source) if row else None
    # compared with the deadlines as stored, exactly as the recompute after the edit compares them
    moved = moved_items(build_calendar((day, change)), [day.year])
    return Preview(day, current, change, {kind: len(ids) for kind, ids in moved.items()})


def removal(day: date) -> Preview:
    """The open items whose deadlines would move if `day` returned to the ordinary weekday/weekend rule."""
    if db.session.get(CalendarDay, day) is None:
        raise ValidationError(f"{day} 没有特殊安排，无需删除")
    return _preview(day, None)


def setting(day: date, kind: str, name: str) -> Preview:
    """The open items whose deadlines would move if `day` became a holiday or a make-up working day."""
    if kind not in ("holiday", "workday"):
        raise ValidationError("类型应为 holiday 或 workday")
    return _preview(day, DayInfo(kind, name, OFFICIAL))
