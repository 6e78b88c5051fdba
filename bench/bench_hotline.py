"""Intake under load, near the stack's limit: 50 concurrent clients post tickets to gunicorn on PostgreSQL.

In one run, on one throw-away database, with the same gunicorn settings and the same clients (bench/load.py):
1. intake at a fixed offered load (BENCH_RATE, 100 tickets/s): p95 (target, issues 5 and 19: <= 150 ms);
2. intake closed loop (every client posts as fast as it is answered): the service's throughput;
3. the reference, closed loop: a bare endpoint (bench/reference_app.py, POST /insert) that parses the same
   JSON and inserts one row per request into its own table of the same database;
4. the reference at the same offered load.
Target (issue 19): intake throughput >= 50% of the bare endpoint's; p95 <= 150 ms at 100 tickets/s offered.
Every posted ticket (and bare row) carries a unique text; afterwards each acknowledged one must be stored
exactly once (nothing lost or doubled).
Jobs run as in production (DESIGN §6): the service gets REDIS_URL of a private redis-server and one
`flask worker` (RQ, with its cron) delivers the notifications; the request only writes the outbox rows and
enqueues. After the service's runs the outbox is waited for (up to BENCH_DRAIN seconds, 120) and counted by
status: none may have failed; rows still pending are the worker's backlog (the outbox is the source of truth,
DESIGN §4), printed, not counted as lost.

Run: `.venv/bin/python bench/bench_hotline.py` (BENCH_SECONDS per measured run, BENCH_RATE, BENCH_CLIENTS,
BENCH_WORKERS, BENCH_THREADS, BENCH_WARMUP, BENCH_DATABASE_URL; a throw-away database is created and dropped)."""
import json
import os
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.reference_app import APP as REFERENCE_APP  # noqa: E402
from bench.reference_app import DDL, TABLE  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
# Offered load of all clients together (tickets/s) for the fixed-rate runs.
RATE = float(os.environ.get("BENCH_RATE", 100))
DRAIN = float(os.environ.get("BENCH_DRAIN", 120))
CREATED = frozenset({201})


def ticket_requests(tag, token=None):
    """The clients' requests: a ticket (to the service, with the operator's token) or the same JSON to the
    bare endpoint (token None); each text unique, `bench <tag> <client>-<i> …`, the key checked afterwards."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    path = "/api/v1/tickets" if token else "/insert"

    def make(rng, n, i):
        content = f"bench {tag} {n}-{i} 夜间施工噪声"
        body = json.dumps({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                           "content": content, "address": f"亭湖区某路 {i % 50} 号"})
        return "POST", path, body.encode(), headers, content
    return make


def exactly_once(run, stored):
    """(acknowledged and stored once, lost, doubled, stored but not acknowledged) of a run's keys."""
    acknowledged = {r[3] for r in run.ok}
    mine = {k: v for k, v in stored.items() if k.split(" ", 2)[1] == run.name}
    lost = sum(1 for k in acknowledged if k not in mine)
    doubled = sum(1 for k in acknowledged if mine.get(k, 0) > 1)
    extra = sum(1 for k in mine if k not in acknowledged)
    return len(acknowledged) - lost - doubled, lost, doubled, extra


def drain(engine):
    """Wait until the worker has delivered the bench tickets' notifications (none pending or sending) or DRAIN
    seconds pass: ({status: count}, seconds waited)."""
    query = text("SELECT n.status, count(*) FROM notifications n JOIN tickets t ON n.entity_kind = 'ticket' "
                 "AND n.entity_id = t.id::text WHERE t.content LIKE 'bench %' GROUP BY n.status")
    started = time.monotonic()
    while True:
        with engine.connect() as c:
            counts = dict(c.execute(query).all())
        waited = time.monotonic() - started
        if not set(counts) & {"pending", "sending"} or waited > DRAIN:
            return counts, waited
        time.sleep(1)


