"""The public under load: 50 concurrent keep-alive clients on the public log served by gunicorn on PostgreSQL
holding 1,000,000 published records (issue 19, item 3).

The records are bench_search.py's (its `generate` and `load`: the seed work plan's vocabulary, 80% hotline /
20% disclosure). The mix each client draws from: 35% the search page `/log/?q=…`, 35% the JSON search
`/api/v1/log?q=…` (queries: 55% one word, 45% two words, drawn with the corpus' word weights), 15% the
permalink page `/log/<public_id>` and 15% its JSON `/api/v1/log/<public_id>` of existing records. The search
budget (RATE_LIMIT_SEARCH) is raised for the run through the environment. The service runs as in production, with
a private Redis (the search results cache shared by the gunicorn workers, the rate limits) and one worker.

In one run, with the same gunicorn settings and the same clients (bench/load.py): the service closed loop
(throughput), then at a fixed offered load (BENCH_RATE, 100 requests/s: p95); then the reference — a minimal
Flask app on the same gunicorn serving a static JSON answer (bench/reference_app.py) — the same two ways.
Target: p95 <= 150 ms at >= 100 requests/s.

Run: `.venv/bin/python bench/bench_public.py` (BENCH_RECORDS, default 1,000,000; BENCH_SECONDS per measured run;
BENCH_RATE; BENCH_CLIENTS, BENCH_WORKERS, BENCH_THREADS, BENCH_WARMUP; BENCH_DATABASE_URL). The throw-away
database is dropped afterwards; BENCH_KEEP=1 keeps it and BENCH_QUERY_ONLY=<its URL> runs the load against it
without building again."""
import json
import os
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_search, load  # noqa: E402
from bench.reference_app import APP as REFERENCE_APP  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
RATE = float(os.environ.get("BENCH_RATE", 100))
OK = frozenset({200})
SAMPLE_IDS = 5000


def public_requests(words, weights, public_ids):
    """The clients' mix of public requests (see the module's text)."""
    def make(rng, n, i):
        r = rng.random()
        if r < 0.7:
            q = urllib.parse.quote(" ".join(rng.choices(words, weights, k=1 if rng.random() < 0.55 else 2)))
            path = f"/log/?q={q}" if r < 0.35 else f"/api/v1/log?q={q}"
        else:
            public_id = rng.choice(public_ids)
            path = f"/log/{public_id}" if r < 0.85 else f"/api/v1/log/{public_id}"
        return "GET", path, None, {}, None
    return make


def static_requests(rng, n, i):
    return "GET", "/static.json", None, {}, None


def build(url):
    """Migrate the throw-away database as production is, then load bench_search's records into it."""
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench"}
    load.flask(env, "db", "upgrade")
    t0 = time.perf_counter()
    app = bench_search.make_app(url)
    bench_search.load({"postgresql": app})
    with app.app_context():
        from core.extensions import db
        db.engine.dispose()
    print(f"built {bench_search.N:,} published records in {time.perf_counter() - t0:.0f} s", flush=True)


def check(port, path):
    """One request before the load: the service answers a search with results (not the fallback)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    if resp.status != 200 or body.get("search_failed") or not body.get("total"):
        raise RuntimeError(f"{path}: {resp.status} {str(body)[:300]}")


def run(url):
    name = url.rsplit("/", 1)[1]
    engine = sa.create_engine(url)
    with engine.connect() as c:
        records = c.execute(sa.text("SELECT count(*) FROM public_records WHERE status = 'published'")).scalar_one()
        public_ids = c.scalars(sa.text("SELECT public_id FROM public_records TABLESAMPLE SYSTEM (5) "
                                       "WHERE status = 'published' LIMIT :n"), {"n": SAMPLE_IDS}).all()
        if len(public_ids) < 100:
            public_ids = c.scalars(sa.text("SELECT public_id FROM public_records WHERE status = 'published' "
                                           "ORDER BY random() LIMIT :n"), {"n": SAMPLE_IDS}).all()
        version = c.execute(sa.text("select version()")).scalar().split(",")[0]
    engine.dispose()
    words, weights = bench_search.vocabulary()
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "INSTANCE_PATH": f"/tmp/{name}", "RATE_LIMIT_SEARCH": "1000000 per minute", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    mix = public_requests(words, weights, public_ids)
    os.makedirs(env["INSTANCE_PATH"], exist_ok=True)

    # as in production: a Redis (the shared search cache, the rate limits' storage) and a worker beside it
    with load.production_jobs(env, env["INSTANCE_PATH"]) as jobs_env, load.gunicorn("app:create_app()", jobs_env) as port:
        check(port, "/api/v1/log?q=" + urllib.parse.quote("低保"))
        load.warm(port, mix)
        public = load.measure("public log", port, mix, SECONDS, OK)
        public_rate = load.measure("public log", port, mix, SECONDS, OK, RATE)
    with load.gunicorn(REFERENCE_APP, env) as port:
        load.warm(port, static_requests)
        static = load.measure("static JSON", port, static_requests, SECONDS, OK)
        static_rate = load.measure("static JSON", port, static_requests, SECONDS, OK, RATE)

    print(load.machine(version))
    print(f"{records:,} published records; mix: 35% /log/?q=…, 35% /api/v1/log?q=…, 15% /log/<id>, "
          f"15% /api/v1/log/<id> ({len(public_ids):,} ids sampled); search rate limit raised for the run")
    for r in (public, public_rate, static, static_rate):
        print(r.line())
    print(load.ratio_line("public log vs static JSON, closed loop", public, static))
    print(load.ratio_line(f"public log vs static JSON, offered {RATE:g}/s", public_rate, static_rate))
    met = public.throughput >= 100 and public_rate.throughput >= 0.97 * RATE and public_rate.p95 <= 150 \
        and not (public.errors or public_rate.errors)
    print(f"target p95 <= 150 ms at >= 100 requests/s: closed loop {public.throughput:.1f}/s; offered {RATE:g}/s: "
          f"{public_rate.throughput:.1f}/s served, p95 {public_rate.p95:.1f} ms — {'met' if met else 'NOT MET'}")
    return 0 if met else 1


def main():
    if os.environ.get("BENCH_QUERY_ONLY"):
        return run(os.environ["BENCH_QUERY_ONLY"])
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_public") as url:
        build(url)
        return run(url)


if __name__ == "__main__":
    sys.exit(main())
