"""Calendar use cases: load the index, seed official data, import a year, edit a day."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import chinese_calendar
from flask import current_app
from sqlalchemy import delete, insert, update

from core import audit
from core.calendar.hooks import RECOMPUTE_HOOKS
from core.calendar.models import CalendarDay, CalendarVersion, CalendarYear
from core.calendar.parsing import CalendarFileError, ParsedDay
from core.calendar.provisional import package_days, statutory_holidays
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.worktime import WorkCalendar, WorkSchedule
from core.worktime.workdays import OFFICIAL, DayInfo

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.audit import Actor

_cache_lock = threading.Lock()
_cache: dict[tuple[str, int], WorkCalendar] = {}  # (database uri, version) -> WorkCalendar; rebuilt whenever the version row changes


def current_version() -> int:
    """The calendar's version as this unit of work sees it, read without flushing its pending rows (an intake's
    ticket, audit and outbox rows are written together, not once for this read): a version row this unit of
    work added and has not flushed yet counts as it stands."""
    pending = next((o for o in db.session.new if isinstance(o, CalendarVersion)), None)
    if pending is not None:
        return pending.version
    with db.session.no_autoflush:
        row = db.session.get(CalendarVersion, 1)
    return row.version if row else 0


def _bump_version() -> None:
    row = db.session.get(CalendarVersion, 1)
    if row is None:
        row = CalendarVersion(id=1, version=0)
        db.session.add(row)
    row.version += 1


def build_calendar(edit: tuple[date, DayInfo | None] | None = None) -> WorkCalendar:
    """A fresh WorkCalendar from the database rows (official years) and the law (other years); with
    `edit` = (day, DayInfo or None to remove it), the calendar that edit would make (nothing is written)."""
    years = {y for (y,) in db.session.query(CalendarYear.year)}
    rows = {day: DayInfo(kind, name, source) for day, kind, name, source in
            db.session.query(CalendarDay.day, CalendarDay.kind, CalendarDay.name, CalendarDay.source)}
    if edit is not None:
        day, changed = edit
        rows.pop(day, None)
        if changed is not None:
            rows[day] = changed
    official: dict[date, DayInfo]
    overrides: dict[date, DayInfo]
    official, overrides = {}, {}
    for day, info in rows.items():
        (official if day.year in years else overrides)[day] = info
    return WorkCalendar(official, years, statutory_holidays, overrides)


def get_calendar() -> WorkCalendar:
    """The calendar index: cached per process, keyed by the database's version (one primary-key read)."""
    key = (str(db.engine.url), current_version())
    with _cache_lock:
        cal = _cache.get(key)
        if cal is None:
            _cache.clear()
            cal = _cache[key] = build_calendar()
    return cal


def local_zone() -> ZoneInfo:
    """The configured local time zone (Asia/Shanghai by default)."""
    from zoneinfo import ZoneInfo
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_date(moment: datetime) -> date:
    """The local calendar day of an aware moment."""
    return moment.astimezone(local_zone()).date()


def get_schedule() -> WorkSchedule:
    cfg = current_app.config
    return WorkSchedule.parse(cfg["WORK_HOURS"], cfg["TIMEZONE"])


@dataclass
class DueAnswer:
    start: date
    workdays: int
    due: date
    provisional: bool
    provisional_years: list = field(default_factory=list)


def compute_due(start: date, workdays: int) -> DueAnswer:
    """The due date n working days after `start`, and whether it rests on provisional data."""
    cal = get_calendar()
    due = cal.add_workdays(start, workdays)
    years = [y for y in range(start.year, due.year + 1) if y not in cal.official_years]
    return DueAnswer(start, workdays, due, bool(years), years)


@dataclass
class ImportReport:
    years: list
    days: int
    added: int
    removed: int
    changed_items: int


def _apply_days(years: Iterable[int], rows: list[ParsedDay], source: str) -> tuple[int, int]:
    """Make the stored days of `years` exactly `rows`, set-based (an import writes a few hundred days per year;
    one statement per kind of change instead of one object each). Returns (added, removed); a changed day
    counts as both."""
    years = set(years)
    existing = {day: (kind, name, src) for day, kind, name, src in db.session.query(
        CalendarDay.day, CalendarDay.kind, CalendarDay.name, CalendarDay.source).filter(
        CalendarDay.day >= date(min(years), 1, 1), CalendarDay.day <= date(max(years), 12, 31)) if day.year in years}
    new_days = {r.day for r in rows}
    gone = [d for d in existing if d not in new_days]
    fresh = [{"day": r.day, "kind": r.kind, "name": r.name, "source": source} for r in rows if r.day not in existing]
    changed = [{"day": r.day, "kind": r.kind, "name": r.name, "source": source} for r in rows
               if r.day in existing and existing[r.day] != (r.kind, r.name, source)]
    for start in range(0, len(gone), 500):  # SQLite's bound-parameter limit
        db.session.execute(delete(CalendarDay).where(CalendarDay.day.in_(gone[start:start + 500])),
                           execution_options={"synchronize_session": False})
    if fresh:
        db.session.execute(insert(CalendarDay), fresh)
    if changed:
        db.session.execute(update(CalendarDay), changed)  # by primary key
    return len(fresh) + len(changed), len(gone) + len(changed)


