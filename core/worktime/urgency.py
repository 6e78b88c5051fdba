"""Urgency of open work (正常 / 临期 黄牌 / 超期 红牌), computed when read and never stored (DESIGN §3)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from core.worktime.hours import work_minutes_between

if TYPE_CHECKING:
    from core.worktime.hours import WorkSchedule
    from core.worktime.workdays import WorkCalendar


class Urgency(enum.Enum):
    NORMAL = "normal"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"normal": "正常", "due_soon": "临期", "overdue": "超期"}[self.value]

    @property
    def badge(self) -> str:
        return {"normal": "bg-success", "due_soon": "bg-warning text-dark", "overdue": "bg-danger"}[self.value]


def urgency(due: datetime | date | None, now: datetime, calendar: WorkCalendar, schedule: WorkSchedule,
            lead_workdays: int = 3, lead_work_hours: float = 2) -> Urgency:
    """Urgency of an item due at `due` (a date: working-day clock; a datetime: hour clock) at `now`."""
    if isinstance(due, datetime):
        if now > due:
            return Urgency.OVERDUE
        left = work_minutes_between(calendar, now, due, schedule)
        # A wall-clock deadline at night still shows 临期 when less than the lead remains in real time.
        real_left = (due - now).total_seconds() / 60
        if left <= lead_work_hours * 60 or real_left <= lead_work_hours * 60:
            return Urgency.DUE_SOON
        return Urgency.NORMAL
    if not isinstance(due, date):
        raise TypeError("due must be a date or datetime")
    today = now.astimezone(schedule.tz).date()
    if today > due:
        return Urgency.OVERDUE
    if calendar.workdays_between(today, due) <= lead_workdays:
        return Urgency.DUE_SOON
    return Urgency.NORMAL
