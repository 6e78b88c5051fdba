"""Deadline sweep benchmark on PostgreSQL: 100,000 open clocks, one sweep (target < 5 s), a second
sweep at the same `now` (idempotent), and a calendar import that recomputes the open clocks.

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

from sqlalchemy import func, text  # noqa: E402

CLOCKS = int(os.environ.get("BENCH_CLOCKS", 100_000))
SH = ZoneInfo("Asia/Shanghai")


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
        build = time.perf_counter() - t_build

        t = time.perf_counter()
        first = run_sweep(now)
        first_s = time.perf_counter() - t
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
        t = time.perf_counter()
        third = run_sweep(now + timedelta(days=1))
        third_s = time.perf_counter() - t
        version = db.session.execute(text("select version()")).scalar().split(",")[0]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}")
    print(f"setup: {CLOCKS:,} clocks built and inserted in {build:.1f} s")
    print(f"sweep 1: {first_s:.2f} s  {first}  ({notes:,} in-app notifications written)")
    print(f"sweep 2, same now: {second_s:.2f} s  {second}")
    print(f"calendar import recomputing open clocks: {recompute_s:.2f} s, {report.changed_items:,} clocks moved")
    print(f"sweep 3, next day: {third_s:.2f} s  {third}")
    ok = first_s < 5
    print(f"target: one sweep over {CLOCKS:,} open clocks < 5 s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
