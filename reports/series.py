"""Chart series over a period: every day or month of the range is present, with zero where nothing happened
(a chart or table that skips empty days reads as a trend that is not there)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

T = TypeVar("T")


def days(start: date, end: date) -> list[date]:
    """Every date from `start` to `end`, inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def months(start: date, end: date) -> list[str]:
    """Every month touched by `start`–`end`, as "YYYY-MM", inclusive."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def daily(counts: Mapping[date, int], start: date, end: date) -> list[tuple[date, int]]:
    """(day, count) for every day of the range, 0 on days without any."""
    return [(d, counts.get(d, 0)) for d in days(start, end)]


def monthly(rows: Mapping[str, T], start: date, end: date, empty: Callable[[], T]) -> list[tuple[str, T]]:
    """(month, row) for every month of the range; `empty()` for months without any."""
    return [(m, rows[m] if m in rows else empty()) for m in months(start, end)]
