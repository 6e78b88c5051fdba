"""Working-hour and wall-clock arithmetic for hotline clocks (DESIGN §3: 08:30–12:00, 13:30–17:30)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from core.worktime.workdays import WorkCalendar

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class WorkSchedule:
    """Office periods of a working day as (start_minute, end_minute) pairs, plus the local zone."""

    periods: tuple
    tz: ZoneInfo

    @classmethod
    def parse(cls, text: str = "08:30-12:00,13:30-17:30", tz: str | ZoneInfo = "Asia/Shanghai") -> WorkSchedule:
        periods: list[tuple[int, int]] = []
        for part in text.split(","):
            m = _PERIOD.match(part)
            if not m:
                raise ValueError(f"办公时间格式应为 HH:MM-HH:MM，收到 {part!r}")
            h1, m1, h2, m2 = map(int, m.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if not (0 <= start < end <= 24 * 60) or m1 > 59 or m2 > 59:
                raise ValueError(f"办公时间段无效：{part.strip()}")
            if periods and start < periods[-1][1]:
                raise ValueError("办公时间段必须按时间顺序且互不重叠")
            periods.append((start, end))
        return cls(tuple(periods), ZoneInfo(tz) if isinstance(tz, str) else tz)

    @property
    def minutes_per_day(self) -> int:
        return sum(e - s for s, e in self.periods)

    def minutes_done_by(self, minute: float) -> float:
        """Working minutes of a working day elapsed at `minute` after midnight."""
        return sum(max(0, min(e, minute) - s) for s, e in self.periods)

    def minute_at(self, worked: float) -> float:
        """Minute after midnight at which `worked` working minutes (0 < worked <= per day) are done."""
        for s, e in self.periods:
            if worked <= e - s:
                return s + worked
            worked -= e - s
        raise ValueError("more minutes than a working day holds")


def _local(dt: datetime, schedule: WorkSchedule) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("aware datetime required")
    return dt.astimezone(schedule.tz)


def _at(day: date, minute: int, schedule: WorkSchedule) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=schedule.tz)


def _minute_of(dt: datetime) -> float:
    return dt.hour * 60 + dt.minute + (dt.second + dt.microsecond / 1e6) / 60


def _prepare(moment: datetime, hours: float, schedule: WorkSchedule) -> tuple[datetime, date, float, int]:
    """(local moment, its day, minutes needed, working minutes per day) for an hour sum."""
    if hours < 0:
        raise ValueError("工作小时数不能为负数")
    local = _local(moment, schedule)
    return local, local.date(), round(hours * 60, 6), schedule.minutes_per_day


def add_work_hours(calendar: WorkCalendar, start: datetime, hours: float, schedule: WorkSchedule) -> datetime:
    """The moment `hours` working hours after `start`, counting only office periods of working days."""
    local, day, need, per_day = _prepare(start, hours, schedule)
    if need == 0:
        return local
    if calendar.is_workday(day):
        done = schedule.minutes_done_by(_minute_of(local))
        left = per_day - done
        if need <= left:
            return _exact(day, done + need, schedule)
        need -= left
    full_days, rest = divmod(need, per_day)
    if rest == 0:
        full_days, rest = full_days - 1, per_day
    target = calendar.add_workdays(day, int(full_days) + 1)
    return _exact(target, rest, schedule)


def _exact(day: date, worked: float, schedule: WorkSchedule) -> datetime:
    """The moment on `day` at which `worked` working minutes (fractions too) are done, to the second."""
    minute = schedule.minute_at(worked) if worked > 0 else schedule.periods[0][0]
    return datetime.combine(day, time(0), tzinfo=schedule.tz) + timedelta(seconds=round(minute * 60))


def sub_work_hours(calendar: WorkCalendar, end: datetime, hours: float, schedule: WorkSchedule) -> datetime:
    """The earliest moment from which at most `hours` working hours remain until `end`."""
    local, day, need, per_day = _prepare(end, hours, schedule)
    done = schedule.minutes_done_by(_minute_of(local)) if calendar.is_workday(day) else 0
    if need < done:
        return _exact(day, done - need, schedule)
    full_days, rest = divmod(need - done, per_day)
    # The (full_days + 1)-th working day before `day` holds the remaining `rest` minutes at its end.
    target = calendar.warn_date(day - timedelta(days=1), int(full_days))
    return _exact(target, per_day - rest, schedule)


def add_wall_hours(start: datetime, hours: float) -> datetime:
    """Wall-clock deadline for urgent work: `hours` real hours after `start`, nights and holidays included."""
    if hours < 0:
        raise ValueError("小时数不能为负数")
    return start + timedelta(hours=hours)


def work_minutes_between(calendar: WorkCalendar, a: datetime, b: datetime, schedule: WorkSchedule) -> float:
    """Working minutes between two moments (negative when b is before a)."""
    if b < a:
        return -work_minutes_between(calendar, b, a, schedule)
    la, lb = _local(a, schedule), _local(b, schedule)
    da, db_ = la.date(), lb.date()
    ma = schedule.minutes_done_by(_minute_of(la)) if calendar.is_workday(da) else 0
    mb = schedule.minutes_done_by(_minute_of(lb)) if calendar.is_workday(db_) else 0
    if da == db_:
        return mb - ma
    per_day = schedule.minutes_per_day
    first_rest = (per_day - ma) if calendar.is_workday(da) else 0
    middle = calendar.workdays_between(da, db_) - (1 if calendar.is_workday(db_) else 0)
    return first_rest + middle * per_day + mb
