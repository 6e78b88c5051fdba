"""When an action happened (issue 14): the one rule both workflows apply to a time or date that staff
or a client system give for an action, and the one place that keeps a late entry from bending a verdict.

- an action cannot happen in the future, nor before the item's previous step;
- it may be entered later than it happened — a 补录 — but only within BACKFILL_DAYS (config), and the
  audit row then carries `entered_at` (the server's time of entry; the actor is who entered it);
- a clock stopped by a 补录 after its due moment has passed stays late: the verdict is on time only
  if both the action's time and the time it was entered are within the period. An auditor reading a
  verdict can trust that nobody made it on-time afterwards.

`as_of(at, now=…)` marks a unit of work as an action that happened at `at` and is entered at `now`;
`audit.record` and `clocks.service.stop_clock` read it (a context variable, set only here).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app

from core.errors import ValidationError
from core.formats import local_datetime, zh_date

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

# Entered within this long after it happened, an action counts as entered live (clicks, slow networks).
GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class Entry:
    at: datetime  # when the action happened
    entered_at: datetime  # when it was entered (server time)

    @property
    def backfilled(self) -> bool:
        return self.entered_at - self.at > GRACE


_ENTRY: ContextVar[Entry | None] = ContextVar("action_entry", default=None)


def backfill_window() -> timedelta:
    return timedelta(days=current_app.config["BACKFILL_DAYS"])


def check(at: datetime, *, now: datetime, previous: datetime | None = None, field: str = "at",
          label: str = "时间") -> datetime:
    """Refuse an action time in the future, before the previous step or older than the 补录 window."""
    if at > now:
        raise ValidationError(f"{label}不能晚于现在", field=field)
    if previous is not None and at < previous:
        raise ValidationError(f"{label}不能早于上一步（{_show(previous)}）", field=field)
    if now - at > backfill_window():
        raise ValidationError(f"{label}早于现在 {current_app.config['BACKFILL_DAYS']} 天以上，超出补录期限；"
                              "请联系督办部门处理", field=field)
    return at


def check_day(day: date, *, today: date, previous: date | None = None, field: str = "on", label: str = "日期",
              live: bool = False) -> date:
    """The same rule for actions dated by day (disclosure applications: Art. 31 counts working days).
    `live`: a step that stops or restarts the organ's own period may not be a 补录 at all — its date would
    decide how long the organ had, and nothing but the entry itself shows when it really happened."""
    if day > today:
        raise ValidationError(f"{label}不能晚于今天", field=field)
    if live and day != today:
        raise ValidationError(f"{label}须为登记当日（{zh_date(today)}）：这一步会暂停答复期限，不能补录；"
                              "如确已在此前办理，请联系督办部门更正", field=field)
    if previous is not None and day < previous:
        raise ValidationError(f"{label}不能早于上一步（{zh_date(previous)}）", field=field)
    if (today - day).days > current_app.config["BACKFILL_DAYS"]:
        raise ValidationError(f"{label}早于今天 {current_app.config['BACKFILL_DAYS']} 天以上，超出补录期限；"
                              "请联系督办部门处理", field=field)
    return day


def _show(moment: date | datetime) -> str:
    from core.calendar.service import get_schedule
    return local_datetime(moment, get_schedule().tz) if isinstance(moment, datetime) else zh_date(moment)


@contextmanager
def as_of(at: datetime, *, now: datetime) -> Iterator[None]:
    """The enclosed unit of work records an action that happened at `at`, entered at `now`."""
    token = _ENTRY.set(Entry(at=at, entered_at=now))
    try:
        yield
    finally:
        _ENTRY.reset(token)


@contextmanager
def as_happened() -> Iterator[None]:
    """Inside, a clock is judged by when the action happened alone: for periods that bind the applicant
    (a correction or a fee to be paid), whom a clerk's late entry must not make late."""
    token = _ENTRY.set(None)
    try:
        yield
    finally:
        _ENTRY.reset(token)


def entered_at() -> datetime | None:
    """The time of entry when the current action is a 补录, else None (entered as it happened)."""
    entry = _ENTRY.get()
    return entry.entered_at if entry is not None and entry.backfilled else None


def entry_time(now: datetime) -> datetime:
    """When the current action counts as entered: the time of entry of a 补录, else `now`."""
    entry = _ENTRY.get()
    return entry.entered_at if entry is not None and entry.backfilled else now


def entered(now: datetime) -> datetime:
    """When the current action is really entered (server time), with no grace: for checks that a step came
    before a deadline (an extension, a return) — a back-dated `at`, even minutes back, never slips past it."""
    entry = _ENTRY.get()
    return entry.entered_at if entry is not None else now


def on_time(stopped_at: datetime, due_at: datetime) -> bool:
    """A clock's verdict: stopped in time, and — for a 补录 — entered in time too."""
    entry = _ENTRY.get()
    return stopped_at <= due_at and (entry is None or entry.entered_at <= due_at)