def import_official(rows: list[ParsedDay], *, origin: str, now: datetime, actor: Actor,
                    only_year: int | None = None) -> ImportReport:
    """Replace the official data of the file's years, then recompute open due dates (DESIGN §4)."""
    if not rows:
        raise CalendarFileError(["文件中没有任何日期"])
    years = sorted({r.day.year for r in rows})
    if only_year is not None and years != [only_year]:
        stray = next(r for r in rows if r.day.year != only_year)
        raise CalendarFileError([f"第 {stray.line} 行：日期 {stray.day} 不属于 {only_year} 年"])
    old_cal = get_calendar()
    with unit_of_work():
        added, removed = _apply_days(set(years), rows, OFFICIAL)
        loaded = {row.year: row for row in CalendarYear.query.filter(CalendarYear.year.in_(years))}
        for y in years:
            if y in loaded:
                loaded[y].origin, loaded[y].loaded_at = origin[:120], now
            else:
                db.session.add(CalendarYear(year=y, origin=origin[:120], loaded_at=now))
        changed = _recompute(old_cal, years, now)
        audit.log_change(now=now, actor=actor, entity_kind="calendar", entity_id=_span(years),
                     action="import_official",
                     after={"years": years, "origin": origin, "days": len(rows), "added": added, "removed": removed,
                            "changed_items": changed})
    return ImportReport(years, len(rows), added, removed, changed)


def _span(years: Sequence[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _recompute(old_cal: WorkCalendar, years: Iterable[int], now: datetime) -> int:
    """Bump the version and let every registered module move its open due dates; returns the count."""
    _bump_version()
    db.session.flush()
    new_cal = build_calendar()
    return sum(hook(old_cal, new_cal, list(years), now) for hook in RECOMPUTE_HOOKS)


def seed_from_package(now: datetime, actor: Actor = "seed") -> ImportReport | None:
    """Load every year the chinese-calendar package knows as official; years already loaded are kept."""
    known = {y for (y,) in db.session.query(CalendarYear.year)}
    rows = [ParsedDay(d, i.kind, i.name, 0) for d, i in sorted(package_days().items()) if d.year not in known]
    if not rows:
        return None
    return import_official(rows, origin=f"chinese-calendar {chinese_calendar.__version__}", now=now, actor=actor)


def set_day(day: date, kind: str, name: str, *, now: datetime, actor: Actor) -> int:
    """Admin edit of one day: mark it a holiday or a make-up working day."""
    if kind not in ("holiday", "workday"):
        raise ValidationError("类型应为 holiday 或 workday")
    old_cal = get_calendar()
    with unit_of_work():
        row = db.session.get(CalendarDay, day)
        before = {"kind": row.kind, "name": row.name} if row else None
        if row is None:
            row = CalendarDay(day=day, kind=kind, name=name, source=OFFICIAL)
            db.session.add(row)
        row.kind, row.name, row.source = kind, name, OFFICIAL
        changed = _recompute(old_cal, [day.year], now)
        audit.log_change(now=now, actor=actor, entity_kind="calendar_day", entity_id=day.isoformat(),
                     action="set", before=before, after={"kind": kind, "name": name, "changed_items": changed})
    return changed


def remove_day(day: date, *, now: datetime, actor: Actor) -> int:
    """Admin edit: the day returns to the ordinary weekday/weekend rule."""
    old_cal = get_calendar()
    with unit_of_work():
        row = db.session.get(CalendarDay, day)
        if row is None:
            raise ValidationError(f"{day} 没有特殊安排，无需删除")
        before = {"kind": row.kind, "name": row.name}
        db.session.delete(row)
        changed = _recompute(old_cal, [day.year], now)
        audit.log_change(now=now, actor=actor, entity_kind="calendar_day", entity_id=day.isoformat(),
                     action="remove", before=before, after={"changed_items": changed})
    return changed


def year_listing(year: int) -> tuple[list[tuple[date, DayInfo]], bool]:
    """(date, DayInfo) exceptions of a year and whether the year is official."""
    cal = get_calendar()
    return cal.exceptions_in_year(year), year in cal.official_years
