"""Reports at scale on PostgreSQL: the annual disclosure table over 200,000 applications and the hotline
dashboard over a year of 2,000,000 tickets. Targets: annual table under 2 s (issue 7); hotline dashboard
under 1 s from the daily roll-ups, disclosure dashboard under 0.5 s (issue 19 item 6). Each dashboard is
printed with the ratio to a reference measured in the same run: the minimal read of the same rows (one
grouped count) and, for the hotline, the same dashboard counted from the raw rows; the roll-ups' rebuild
time is printed too.

The data is loaded with COPY into a throw-away database migrated like production (`flask db upgrade`,
`flask seed`): applications over 2025–2026 with receipt and reply dates, outcomes, applicant types,
extensions, corrections and answer clocks; tickets over one year with their sign-for and handling
clocks (frozen verdicts, some still open and overdue), replies, direct answers, merged and transferred
ones, callbacks with satisfaction, reopenings. Each report runs BENCH_REPEAT times (the first one cold
after ANALYZE); p50 and max are printed with the measured breakdown.

Run: `.venv/bin/python -u bench/bench_reports.py` (BENCH_APPLICATIONS, BENCH_TICKETS, BENCH_REPEAT,
BENCH_DATABASE_URL, BENCH_KEEP=1 keeps the database, BENCH_QUERY_ONLY=<url> times a kept one, BENCH_REBUILD=0
there skips the roll-ups' rebuild)."""
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", 200_000))
TICKETS = int(os.environ.get("BENCH_TICKETS", 2_000_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 5))
YEAR_START, YEAR_END = date(2025, 12, 1), date(2026, 11, 30)  # the hotline year
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing, the day after the year
CST = timezone(timedelta(hours=8))


def flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, text=True)


def _copy(conn, table, columns, rows):
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    conn.commit()
    return n


def applications(rng, departments):
    """(application row, answer clock row) for APPLICATIONS applications received 2025-01-01 … 2026-11-30."""
    from requests_module.models import ORG_TYPES
    from requests_module.outcomes import OUTCOMES
    outcomes = list(OUTCOMES)
    weights = [30, 15] + [1] * 8 + [6, 3, 2] + [2] * 5 + [2, 1, 2]
    span = (date(2026, 11, 30) - date(2025, 1, 1)).days
    for i in range(1, APPLICATIONS + 1):
        received = date(2025, 1, 1) + timedelta(days=rng.randrange(span + 1))
        person = rng.random() < 0.8
        days = rng.choice((5, 10, 15, 18, 20, 25, 28, 35))
        replied = received + timedelta(days=days)
        closed = replied <= date(2026, 11, 27) and rng.random() < 0.97
        extension = 15 if rng.random() < 0.08 else 0
        on_time = days <= 28 + extension if closed else None  # the answer clock's verdict, kept on the application
        correction = received + timedelta(days=3) if rng.random() < 0.1 else None
        submitted = datetime.combine(received, datetime.min.time(), CST).replace(hour=9)
        dept = rng.choice(departments) if rng.random() < 0.98 else None
        status = "closed" if closed else "assigned" if dept else "received"
        row = (i, f"YS{i:09d}", status, "web", "person" if person else "org",
               None if person else rng.choice(list(ORG_TYPES)), "申请人", "resident_id", "11010519491231002X",
               "13800001111", "", "", "", f"申请公开第{i}号信息", "请公开相关政府信息。", "", "electronic", "online",
               False, submitted, received, dept, correction, extension,
               rng.choices(outcomes, weights)[0] if closed else None, replied if closed else None, 1,
               # a reply counts on the dashboard once issued (closed_at): 17:00 on the reply day
               datetime.combine(replied, datetime.min.time(), CST).replace(hour=17) if closed else None, on_time)
        due = submitted + timedelta(days=28 + (21 if extension else 0))
        if closed:
            clock = ("stopped", datetime.combine(replied, datetime.min.time(), CST), on_time, "closed: x")
        else:
            clock = ("running", None, None, None)
        yield row, (f"c{i}", "disclosure_request", str(i), "", "answer", "workdays", 20.0, dept, clock[0], submitted,
                    "[]", float(extension), due, due - timedelta(days=4), False, clock[1], clock[2], clock[3])


