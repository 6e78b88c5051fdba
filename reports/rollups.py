"""Daily roll-ups of the hotline dashboard (issue 19 item 6): the additive figures of each closed day's
tickets (reports/ticket_figures.py: figures), per department, so that a year's dashboard adds a few
hundred thousand small rows instead of reading millions of tickets.

What can still change after a day closes (a reply, a callback, a reopening, a reassignment, a merge, a
clock stopped late) is a change to one of the day's tickets, callbacks, returns or clocks: the session hook
below adds one to the day's version in the same transaction, and the periodic job rolls the day up again.
The dashboard adds only the roll-ups whose counted version is the day's version, and counts every other
day (today, dirty days, days never rolled up) from the raw rows; the part that moves with `now` (open
clocks past due) is always counted from the rows. Writes that bypass the ORM (a bulk UPDATE, COPY, a
migration's backfill, a change of TIMEZONE) must be followed by `flask reports rollup rebuild`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from core.calendar.service import local_date
from core.clocks.models import Clock
from core.db import unit_of_work
from core.extensions import db
from hotline.models import CallbackAttempt, Return, Ticket
from reports import ticket_figures as tf
from reports.models import Rollup, RollupDay

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime
    from typing import Any

    from sqlalchemy.orm import Session

CATCH_UP_DAYS = 31  # days rolled up by one periodic run at most (the rest on the next runs)
_PENDING = "rollup_ticket_ids"  # session.info: tickets changed in this transaction


# --- marking days dirty -------------------------------------------------------------------------------------

def _ticket_id(obj: Any) -> int | None:
    if isinstance(obj, Ticket):
        return obj.id
    if isinstance(obj, (CallbackAttempt, Return)):
        return obj.ticket_id
    if isinstance(obj, Clock) and obj.entity_kind == "ticket" and str(obj.entity_id).isdigit():
        return int(obj.entity_id)
    return None


def _after_flush(session: Session, _context: Any) -> None:
    """Note the tickets whose figures this flush may change (and the days a changed receipt time left)."""
    ids, moments, known = session.info.setdefault(_PENDING, (set(), set(), set()))
    for obj in (*session.new, *session.dirty, *session.deleted):
        ticket_id = _ticket_id(obj)
        if ticket_id is not None:
            ids.add(ticket_id)
        if isinstance(obj, Ticket):
            moments.update(v for v in sa.inspect(obj).attrs.received_at.history.deleted if v is not None)
            if obj.received_at is not None:
                moments.add(obj.received_at)
                known.add(obj.id)  # its receipt time is in hand: no SELECT for it before the commit


def _insert() -> Any:
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(RollupDay)


def _before_commit(session: Session) -> None:
    """Add one to the version of every day whose tickets this transaction changed, last before the commit
    (the day rows are locked for the shortest time, and always after the tickets). `before_commit` runs before
    the commit's own flush: flush first, or a change made since the last flush would be noted too late."""
    session.flush()
    if not session.info.get(_PENDING):
        return
    ids, moments, known = session.info.pop(_PENDING)
    connection = session.connection()
    ids = sorted(ids - known)
    for i in range(0, len(ids), 500):
        moments.update(connection.execute(sa.select(Ticket.__table__.c.received_at)
                                          .where(Ticket.__table__.c.id.in_(ids[i:i + 500]))).scalars())
    days = sorted({local_date(m) for m in moments})
    if days:
        stmt = _insert().values([{"day": d, "version": 1} for d in days])
        connection.execute(stmt.on_conflict_do_update(index_elements=["day"],
                                                      set_={"version": RollupDay.__table__.c.version + 1}))


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


def watch_changes() -> None:
    """Install the session hooks (once per process)."""
    from sqlalchemy.orm import Session
    for name, fn in (("after_flush", _after_flush), ("before_commit", _before_commit),
                     ("after_rollback", _forget)):
        if not sa.event.contains(Session, name, fn):
            sa.event.listen(Session, name, fn)


# --- rolling up -------------------------------------------------------------------------------------------

def roll_day(day: date, now: datetime) -> int:
    """Count the figures of the tickets received on `day` and keep them as the day's roll-up, with the
    version they were counted at; returns the rows written. One unit of work."""
    with unit_of_work():
        db.session.execute(_insert().values(day=day, version=0).on_conflict_do_nothing(index_elements=["day"]))
        version = db.session.execute(sa.select(RollupDay.version).where(RollupDay.day == day)).scalar_one()
        rows = [{"day": day, "department_id": g, "measure": name, "value": value}
                for g, f in tf.figures(tf.cohort(day, day)).items() for name, value in f.items()]
        db.session.execute(sa.delete(Rollup).where(Rollup.day == day))
        if rows:
            db.session.execute(sa.insert(Rollup), rows)
        # the version read before counting: a change committed meanwhile leaves the day dirty
        db.session.execute(sa.update(RollupDay).where(RollupDay.day == day)
                           .values(rolled_version=version, rolled_at=now))
    return len(rows)


