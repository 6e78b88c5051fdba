"""Clock engine benchmark: add_workdays throughput (bisect vs a naive day-by-day loop) and recomputing
100,000 due dates after an official year is imported. Run: `make bench` or `.venv/bin/python bench/bench_clock.py`."""
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workdays_reference import naive_add_workdays  # noqa: E402
from core.calendar.provisional import package_days, statutory_holidays  # noqa: E402
from core.worktime import WorkCalendar  # noqa: E402
from core.worktime.workdays import DayInfo  # noqa: E402

CALLS = 1_000_000
NAIVE_CALLS = 100_000
ITEMS = 100_000


def official(extra_2027=False):
    days = package_days()
    years = {d.year for d in days}
    if extra_2027:  # an imported 2027: Spring Festival 2/5–2/12 with Saturday 2/20 worked
        for i in range(8):
            days[date(2027, 2, 5) + timedelta(i)] = DayInfo("holiday", "春节", "official")
        days[date(2027, 2, 20)] = DayInfo("workday", "春节", "official")
        days[date(2027, 1, 1)] = DayInfo("holiday", "元旦", "official")
        years.add(2027)
    return WorkCalendar(days, years, statutory_holidays)


def main():
    rng = random.Random(42)
    base = date(2025, 1, 1)
    starts = [base + timedelta(days=rng.randrange(730)) for _ in range(CALLS)]
    counts = [rng.choice((1, 3, 5, 7, 10, 15, 20, 40)) for _ in range(CALLS)]
    cal = official()
    cal.add_workdays(date(2025, 1, 1), 1)
    cal.add_workdays(date(2027, 12, 1), 1)  # index the years once, as a warm process would have

    add = cal.add_workdays
    t0 = time.perf_counter()
    for s, n in zip(starts, counts):
        add(s, n)
    fast = time.perf_counter() - t0

    t0 = time.perf_counter()
    for s, n in zip(starts[:NAIVE_CALLS], counts[:NAIVE_CALLS]):
        naive_add_workdays(cal, s, n)
    naive = time.perf_counter() - t0

    for s, n in zip(starts[:20000], counts[:20000]):
        assert add(s, n) == naive_add_workdays(cal, s, n)

    # Recompute: 100,000 open items with receipt dates around the year boundary, some paused.
    items = []
    for _ in range(ITEMS):
        received = date(2026, 11, 1) + timedelta(days=rng.randrange(120))
        pauses = []
        if rng.random() < 0.2:
            p0 = received + timedelta(days=rng.randrange(10))
            pauses.append((p0, p0 + timedelta(days=rng.randrange(1, 20))))
        items.append((received, 20, pauses))
    t0 = time.perf_counter()
    new_cal = official(extra_2027=True)
    changed = 0
    for received, n, pauses in items:
        if cal.due_date(received, n, pauses) != new_cal.due_date(received, n, pauses):
            changed += 1
    recompute = time.perf_counter() - t0

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"add_workdays (bisect): {CALLS:,} calls in {fast:.3f} s = {CALLS / fast:,.0f} calls/s")
    print(f"add_workdays (naive day loop): {NAIVE_CALLS:,} calls in {naive:.3f} s = {NAIVE_CALLS / naive:,.0f} calls/s")
    print(f"speed-up: {(CALLS / fast) / (NAIVE_CALLS / naive):.1f}x")
    print(f"recompute: {ITEMS:,} due dates (old and new calendar, 20% paused) in {recompute:.3f} s; "
          f"{changed:,} changed by the 2027 import")
    target = 200_000
    ok = CALLS / fast >= target
    print(f"target >= {target:,} add_workdays/s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
