"""Working-day arithmetic over the Chinese calendar (holidays and 调休 make-up days).

The calendar keeps a sorted list of working-day ordinals; every sum is a bisect plus an index,
never a day-by-day loop. Years are indexed lazily, so a sum into any year answers.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

HOLIDAY = "holiday"
WORKDAY = "workday"
OFFICIAL = "official"
PROVISIONAL = "provisional"

# More working days than any statutory period needs, small enough that a typo cannot build
# centuries of calendar; callers validate user input against this bound.
MAX_WORKDAYS = 10_000
MIN_YEAR, MAX_YEAR = 1901, 9998


@dataclass(frozen=True)
class DayInfo:
    kind: str  # HOLIDAY (a day off) or WORKDAY (a make-up working day, usually on a weekend)
    name: str
    source: str  # OFFICIAL or PROVISIONAL


def merge_intervals(intervals: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Union of (start, end) pairs, sorted and non-overlapping."""
    merged: list[tuple[Any, Any]] = []  # dates or datetimes
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class WorkCalendar:
    """Working days from official exceptions, with law-derived provisional years as fallback.

    official: {date: DayInfo} for years listed in official_years.
    provisional: callable(year) -> {date: DayInfo} used for every other year.
    overrides: {date: DayInfo} applied on top of provisional years (admin edits).
    """

    def __init__(self, official: Mapping[date, DayInfo] | None = None, official_years: Iterable[int] = (),
                 provisional: Callable[[int], Mapping[date, DayInfo]] | None = None,
                 overrides: Mapping[date, DayInfo] | None = None) -> None:
        self.official_years = frozenset(official_years)
        self._official = dict(official or {})
        self._overrides = dict(overrides or {})
        self._provisional = provisional or (lambda year: {})
        self._exceptions: dict[date, DayInfo] = {}
        self._ords: list[int] = []  # ordinals of the working days of the indexed years _lo.._hi
        self._lo: int = None  # type: ignore[assignment]  # None until the first query indexes a year
        self._hi: int = None  # type: ignore[assignment]

    # -- indexing -------------------------------------------------------------------------
    def _year_exceptions(self, year: int) -> dict[date, DayInfo]:
        if year in self.official_years:
            return {d: i for d, i in self._official.items() if d.year == year}
        days = dict(self._provisional(year))
        days.update({d: i for d, i in self._overrides.items() if d.year == year})
        return days

    def _year_workdays(self, year: int) -> list[int]:
        exc = self._year_exceptions(year)
        self._exceptions.update(exc)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        out = []
        for o in range(first, last + 1):
            info = exc.get(date.fromordinal(o)) if exc else None
            if info is None:
                if (o - 1) % 7 < 5:  # ordinal 1 (0001-01-01) is a Monday
                    out.append(o)
            elif info.kind == WORKDAY:
                out.append(o)
        return out

    def _ensure_years(self, lo: int, hi: int) -> None:
        if lo < MIN_YEAR or hi > MAX_YEAR:
            raise ValueError(f"日期超出可计算范围（{MIN_YEAR}–{MAX_YEAR} 年）")
        if self._lo is None:
            self._lo = self._hi = lo
            self._ords = self._year_workdays(lo)
        while lo < self._lo:
            self._lo -= 1
            self._ords = self._year_workdays(self._lo) + self._ords
        while hi > self._hi:
            self._hi += 1
            self._ords.extend(self._year_workdays(self._hi))

    def _ensure(self, *days: date) -> None:
        years = [d.year for d in days]
        lo, hi = min(years), max(years)
        if self._lo is None or lo < self._lo or hi > self._hi:
            self._ensure_years(lo, hi)

    # -- queries --------------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        self._ensure(day)
        info = self._exceptions.get(day)
        if info is not None:
            return info.kind == WORKDAY
        return day.weekday() < 5

    def span_is_provisional(self, start: date, end: date) -> bool:
        """True when any year touched by (start, end] lacks official data."""
        return any(y not in self.official_years for y in range(start.year, end.year + 1))

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start`; the start day itself is never counted (民法典 Art. 201 para. 1)."""
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError("working-day count must be an integer")
        if n < 0:
            raise ValueError("工作日数不能为负数")
        if n > MAX_WORKDAYS:
            raise ValueError(f"工作日数不能超过 {MAX_WORKDAYS}")
        if n == 0:
            return start
        self._ensure(start)
        o = start.toordinal()
        i = bisect_right(self._ords, o) + n - 1
        while i >= len(self._ords):
            self._ensure_years(self._lo, self._hi + 1 + (i - len(self._ords)) // 240)
            i = bisect_right(self._ords, o) + n - 1
        return date.fromordinal(self._ords[i])

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days d with a < d <= b (negative when b is before a)."""
        if b < a:
            return -self.workdays_between(b, a)
        self._ensure(a, b)
        return bisect_right(self._ords, b.toordinal()) - bisect_right(self._ords, a.toordinal())

    def paused_workdays(self, pauses: Iterable[tuple[date, date]]) -> int:
        """Working days inside the union of pause intervals (sent_on, answered_on]; overlaps count once (Art. 32, 34)."""
        return sum(self.workdays_between(s, e) for s, e in merge_intervals(pauses))

    def due_date(self, start: date, n: int, pauses: Iterable[tuple[date, date]] = (), extension: int = 0) -> date:
        """Due date of an n-working-day period from `start`, moved by paused days and an extension."""
        due = self.add_workdays(start, n)
        shift = self.paused_workdays(pauses) + extension
        return self.add_workdays(due, shift) if shift else due

    def warn_date(self, due: date, lead: int) -> date:
        """First day from which at most `lead` working days remain until `due` (a date, exclusive of today)."""
        if lead < 0:
            raise ValueError("lead must be >= 0")
        self._ensure(due)
        j = bisect_right(self._ords, due.toordinal())
        k = j - lead - 1
        while k < 0:
            self._ensure_years(self._lo - 1, self._hi)
            j = bisect_right(self._ords, due.toordinal())
            k = j - lead - 1
        return date.fromordinal(self._ords[k])

    def exceptions_in_year(self, year: int) -> list[tuple[date, DayInfo]]:
        """Sorted (date, DayInfo) of one year, official or provisional."""
        self._ensure(date(year, 1, 1))
        return sorted((d, i) for d, i in self._exceptions.items() if d.year == year)