def rollup_catch_up(now: datetime) -> int:
    """Periodic duty: roll up the closed days (before `now`'s local date) that are new or dirty, oldest
    first, at most CATCH_UP_DAYS a run; returns how many days were rolled up."""
    stale = sa.or_(RollupDay.rolled_version.is_(None), RollupDay.rolled_version != RollupDay.version)
    days = db.session.execute(sa.select(RollupDay.day).where(RollupDay.day < local_date(now), stale)
                              .order_by(RollupDay.day).limit(CATCH_UP_DAYS)).scalars().all()
    db.session.rollback()  # end the read transaction before the units of work
    for day in days:
        roll_day(day, now)
    return len(days)


def rebuild(now: datetime, start: date | None = None, end: date | None = None,
            progress: Any = None) -> int:
    """Roll up every closed day from `start` (default: the first ticket's day) to `end` (default: the day
    before `now`'s); returns the days rolled up."""
    last_closed = local_date(now) - timedelta(days=1)
    end = min(end or last_closed, last_closed)
    if start is None:
        first = db.session.execute(sa.select(sa.func.min(Ticket.received_at))).scalar()
        db.session.rollback()
        if first is None:
            return 0
        start = local_date(first)
    day, n = start, 0
    while day <= end:
        roll_day(day, now)
        n += 1
        if progress:
            progress(day)
        day += timedelta(days=1)
    return n


# --- reading ---------------------------------------------------------------------------------------------

@dataclass
class Collected:
    """A period's figures per department, the open work past due per department, and tickets per day."""
    figures: dict = field(default_factory=dict)  # department id -> {figure name: value}
    late: dict = field(default_factory=dict)  # department id -> {clock name: n}
    by_day: dict = field(default_factory=dict)  # local date -> tickets received


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def clean_days(start: date, end: date, now: datetime) -> set[date]:
    """The closed days from `start` to `end` whose roll-up is current."""
    last = min(end, local_date(now) - timedelta(days=1))
    if last < start:
        return set()
    return set(db.session.execute(sa.select(RollupDay.day).where(
        RollupDay.day.between(start, last), RollupDay.rolled_version == RollupDay.version)).scalars())


def _rolled(conds: list[Any]) -> tuple[dict[Any, tf.Figures], dict[date, int]]:
    figures: dict[Any, tf.Figures] = {}
    stmt = sa.select(Rollup.department_id, Rollup.measure, sa.func.sum(Rollup.value)).where(*conds)
    for g, name, value in db.session.execute(stmt.group_by(Rollup.department_id, Rollup.measure)):
        figures.setdefault(g, {})[name] = value
    by_day = {d: int(n) for d, n in db.session.execute(
        sa.select(Rollup.day, sa.func.sum(Rollup.value)).where(*conds, Rollup.measure == "received")
        .group_by(Rollup.day))}
    return figures, by_day


def _split(start: date, end: date, now: datetime, use_rollups: bool) -> tuple[list[Any], list[Any]]:
    """(the roll-ups' day runs, the raw days' runs) of the period."""
    clean = clean_days(start, end, now) if use_rollups else set()
    every = {start + timedelta(days=i) for i in range((end - start).days + 1)}
    return runs(clean), runs(every - clean)


def collect(start: date, end: date, *, now: datetime, department_id: int | None = None,
            use_rollups: bool = True) -> Collected:
    """The figures of the tickets received `start`–`end` (local dates, inclusive): the closed days' current
    roll-ups plus the raw rows of every other day; `use_rollups=False` counts every day from the raw rows
    (the reference the roll-ups are tested against)."""
    rolled_runs, raw_runs = _split(start, end, now, use_rollups)
    out = Collected()
    if rolled_runs:
        conds = [sa.or_(*(Rollup.day.between(a, b) for a, b in rolled_runs))]
        if department_id is not None:
            conds.append(Rollup.department_id == department_id)
        rolled, out.by_day = _rolled(conds)
        tf.add(out.figures, rolled)
    if raw_runs:
        conds = tf.within(raw_runs)
        tf.add(out.figures, tf.figures(conds, department_id))
        mine = conds + ([Ticket.department_id == department_id] if department_id is not None else [])
        out.by_day.update(tf.by_day(mine))
    # counts as integers (a roll-up's value column is a float); seconds stay as they are
    out.figures = {g: {k: (v if k == "handling_seconds" else int(v)) for k, v in f.items()}
                   for g, f in out.figures.items()}
    out.late = tf.open_late(tf.cohort(start, end, department_id), now)
    return out


def category_counts(start: date, end: date, *, now: datetime | None = None) -> dict[str, int]:
    """Tickets per level-1 category received `start`–`end`: roll-ups where current when `now` is given,
    else the raw rows."""
    rolled_runs, raw_runs = _split(start, end, now, True) if now is not None else ([], [(start, end)])
    out: dict[str, int] = {}
    if rolled_runs:
        stmt = (sa.select(Rollup.measure, sa.func.sum(Rollup.value))
                .where(sa.or_(*(Rollup.day.between(a, b) for a, b in rolled_runs)), Rollup.measure.like("category:%"))
                .group_by(Rollup.measure))
        for name, n in db.session.execute(stmt):
            out[name.split(":", 1)[1]] = int(n)
    if raw_runs:
        for code, n in tf.category_counts(tf.within(raw_runs)).items():
            out[code] = out.get(code, 0) + n
    return out
