"""Pure deadline computation for a clock: due moment, warning moment, provisional flag (DESIGN §2, §3)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from core.worktime import add_work_hours, merge_intervals, sub_work_hours, work_minutes_between

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo
    from typing import Any

    from core.worktime.hours import WorkSchedule
    from core.worktime.workdays import WorkCalendar


@dataclass(frozen=True)
class Leads:
    """How early open work turns 临期: working days for day clocks, hours for hour clocks."""

    workdays: int = 3
    hours: float = 2


@dataclass(frozen=True)
class Deadlines:
    due_on: date | None
    due_at: datetime
    warn_at: datetime
    provisional: bool


def _end_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=tz)


def _start_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def parse_pauses(pauses: Sequence[Sequence[str]] | None, unit: str) -> list[tuple[Any, Any]]:
    """Stored [[start, end], …] ISO strings as date or datetime pairs."""
    conv = date.fromisoformat if unit == "workdays" else datetime.fromisoformat
    return [(conv(a), conv(b)) for a, b in pauses or []]


def compute_deadlines(*, unit: str, length: float, started_at: datetime, start_on: date,
                      pauses: Sequence[Sequence[str]] | None, extension: float, cal: WorkCalendar,
                      schedule: WorkSchedule, leads: Leads = Leads()) -> Deadlines:
    """Deadlines of a clock from its definition; pauses move the due date by the time paused."""
    tz = schedule.tz
    intervals = parse_pauses(pauses, unit)
    if unit == "workdays":
        n = int(length)
        due_on = cal.due_date(start_on, n, intervals, int(extension))
        due_at = _end_of_day(due_on, tz)
        lead = min(leads.workdays, n // 2)
        warn_at = _start_of_day(cal.warn_date(due_on, lead), tz)
        provisional = cal.span_is_provisional(start_on, due_on)
    elif unit == "workhours":
        paused = sum(work_minutes_between(cal, a, b, schedule) for a, b in merge_intervals(intervals))
        due_at = add_work_hours(cal, started_at, length + extension + paused / 60, schedule)
        due_on = None
        warn_at = sub_work_hours(cal, due_at, min(leads.hours, length / 2), schedule)
        provisional = cal.span_is_provisional(started_at.astimezone(tz).date(), due_at.astimezone(tz).date())
    elif unit == "wall":
        paused = sum(((b - a) for a, b in merge_intervals(intervals)), timedelta())
        due_at = started_at + timedelta(hours=length + extension) + paused
        due_on = None
        warn_at = due_at - timedelta(hours=min(leads.hours, length / 2))
        provisional = False
    else:
        raise ValueError(f"unknown clock unit {unit!r}")
    return Deadlines(due_on, due_at, max(warn_at, started_at), provisional)


def may_close_on_lapse(deadline: Deadlines) -> bool:
    """Whether the lapse of a period (a Clock or Deadlines) may close an item by itself, as 视为放弃 does
    (Art. 30 逾期不补正; 逾期未缴费 of 国办函〔2020〕109号): only when its due date rests on an official
    calendar. A due date computed from the law alone (全国年节及纪念日放假办法, no State Council notice
    yet) may still move when the notice is imported, so such an item goes to a staff decision instead."""
    return deadline.due_at is not None and not deadline.provisional


def marks_that_hold(deadlines: Deadlines, now: datetime, *, warned_at: datetime | None, overdue_at: datetime | None,
                    escalate_at: datetime | None, escalated_at: datetime | None) -> dict[str, datetime | None]:
    """The sweep's marks once a clock's deadlines are recomputed (calendar import, pause, extension):
    a due-soon warning whose new warning point is still ahead, and an overdue mark (with its escalation)
    whose new due time is not yet past, no longer hold and are cleared, so that the item stops counting
    as overdue and the sweep marks it again at the right time. One rule for every recompute."""
    no_longer_overdue = overdue_at is not None and deadlines.due_at >= now
    return {"warned_at": None if (warned_at and deadlines.warn_at > now) else warned_at,
            "overdue_at": None if no_longer_overdue else overdue_at,
            "escalate_at": None if no_longer_overdue else escalate_at,
            "escalated_at": None if no_longer_overdue else escalated_at}