APPLICATION_COLUMNS = ("id", "number", "status", "channel", "applicant_type", "org_type", "name", "id_type",
                       "id_number", "phone", "email", "address", "contact_person", "title", "description",
                       "doc_number", "form", "delivery", "publish_consent", "submitted_at", "received_on",
                       "department_id", "correction_notice_on", "extension_days", "outcome", "replied_on", "version",
                       "closed_at", "answer_on_time")
CLOCK_COLUMNS = ("entity_kind", "entity_id", "entity_label", "name", "unit", "length", "department_id", "state",
                 "started_at", "pauses", "extension", "due_at", "warn_at", "provisional", "stopped_at", "on_time",
                 "stop_reason")


def tickets(rng, departments, categories):
    """(ticket row, [clock rows], [callback rows]) for TICKETS tickets received over the hotline year."""
    from hotline.intake import CHANNELS
    from hotline.sla import TYPES
    types, channels = list(TYPES), list(CHANNELS)
    seconds = int((YEAR_END - YEAR_START).days + 1) * 86400
    start = datetime.combine(YEAR_START, datetime.min.time(), CST)
    for i in range(1, TICKETS + 1):
        received = start + timedelta(seconds=rng.randrange(seconds))
        t = rng.random()
        merged, transferred = t < 0.01, 0.01 <= t < 0.015
        direct = not merged and not transferred and rng.random() < 0.1
        dept = None if merged or transferred or direct or rng.random() < 0.02 else rng.choice(departments)
        open_ = dept is not None and received > NOW - timedelta(days=12) and rng.random() < 0.6
        replied = None
        clocks, callbacks = [], []
        if dept is not None:
            signed_in_time = rng.random() < 0.93
            sign_due = received + timedelta(hours=2)
            signed = received + timedelta(minutes=40 if signed_in_time else 200)
            clocks.append(("ticket", str(i), "", "sign_for", "workhours", 2.0, dept, "stopped", received, "[]", 0.0,
                           sign_due, sign_due - timedelta(minutes=30), False, signed, signed_in_time, "signed"))
            handle_due = signed + timedelta(days=5)
            if open_:
                clocks.append(("ticket", str(i), "", "handling", "workdays", 5.0, dept, "running", signed, "[]", 0.0,
                               handle_due, handle_due - timedelta(days=1), False, None, None, None))
            else:
                replied = signed + timedelta(hours=rng.choice((3, 20, 30, 50, 90, 140)))
                clocks.append(("ticket", str(i), "", "handling", "workdays", 5.0, dept, "stopped", signed, "[]", 0.0,
                               handle_due, handle_due - timedelta(days=1), False, replied, replied <= handle_due,
                               "replied"))
        answered = replied is not None or direct
        reopen = 1 if answered and rng.random() < 0.03 else 0
        if answered and rng.random() < 0.6:
            reached = rng.random() < 0.85
            verdict = rng.choices(("satisfied", "basic", "unsatisfied"), (70, 20, 10))[0] if reached else None
            callbacks.append((i, (replied or received) + timedelta(days=1), reached, verdict, False))
        status = "closed" if (answered or merged or transferred) and not open_ else "handling" if dept else "new"
        # the counters hotline.common.stop keeps: verdicts of clocks stopped by signing / by a reply
        counters = [sum(1 for c in clocks if c[3] == name and c[16] == reason and flag(c[15]))
                    for name, reason in (("sign_for", "signed"), ("handling", "replied"))
                    for flag in (lambda on_time: True, bool)]
        yield ((i, f"RX{i:09d}", status, rng.choice(channels), "13800001111", False, False, rng.choice(types),
                rng.choice(categories), "normal", "", "诉求内容", "", received, dept, replied, direct, reopen, 0,
                i - 1 if merged and i > 1 else None, "110" if transferred else None, False, 1, *counters),
               clocks, callbacks)


TICKET_COLUMNS = ("id", "number", "status", "channel", "caller_phone", "anonymous", "confidential", "type",
                  "category_code", "urgency", "address", "content", "summary", "received_at", "department_id",
                  "replied_at", "direct", "reopen_count", "return_count", "merged_into_id", "transferred_to",
                  "extension_used", "version", "sign_verdicts", "sign_in_time", "done_verdicts", "done_in_time")
CALLBACK_COLUMNS = ("ticket_id", "at", "reached", "satisfaction", "online")