def prepare(env, url):
    """The throw-away database made ready for an intake run: migrated, seeded, an operator with an API token, the
    bare reference's table. Drops REDIS_URL from `env` (the bare reference has no jobs; the service gets its own
    Redis from load.production_jobs). (token, engine, PostgreSQL version)."""
    env.pop("REDIS_URL", None)
    load.flask(env, "db", "upgrade")
    load.flask(env, "seed")
    load.flask(env, "users", "create", "--email", "bench@x.cn", "--password", "Bench1234", "--role", "operator")
    token = load.flask(env, "tokens", "create", "--email", "bench@x.cn").splitlines()[0]
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(DDL))
        version = c.execute(text("select version()")).scalar().split(",")[0]
    return token, engine, version


def main():
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_hotline") as url:
        return run(url)


def run(url):
    name = url.rsplit("/", 1)[1]
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "INSTANCE_PATH": f"/tmp/{name}"}
    token, engine, version = prepare(env, url)

    with load.production_jobs(env, f"/tmp/{name}") as jobs_env, load.gunicorn("app:create_app()", jobs_env) as port:
        load.warm(port, ticket_requests("warm", token))
        intake_rate = load.measure("intake-rate", port, ticket_requests("intake-rate", token), SECONDS, CREATED, RATE)
        intake = load.measure("intake", port, ticket_requests("intake", token), SECONDS, CREATED)
        outbox, drained = drain(engine)
    with load.gunicorn(REFERENCE_APP, env) as port:
        load.warm(port, ticket_requests("warm"))
        bare = load.measure("bare", port, ticket_requests("bare"), SECONDS, CREATED)
        bare_rate = load.measure("bare-rate", port, ticket_requests("bare-rate"), SECONDS, CREATED, RATE)

    with engine.connect() as c:
        tickets = dict(c.execute(text("SELECT content, count(*) FROM tickets WHERE content LIKE 'bench %' "
                                      "GROUP BY content")).all())
        rows = dict(c.execute(text(f"SELECT content, count(*) FROM {TABLE} GROUP BY content")).all())
    engine.dispose()

    print(load.machine(version))
    print("POST /api/v1/tickets with an operator's token (the service) · POST /insert, one row per request "
          "(the bare reference, same gunicorn, same database)")
    clean = True
    for r, stored in ((intake_rate, tickets), (intake, tickets), (bare, rows), (bare_rate, rows)):
        once, lost, doubled, extra = exactly_once(r, stored)
        clean = clean and not (lost or doubled or r.errors)
        print(r.line())
        print(f"  stored exactly once: {once:,} of {len(r.ok):,}; lost {lost}; doubled {doubled}; "
              f"stored but not acknowledged {extra}")
    print(f"outbox of the bench tickets {drained:.0f} s after the last request (the worker delivers): "
          + ", ".join(f"{status} {n:,}" for status, n in sorted(outbox.items())))
    clean = clean and not outbox.get("failed")
    print(load.ratio_line("intake vs bare, closed loop", intake, bare))
    print(load.ratio_line(f"intake vs bare, offered {RATE:g}/s", intake_rate, bare_rate))
    share = intake.throughput / bare.throughput
    rate_met = intake_rate.throughput >= 0.97 * RATE and intake_rate.p95 <= 150
    print(f"target intake throughput >= 50% of bare: {share:.0%} — {'met' if share >= 0.5 else 'NOT MET'}")
    print(f"target p95 <= 150 ms at {RATE:g} tickets/s offered: {intake_rate.throughput:.1f}/s served, "
          f"p95 {intake_rate.p95:.1f} ms — {'met' if rate_met else 'NOT MET'}")
    print(f"nothing lost or doubled, no errors, no SMS failed: {'met' if clean else 'NOT MET'}")
    return 0 if share >= 0.5 and rate_met and clean else 1


if __name__ == "__main__":
    sys.exit(main())
