"""Intake under load: 50 concurrent clients post tickets to gunicorn on PostgreSQL for 60 s.
Reports throughput and p50/p95/p99 latency and checks every ticket posted is stored exactly once.
Target (issue 5): p95 < 150 ms at >= 100 tickets/s on this 2-core machine.

Run: `.venv/bin/python bench/bench_hotline.py` (BENCH_SECONDS, BENCH_CLIENTS, BENCH_WORKERS, BENCH_THREADS,
BENCH_DATABASE_URL; a throw-away database is created and dropped)."""
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
THREADS = int(os.environ.get("BENCH_THREADS", 8))
# Offered load of all clients together (tickets/s); 0 = closed loop (each client posts as fast as it can).
RATE = float(os.environ.get("BENCH_RATE", 120))


def flask(env, *args):
    out = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def client(port, token, n, stop, results, rate=0.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    interval = 1 / rate if rate else 0
    next_at = time.perf_counter() + (interval * (hash(str(n)) % 1000) / 1000 if interval else 0)
    while not stop.is_set():
        if interval:
            pause = next_at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            next_at += interval
        body = json.dumps({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                           "content": f"bench {n}-{i} 夜间施工噪声", "address": f"亭湖区某路 {i % 50} 号"})
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/tickets", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append((time.perf_counter() - t0, status, f"bench {n}-{i} 夜间施工噪声"))
        i += 1


def main():
    sys.path.insert(0, str(ROOT))
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_hotline") as url:
        return run(url)


def run(url):
    name = url.rsplit("/", 1)[1]
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "INSTANCE_PATH": f"/tmp/{name}"}
    env.pop("REDIS_URL", None)
    server = None
    try:
        flask(env, "db", "upgrade")
        flask(env, "seed")
        flask(env, "users", "create", "--email", "bench@x.cn", "--password", "Bench1234", "--role", "operator")
        token = flask(env, "tokens", "create", "--email", "bench@x.cn").splitlines()[0]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "gthread", "--threads", str(THREADS),
                                   "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"],
                                  cwd=ROOT, env=env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        warm = []
        warm_stop = threading.Event()
        t = threading.Thread(target=client, args=(port, token, "warm", warm_stop, warm))
        t.start()
        time.sleep(2)
        warm_stop.set()
        t.join()

        results, stop = [], threading.Event()
        threads = [threading.Thread(target=client, args=(port, token, n, stop, results, RATE / CLIENTS))
                   for n in range(CLIENTS)]
        started = time.perf_counter()
        for th in threads:
            th.start()
        time.sleep(SECONDS)
        stop.set()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - started

        engine = create_engine(url)
        with engine.connect() as c:
            stored = dict(c.execute(text("SELECT content, count(*) FROM tickets WHERE content LIKE 'bench %' "
                                         "AND content NOT LIKE 'bench warm-%' GROUP BY content")).all())
            version = c.execute(text("select version()")).scalar().split(",")[0]
        engine.dispose()
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)

    ok = [r for r in results if r[1] == 201]
    lat = sorted(r[0] * 1000 for r in ok)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 100 else [float("nan")] * 99
    errors = len(results) - len(ok)
    duplicates = sum(1 for n in stored.values() if n > 1)
    missing = sum(1 for r in ok if r[2] not in stored)
    extra = sum(1 for content in stored if content not in {r[2] for r in ok})
    rate = len(ok) / elapsed
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}; "
          f"gunicorn {WORKERS} workers x {THREADS} threads; {CLIENTS} clients (threads in one Python process), "
          f"offered load {'closed loop' if not RATE else f'{RATE:g} tickets/s'}")
    print(f"{len(ok):,} tickets in {elapsed:.1f} s = {rate:.1f} tickets/s; errors {errors}")
    print(f"latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {lat[-1]:.1f}")
    print(f"stored exactly once: {len(ok) - missing:,} of {len(ok):,}; duplicates {duplicates}; "
          f"stored but not acknowledged {extra}")
    met = rate >= 100 and q[94] < 150 and not (errors or duplicates or missing)
    print(f"target p95 < 150 ms at >= 100 tickets/s, nothing lost or doubled: {'met' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
