"""Deadline sweep benchmark on PostgreSQL: 100,000 open clocks, one sweep (target ≤ 3× its reference), a second
sweep at the same `now` (idempotent), a calendar import that recomputes the open clocks, and a sweep a
day later (the worst case: mass escalation).

Each timed sweep is set against a reference measured in the same run on the same database: one bulk
`UPDATE clocks SET … WHERE id = ANY(…)` per kind of mark (warning, overdue, escalation) of exactly the
rows the sweep then changes, committed — the physical limit of the sweep's writes. The reference's
changes are undone (untimed) and the table vacuumed before the sweep runs, so both start alike; the
sweep's changed rows are checked to be the reference's. Target: sweep ≤ 3 × reference.

Run: `.venv/bin/python bench/bench_sweep.py` (BENCH_DATABASE_URL, default the local `test` server;
a throw-away database is created and dropped)."""
import os
import platform
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import and_, func, select, text  # noqa: E402

CLOCKS = int(os.environ.get("BENCH_CLOCKS", 100_000))
SH = ZoneInfo("Asia/Shanghai")
TARGET_RATIO = 3.0
# The marks a sweep sets, by column: the reference sets and undoes the same ones.
MARKS = {"warned": ("warned_at",), "overdue": ("overdue_at", "escalate_at"), "escalated": ("escalated_at",)}


def _vacuum(db):
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE clocks"))


def _due_rows(db, Clock, now):
    """The ids each step of a sweep at `now` will change (the sweep's own conditions)."""
    running = Clock.state == "running"
    where = {"warned": and_(running, Clock.warned_at.is_(None), Clock.warn_at <= now, Clock.due_at >= now),
             "overdue": and_(running, Clock.overdue_at.is_(None), Clock.due_at < now),
             "escalated": and_(running, Clock.escalated_at.is_(None), Clock.escalate_at.is_not(None),
                               Clock.escalate_at <= now)}
    return {k: db.session.execute(select(Clock.id).where(w).order_by(Clock.id)).scalars().all() for k, w in where.items()}


def _reference(db, ids, now, escalate_at):
    """The physical limit: one bulk UPDATE per mark of exactly these rows, committed; then undone (untimed)."""
    values = {"warned_at": now, "overdue_at": now, "escalate_at": escalate_at, "escalated_at": now}
    t = time.perf_counter()
    for kind, cols in MARKS.items():
        if ids[kind]:
            sets = ", ".join(f"{c} = :{c}" for c in cols)
            db.session.execute(text(f"UPDATE clocks SET {sets} WHERE id = ANY(:ids)"),
                               {"ids": ids[kind], **{c: values[c] for c in cols}})
    db.session.commit()
    took = time.perf_counter() - t
    for kind, cols in MARKS.items():
        if ids[kind]:
            sets = ", ".join(f"{c} = NULL" for c in cols)
            db.session.execute(text(f"UPDATE clocks SET {sets} WHERE id = ANY(:ids)"), {"ids": ids[kind]})
    db.session.commit()
    _vacuum(db)
    return took


def _changed(db, Clock, now):
    """The ids a sweep at `now` did change, by mark."""
    cols = {"warned": Clock.warned_at, "overdue": Clock.overdue_at, "escalated": Clock.escalated_at}
    return {k: db.session.execute(select(Clock.id).where(c == now).order_by(Clock.id)).scalars().all()
            for k, c in cols.items()}


def _timed_sweep(db, Clock, run_sweep, now, escalate_after):
    """(sweep seconds, reference seconds, counts, rows changed) of one sweep at `now` and its same-run reference."""
    ids = _due_rows(db, Clock, now)
    db.session.commit()
    ref = _reference(db, ids, now, now + escalate_after)
    t = time.perf_counter()
    counts = run_sweep(now)
    took = time.perf_counter() - t
    changed = _changed(db, Clock, now)
    assert changed == ids, "the sweep changed other rows than the reference"
    return took, ref, counts, sum(len(v) for v in ids.values())


def main():
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_bench") as url:
        return run(url)


