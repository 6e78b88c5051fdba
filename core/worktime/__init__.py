"""The clock engine: pure functions over a WorkCalendar; `now` and dates are always passed in."""
from core.worktime.hours import WorkSchedule, add_wall_hours, add_work_hours, sub_work_hours, work_minutes_between
from core.worktime.urgency import Urgency, urgency
from core.worktime.workdays import MAX_WORKDAYS, DayInfo, WorkCalendar, merge_intervals

__all__ = [
    "WorkCalendar", "DayInfo", "MAX_WORKDAYS", "merge_intervals",
    "WorkSchedule", "add_work_hours", "add_wall_hours", "sub_work_hours", "work_minutes_between",
    "Urgency", "urgency",
]
