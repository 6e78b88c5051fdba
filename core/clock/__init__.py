"""The clock engine: pure functions over a WorkCalendar; `now` and dates are always passed in."""
from core.clock.workdays import WorkCalendar, DayInfo, MAX_WORKDAYS, merge_intervals
from core.clock.hours import WorkSchedule, add_work_hours, add_wall_hours, sub_work_hours, work_minutes_between
from core.clock.urgency import Urgency, urgency

__all__ = [
    "WorkCalendar", "DayInfo", "MAX_WORKDAYS", "merge_intervals",
    "WorkSchedule", "add_work_hours", "add_wall_hours", "sub_work_hours", "work_minutes_between",
    "Urgency", "urgency",
]