def load(url):
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": uuid.uuid4().hex,
           "INSTANCE_PATH": "/tmp/bench_reports"}
    env.pop("REDIS_URL", None)
    flask(env, "db", "upgrade")
    flask(env, "seed")
    engine = sa.create_engine(url)
    with engine.connect() as c:
        departments = [r[0] for r in c.execute(sa.text("SELECT id FROM departments ORDER BY id"))]
        categories = [r[0] for r in c.execute(sa.text("SELECT code FROM hotline_categories WHERE level = 3"))]
    rng = random.Random(11)
    raw = engine.raw_connection()
    conn = raw.driver_connection
    t0 = time.perf_counter()
    rows, clocks = [], []
    for row, clock in applications(rng, departments):
        rows.append(row)
        clocks.append(clock[1:])
    _copy(conn, "disclosure_requests", APPLICATION_COLUMNS, rows)
    _copy(conn, "clocks", CLOCK_COLUMNS, clocks)
    print(f"loaded {len(rows):,} applications in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    batch_t, batch_c, batch_cb = [], [], []
    for ticket, tclocks, callbacks in tickets(rng, departments, categories):
        batch_t.append(ticket)
        batch_c += tclocks
        batch_cb += callbacks
        if len(batch_t) == 200_000:
            _copy(conn, "tickets", TICKET_COLUMNS, batch_t)
            _copy(conn, "clocks", CLOCK_COLUMNS, batch_c)
            _copy(conn, "callback_attempts", CALLBACK_COLUMNS, batch_cb)
            print(f"  {ticket[0]:,} tickets", end="\r", file=sys.stderr)
            batch_t, batch_c, batch_cb = [], [], []
    if batch_t:
        _copy(conn, "tickets", TICKET_COLUMNS, batch_t)
        _copy(conn, "clocks", CLOCK_COLUMNS, batch_c)
        _copy(conn, "callback_attempts", CALLBACK_COLUMNS, batch_cb)
    with conn.cursor() as cur:
        for table in ("disclosure_requests", "tickets", "callback_attempts"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(sa.text("VACUUM ANALYZE"))
        counts = {t: c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("disclosure_requests", "tickets", "clocks", "callback_attempts")}
        sizes = {t: c.execute(sa.text(f"SELECT pg_total_relation_size('{t}')")).scalar_one()
                 for t in ("tickets", "clocks")}
    engine.dispose()
    print(f"loaded tickets in {time.perf_counter() - t0:.0f} s; rows: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items())
          + "; sizes: " + ", ".join(f"{t} {v / 2**20:,.0f} MB" for t, v in sizes.items()))


def timed(label, fn, target=None, reference=None):
    """Run `fn` REPEAT times and print first, p50 and max; with `reference` (the p50 of the same work done
    the naive or minimal way in this run) also the ratio."""
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    verdict = f" — target < {target} s {'met' if max(times) < target else 'MISSED'}" if target else ""
    p50 = statistics.median(times)
    ratio = f" {p50 / reference:.2f}× |" if reference else " |"
    print(f"| {label} | {times[0]:.3f} | {p50:.3f} | {max(times):.3f} |{ratio}{verdict}")
    return result, p50


def measure(url):
    from app import create_app
    from config import TestingConfig

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
    app = create_app(Cfg)
    with app.app_context():
        from core.extensions import db
        from reports import hotline_export, presenter, rollups
        from reports import hotline_measures as hm
        from reports.disclosure_annual import annual_table
        from reports.disclosure_dashboard import dashboard
        t0 = time.perf_counter()
        days = rollups.rebuild(NOW) if os.environ.get("BENCH_REBUILD", "1") == "1" else 0
        print(f"roll-ups rebuilt (`flask reports rollup rebuild`): {days} days in {time.perf_counter() - t0:.1f} s, "
              f"{db.session.execute(sa.text('SELECT count(*) FROM hotline_rollups')).scalar_one():,} rows")
        db.session.commit()
        lo, hi = datetime.combine(YEAR_START, datetime.min.time(), CST), datetime.combine(
            YEAR_END + timedelta(days=1), datetime.min.time(), CST)
        print("| report | first s | p50 s | max s | × reference |")
        print("|---|---|---|---|---|")
        table, _ = timed("annual table 2026, whole government (sections 三 and 四)", lambda: annual_table(2026), 2)
        minimal_apps = sa.text("SELECT department_id, count(*) FROM disclosure_requests "
                               "WHERE replied_on BETWEEN :a AND :b GROUP BY department_id")
        _, ref = timed("reference: minimal disclosure read, replies of 2026-01-01 … 2026-11-30 counted by department",
                       lambda: db.session.execute(minimal_apps, {"a": date(2026, 1, 1), "b": date(2026, 11, 30)}).all())
        # the verdicts as the dashboard read them before they were kept on the application (issue 19 item 6): the
        # newest answer clock's frozen verdict per reply, one hash aggregate over the answer clocks
        from_clocks = sa.text(
            "SELECT to_char(r.replied_on, 'YYYY-MM'), r.outcome, count(*), sum(CASE WHEN v.k % 4 = 2 THEN 1 ELSE 0 END), "
            "sum(CASE WHEN v.k % 4 > 0 THEN 1 ELSE 0 END) FROM disclosure_requests r LEFT JOIN (SELECT entity_id, "
            "max(id * 4 + CASE WHEN on_time THEN 2 WHEN NOT on_time THEN 1 ELSE 0 END) AS k FROM clocks "
            "WHERE entity_kind = 'disclosure_request' AND name = 'answer' GROUP BY entity_id) v "
            "ON v.entity_id = CAST(r.id AS VARCHAR) WHERE r.replied_on BETWEEN :a AND :b AND r.outcome IS NOT NULL "
            "AND r.closed_at IS NOT NULL GROUP BY 1, 2")
        period = {"a": date(2026, 1, 1), "b": date(2026, 11, 30)}
        old, _ = timed("reference: the replies' verdicts read from the answer clocks (the previous way)",
                       lambda: db.session.execute(from_clocks, period).all(), None, ref)
        board, _ = timed("disclosure dashboard, 2026-01-01 … 2026-11-30", lambda: dashboard(
            date(2026, 1, 1), date(2026, 11, 30), now=NOW), 0.5, ref)
        print(f"check: the dashboard's 按期答复率 {board.on_time.numerator:,}/{board.on_time.denominator:,} of "
              f"{board.replied:,} replies equals the verdicts read from the clocks "
              f"{sum(r[3] for r in old):,}/{sum(r[4] for r in old):,}: "
              f"{(board.on_time.numerator, board.on_time.denominator) == (sum(r[3] for r in old), sum(r[4] for r in old))}")
        minimal = sa.text("SELECT department_id, count(*) FROM tickets WHERE received_at >= :lo AND received_at < :hi "
                          "GROUP BY department_id")
        _, ref = timed("reference: minimal raw read, the year's tickets counted by department",
                       lambda: db.session.execute(minimal, {"lo": lo, "hi": hi}).all())
        _, raw = timed("reference: hotline dashboard from the raw rows (use_rollups=False)",
                       lambda: presenter.hotline(YEAR_START, YEAR_END, NOW, use_rollups=False), None, ref)
        data, p50 = timed("hotline dashboard, one year of tickets, from the roll-ups (all measures, ranking, "
                          "assessment, rising)", lambda: presenter.hotline(YEAR_START, YEAR_END, NOW), 1, ref)
        print(f"ratio: roll-up dashboard / raw-row dashboard = {p50 / raw:.3f} ({raw / p50:.1f}× faster)")
        timed("  of which overview() (every measure, all departments)",
              lambda: hm.overview(YEAR_START, YEAR_END, now=NOW), None, ref)
        timed("hotline XLSX from the dashboard data", lambda: hotline_export.xlsx_bytes(data))
        timed("hotline dashboard, one month", lambda: presenter.hotline(date(2026, 11, 1), YEAR_END, NOW), 1, ref)
        same = presenter.hotline(YEAR_START, YEAR_END, NOW) == presenter.hotline(YEAR_START, YEAR_END, NOW,
                                                                                 use_rollups=False)
        print(f"check: roll-up dashboard equals the raw-row dashboard: {same}")
        print(f"check: annual 2026 new {table.get('new', 'total'):,}, closed {table.get('total', 'total'):,}, "
              f"reconciles {table.reconciles()}; hotline received {data['received']:,}, "
              + ", ".join(f"{r['label']} {r['value']:.1%}" for r in data["rates"].values() if r["value"] is not None))
        db.session.remove()


def main():
    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}, "
          f"Python {platform.python_version()}")
    if os.environ.get("BENCH_QUERY_ONLY"):
        return measure(os.environ["BENCH_QUERY_ONLY"])
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_reports") as url:
        with sa.create_engine(url).connect() as c:
            print(c.execute(sa.text("SELECT version()")).scalar_one().split(",")[0])
        load(url)
        measure(url)


if __name__ == "__main__":
    main()