def run(url):
    from app import create_app
    from config import DevelopmentConfig

    class Cfg(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"

    app = create_app(Cfg)
    with app.app_context():
        from core.auth.service import create_user
        from core.calendar.parsing import parse_csv
        from core.calendar.service import get_calendar, get_schedule, import_official, seed_from_package
        from core.clocks.compute import Leads, compute_deadlines
        from core.clocks.models import Clock
        from core.clocks.sweep import run_sweep
        from core.departments.models import Department
        from core.departments.service import seed_departments
        from core.extensions import db
        from core.notifications.models import Notification

        db.create_all()
        t0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
        seed_departments(t0)
        seed_from_package(t0)
        deps = [d.id for d in Department.query]
        for i, dep in enumerate(deps):
            create_user(login=f"approver{i}@bench.cn", password="Bench1234", role="approver",
                        department=db.session.get(Department, dep), now=t0)
        for i in range(3):
            create_user(login=f"sup{i}@bench.cn", password="Bench1234", role="supervisor", now=t0)

        cal, schedule, leads = get_calendar(), get_schedule(), Leads()
        now = datetime(2026, 12, 15, 10, tzinfo=SH)
        rng = random.Random(1)
        rows = []
        t_build = time.perf_counter()
        for i in range(CLOCKS):
            # Receipt dates spread over the 40 days before `now`: some are due soon, some overdue.
            start_on = date(2026, 11, 5) + timedelta(days=rng.randrange(40))
            started = datetime.combine(start_on, datetime.min.time(), tzinfo=SH) + timedelta(hours=9)
            unit = "workdays" if i % 4 else "workhours"
            length = 20 if unit == "workdays" else rng.choice((2, 16, 40))
            d = compute_deadlines(unit=unit, length=length, started_at=started, start_on=start_on, pauses=[],
                                  extension=0, cal=cal, schedule=schedule, leads=leads)
            state = "running" if rng.random() < 0.85 else rng.choice(("paused", "stopped"))
            rows.append({"entity_kind": "request", "entity_id": str(i), "entity_label": f"YSQ-2026-{i:06d}",
                         "name": "answer" if unit == "workdays" else "handling", "unit": unit, "length": length,
                         "department_id": deps[i % len(deps)], "owner_id": None, "state": state,
                         "started_at": started, "start_on": start_on if unit == "workdays" else None,
                         "pauses": [], "extension": 0, "due_on": d.due_on, "due_at": d.due_at,
                         "warn_at": d.warn_at, "provisional": d.provisional,
                         "stopped_at": started if state == "stopped" else None})
        for chunk in range(0, len(rows), 10_000):
            db.session.execute(Clock.__table__.insert(), rows[chunk:chunk + 10_000])
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        _vacuum(db)
        build = time.perf_counter() - t_build
        escalate_after = timedelta(hours=app.config["ESCALATE_AFTER_HOURS"])

        first_s, first_ref, first, first_rows = _timed_sweep(db, Clock, run_sweep, now, escalate_after)
        notes_1 = db.session.query(func.count(Notification.id)).scalar()
        t = time.perf_counter()
        second = run_sweep(now)
        second_s = time.perf_counter() - t
        notes = db.session.query(func.count(Notification.id)).scalar()

        t = time.perf_counter()
        report = import_official(parse_csv("2026-12-24,holiday,测试\n2026-12-25,holiday,测试\n"
                                           "2026-12-26,workday,测试\n2026-01-01,holiday,元旦\n"),
                                 origin="bench", now=now, actor="bench")
        recompute_s = time.perf_counter() - t
        if os.environ.get("BENCH_STOP_BEFORE_THIRD"):
            print("stopping before sweep 3")
            return 0
        _vacuum(db)
        before_3 = db.session.query(func.count(Notification.id)).scalar()
        third_s, third_ref, third, third_rows = _timed_sweep(db, Clock, run_sweep, now + timedelta(days=1),
                                                             escalate_after)
        notes_3 = db.session.query(func.count(Notification.id)).scalar() - before_3
        digests = db.session.query(func.count(Notification.id)).filter(
            Notification.event == "clock_escalation_digest").scalar()
        version = db.session.execute(text("select version()")).scalar().split(",")[0]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}")
    print(f"setup: {CLOCKS:,} clocks built and inserted in {build:.1f} s")
    print(f"sweep 1: {first_s:.2f} s  {first}  ({notes_1:,} in-app notifications written)")
    print(f"  reference, bulk UPDATE of the same {first_rows:,} rows: {first_ref:.2f} s; "
          f"ratio {first_s / first_ref:.2f}x")
    print(f"sweep 2, same now: {second_s:.2f} s  {second}  ({notes - notes_1:,} notifications written)")
    print(f"calendar import recomputing open clocks: {recompute_s:.2f} s, {report.changed_items:,} clocks moved")
    print(f"sweep 3, next day (mass escalation): {third_s:.2f} s  {third}  ({notes_3:,} notifications written, "
          f"{digests} supervisor digests)")
    print(f"  reference, bulk UPDATE of the same {third_rows:,} rows: {third_ref:.2f} s; "
          f"ratio {third_s / third_ref:.2f}x")
    ok = max(first_s / first_ref, third_s / third_ref) <= TARGET_RATIO
    print(f"target: each sweep within {TARGET_RATIO:g}x of its bulk UPDATE reference: {'met' if ok else 'NOT MET'}"
          f"; sweep 1 < 5 s: {'met' if first_s < 5 else 'not met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
