"""Faults under load (issue 8): BENCH_SECONDS (60) of 30 concurrent clients submitting 12345 tickets and
disclosure applications through the API to gunicorn on PostgreSQL, with an RQ worker on Redis. During
the run PostgreSQL is restarted once, Redis is stopped and started once (a private redis-server without
persistence: its queued jobs are lost, as in a real crash), and the worker is killed once (SIGKILL).
A supervisor restarts the worker whenever it dies, as systemd's Restart=always does.

Afterwards the outbox is flushed until nothing is due, then the run checks: every submission
acknowledged with 201 is in the database exactly once; every notification that came due was delivered
exactly once (the file sink stands for the SMS gateway, keyed by notification id); the service
answers again without a restart. It prints the counts.

Retrying clients (issue 21): BENCH_RETRY_CLIENTS more clients (default as many as BENCH_CLIENTS) send every
submission with an Idempotency-Key and, after any error or timeout (a failed connection, a 5xx, a 409 "still in
progress"), send it again with the same key until it is acknowledged (for at most BENCH_RETRY_SECONDS, 120). Their
line: "acknowledged N, stored once N, duplicates 0, lost 0, answered 500: 0" — every submission they made is
stored exactly once and none was ever answered 500 (the database down is a 503 with Retry-After).

Run: `.venv/bin/python -u bench/bench_faults.py` (BENCH_SECONDS, BENCH_CLIENTS, BENCH_RETRY_CLIENTS, BENCH_RATE;
it restarts the machine's PostgreSQL cluster — run it alone, never beside the test suite). With BENCH_PRIVATE_PG=1
it makes and restarts a private PostgreSQL (tests/pg_pair.py) instead, leaving the machine's cluster alone."""
import collections
import http.client
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.load import Redis, free_port, wait_port  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 30))
RETRY_CLIENTS = int(os.environ.get("BENCH_RETRY_CLIENTS", CLIENTS))
RETRY_SECONDS = float(os.environ.get("BENCH_RETRY_SECONDS", 120))  # a retrying client gives up on one submission
RATE = float(os.environ.get("BENCH_RATE", 40))  # submissions per second offered by all clients together
TICKET = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "张三",
          "address": "亭湖区某路 1 号"}
APPLICATION = {"applicant_type": "person", "name": "李四", "id_type": "resident_id", "id_number": "11010519491231002X",
               "phone": "13900002222", "description": "请公开相关信息。", "form": "electronic", "delivery": "online",
               "department": "mzj"}


def flask(env, *args):
    out = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {out.stderr[-2000:]}")
    return out.stdout.strip()


class Worker:
    """`flask worker`, restarted whenever it dies (like systemd's Restart=always)."""

    def __init__(self, env, log):
        self.env, self.log, self.proc, self.restarts, self.stopping = env, log, None, 0, False
        self.lock = threading.Lock()
        threading.Thread(target=self._supervise, daemon=True).start()

    def start(self):
        with self.lock:
            self.proc = subprocess.Popen([str(BIN / "flask"), "--app", "app", "worker"], cwd=ROOT, env=self.env,
                                         stdout=self.log, stderr=self.log)

    def kill(self):
        with self.lock:
            self.proc.send_signal(signal.SIGKILL)

    def _supervise(self):
        while not self.stopping:
            time.sleep(1)
            with self.lock:
                dead = self.proc is not None and self.proc.poll() is not None
            if dead and not self.stopping:
                self.restarts += 1
                self.start()

    def stop(self):
        self.stopping = True
        with self.lock:
            self.proc.terminate()
        self.proc.wait(30)


def client(port, headers, n, stop, results, interval, retry=False):
    """One client. `retry`: every POST carries an Idempotency-Key and is sent again after any error (results then
    hold every status seen, so a 500 on any try shows)."""
    conn, i = http.client.HTTPConnection("127.0.0.1", port, timeout=30), 0
    send = _post_retrying if retry else _post
    name = f"r{n}" if retry else str(n)  # the retrying clients' markers: "faults r<n>-<i>"
    next_at = time.perf_counter() + interval * (n % 10) / 10
    while not stop.is_set():
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        next_at += interval
        marker = f"faults {name}-{i}"
        if i % 2 == 0:
            path, body, kind = "/api/v1/tickets", {**TICKET, "content": marker}, "ticket"
        else:
            path, body, kind = "/api/v1/disclosure-requests", {**APPLICATION, "title": marker,
                                                               "received_on": time.strftime("%Y-%m-%d")}, "application"
        status, answer, conn, seen = send(conn, port, path, body, headers[kind])
        results.append((kind, marker, status, seen))
        if kind == "application" and status == 201:
            # the department answers at once: the applicant gets an SMS (a notification that must arrive once)
            status, _, conn, seen = send(conn, port, f"/api/v1/disclosure-requests/{answer['id']}/reply",
                                         {"outcome": "disclosed", "text": "答复如下。", "disclosure_basis": "provided",
                                          "disclosure_access": "随本答复书附送，于答复之日送达"}, headers[kind])
            results.append(("reply", marker, status, seen))
        i += 1


def _post(conn, port, path, body, headers):
    """One POST: (status, JSON answer, connection, [status]); status 0 when the connection failed or timed out."""
    try:
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        retry_after = resp.getheader("Retry-After")
        conn.retry_after = float(retry_after) if retry_after and retry_after.isdigit() else None
        return resp.status, (json.loads(data) if resp.status < 300 else None), conn, [resp.status]
    except (OSError, http.client.HTTPException, ValueError):
        conn.close()
        return 0, None, http.client.HTTPConnection("127.0.0.1", port, timeout=30), [0]


def _post_retrying(conn, port, path, body, headers):
    """The POST with a fresh Idempotency-Key, sent again with the same key after a failed connection, a timeout,
    a 5xx or a 409 "still in progress" (after Retry-After, else a growing pause) until it is answered otherwise."""
    headers, seen = {**headers, "Idempotency-Key": uuid.uuid4().hex}, []
    give_up, pause = time.perf_counter() + RETRY_SECONDS, 0.2
    while True:
        status, answer, conn, _ = _post(conn, port, path, body, headers)
        seen.append(status)
        if status not in (0, 409) and status < 500 or time.perf_counter() > give_up:
            return status, answer, conn, seen
        time.sleep(getattr(conn, "retry_after", None) or pause)
        pause = min(pause * 2, 3.0)


def postgres():
    """(a function that restarts the PostgreSQL the run uses, a function that cleans up): the machine's cluster, or
    with BENCH_PRIVATE_PG=1 a private one (tests/pg_pair.py) whose commits are durable, as the machine's are."""
    if not os.environ.get("BENCH_PRIVATE_PG"):
        cluster = os.listdir("/etc/postgresql")[0]
        return (lambda: subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
                                       check=True)), (lambda: None)
    from tests.pg_pair import start_primary
    pair = start_primary()

    def restart():
        pair.run("pg_ctl", "-D", str(pair.root / "primary"), "-l", str(pair.root / "primary.log"), "-m", "fast", "-w",
                 "restart")
    try:
        with open(pair.root / "primary" / "postgresql.conf", "a") as conf:  # later lines win over pg_pair's settings
            conf.write("synchronous_commit = on\nmax_connections = 300\n")
        restart()
    except BaseException:
        pair.remove()
        raise
    os.environ["BENCH_DATABASE_URL"] = pair.primary_url  # bench/throwaway.py makes its database there
    return restart, pair.remove


def main():
    restart_postgres, remove_postgres = postgres()
    try:
        return run(restart_postgres)
    finally:
        remove_postgres()


def run(restart_postgres):
    from bench.throwaway import throwaway_database
    with tempfile.TemporaryDirectory() as tmp, throwaway_database("gk_faults") as url:
        redis = Redis(free_port(), tmp)
        redis.start()
        sink = Path(tmp) / "sink.jsonl"
        env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": uuid.uuid4().hex,
               "INSTANCE_PATH": tmp, "UPLOAD_DIR": f"{tmp}/uploads", "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
               "NOTIFY_SMS_ADAPTER": "file", "NOTIFY_EMAIL_ADAPTER": "file", "NOTIFY_FILE_SINK": str(sink),
               "NOTIFY_SENDING_TIMEOUT": "15", "LOG_LEVEL": "WARNING", "LOG_FORMAT": "text"}
        flask(env, "db", "upgrade")
        flask(env, "seed")
        flask(env, "users", "create", "--email", "op@faults.cn", "--password", "Faults123", "--role", "operator")
        flask(env, "users", "create", "--email", "mzj@faults.cn", "--password", "Faults123", "--role", "approver",
              "--department", "mzj")  # an approver replies without a sign-off step
        tokens = {kind: flask(env, "tokens", "create", "--email", email).splitlines()[0]
                  for kind, email in (("ticket", "op@faults.cn"), ("application", "mzj@faults.cn"))}
        headers = {k: {"Authorization": f"Bearer {t}", "Content-Type": "application/json"} for k, t in tokens.items()}
        port = free_port()
        log = open(Path(tmp) / "processes.log", "ab")
        server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "4", "-k", "gthread", "--threads", "8", "-b",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"],
                                  cwd=ROOT, env=env, stdout=log, stderr=log)
        worker = Worker(env, log)
        worker.start()
        wait_port(port)
        events = []

        def faults():
            t0 = time.perf_counter()

            def at(fraction):
                time.sleep(max(0.0, t0 + SECONDS * fraction - time.perf_counter()))
            at(0.25)
            began = time.perf_counter()
            restart_postgres()
            events.append(f"PostgreSQL restarted at {began - t0:.1f} s (took {time.perf_counter() - began:.1f} s)")
            at(0.5)
            began = time.perf_counter()
            redis.stop()
            time.sleep(3)
            redis.start()
            events.append(f"Redis killed at {began - t0:.1f} s, back after {time.perf_counter() - began:.1f} s")
            at(0.75)
            worker.kill()
            events.append(f"worker killed (SIGKILL) at {time.perf_counter() - t0:.1f} s")

        results, stop = [], threading.Event()
        total = CLIENTS + RETRY_CLIENTS
        threads = [threading.Thread(target=client, args=(port, headers, n, stop, results, total / RATE, n >= CLIENTS))
                   for n in range(total)]
        fault_thread = threading.Thread(target=faults)
        started = time.perf_counter()
        for th in threads + [fault_thread]:
            th.start()
        time.sleep(SECONDS)
        stop.set()
        for th in threads + [fault_thread]:
            th.join()
        elapsed = time.perf_counter() - started

        # the service answers again without a restart
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        probe.request("GET", "/healthz")
        health = probe.getresponse()
        health_body = json.loads(health.read())

        # settle: flush the outbox until nothing is due or being sent (stale claims are reclaimed)
        engine = create_engine(url)
        settle_started, flushes = time.perf_counter(), 0
        while time.perf_counter() - settle_started < 180:
            flask(env, "jobs", "flush")
            flushes += 1
            time.sleep(5)
            with engine.connect() as c:
                open_count = c.execute(text("SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending')"
                                            )).scalar_one()
            if open_count == 0:
                break
        settle = time.perf_counter() - settle_started
        worker.stop()
        server.terminate()
        server.wait(30)
        redis.stop()

        with engine.connect() as c:
            tickets = collections.Counter(dict(c.execute(text(
                "SELECT content, count(*) FROM tickets WHERE content LIKE 'faults %' GROUP BY content")).all()))
            applications = collections.Counter(dict(c.execute(text(
                "SELECT title, count(*) FROM disclosure_requests WHERE title LIKE 'faults %' GROUP BY title")).all()))
            notifications = dict(c.execute(text("SELECT id, status FROM notifications WHERE channel <> 'inapp'")).all())
            replies = collections.Counter(dict(c.execute(text(
                "SELECT r.title, count(n.id) FROM disclosure_requests r JOIN notifications n ON n.entity_kind = "
                "'disclosure_request' AND n.entity_id = CAST(r.id AS VARCHAR) AND n.event = 'reply' "
                "WHERE r.title LIKE 'faults %' AND r.status = 'closed' GROUP BY r.title")).all()))
            version = c.execute(text("SELECT version()")).scalar_one().split(",")[0]
        engine.dispose()
        delivered = collections.Counter(json.loads(line)["id"] for line in sink.read_text().splitlines()) \
            if sink.exists() else collections.Counter()

    stored = {"ticket": tickets, "application": applications, "reply": replies}
    retried = [r for r in results if r[1].startswith("faults r")]  # the retrying clients' submissions
    results = [r for r in results if not r[1].startswith("faults r")]
    acked = [r for r in results if r[2] in (200, 201)]
    lost = [r for r in acked if stored[r[0]][r[1]] == 0]
    twice = [m for counter in stored.values() for m, n in counter.items() if n > 1]
    unacked_stored = sum(1 for r in results if r[2] not in (200, 201) and stored[r[0]][r[1]] == 1)
    by_status = collections.Counter(r[2] for r in results)
    sent = {i for i, s in notifications.items() if s == "sent"}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}; "
          f"gunicorn 4 workers x 8 threads; {CLIENTS} clients offering {RATE:g} submissions/s for {elapsed:.0f} s")
    for e in events:
        print("fault:", e)
    print(f"worker restarts by the supervisor: {worker.restarts}; /healthz after the run: {health.status} "
          f"{health_body['status']}; outbox settled in {settle:.0f} s ({flushes} flushes)")
    print(f"submissions: {len(results):,} sent; answers {dict(sorted(by_status.items()))} (0 = connection failed)")
    print(f"acknowledged (201 created, 200 answered): {len(acked):,}; in the database exactly once: {len(acked) - len(lost):,}; "
          f"lost: {len(lost)}; stored twice: {len(twice)}; not acknowledged but stored: {unacked_stored}")
    print(f"answers acknowledged (200): {sum(1 for r in results if r[0] == 'reply' and r[2] == 200):,}; "
          f"each with exactly one reply notification: "
          f"{sum(1 for r in results if r[0] == 'reply' and r[2] == 200 and replies[r[1]] == 1):,}")
    print(f"email/SMS notifications: {len(notifications):,} created, {len(sent):,} sent, "
          f"{sum(1 for s in notifications.values() if s == 'failed')} failed, "
          f"{sum(1 for s in notifications.values() if s in ('pending', 'sending'))} still open; delivered exactly once: "
          f"{sum(1 for i in sent if delivered[i] == 1):,}; never delivered: {sum(1 for i in notifications if not delivered[i])}; "
          f"delivered twice or more: {sum(1 for n in delivered.values() if n > 1)}")
    r_acked = [r for r in retried if r[2] in (200, 201)]
    r_once = sum(1 for r in r_acked if stored[r[0]][r[1]] == 1)
    r_twice = sum(1 for r in retried if stored[r[0]][r[1]] > 1)
    r_lost = sum(1 for r in r_acked if stored[r[0]][r[1]] == 0)
    r_500 = sum(seen.count(500) for *_, seen in retried)
    r_tries = collections.Counter(len(seen) for *_, seen in retried)
    seen_all = collections.Counter(x for *_, seen in retried for x in seen)
    print(f"retrying clients ({RETRY_CLIENTS}, Idempotency-Key): {len(retried):,} submissions, tries per submission "
          f"{dict(sorted(r_tries.items()))}, answers seen {dict(sorted(seen_all.items()))}, "
          f"gave up: {len(retried) - len(r_acked)}")
    print(f"retrying clients: acknowledged {len(r_acked):,}, stored once {r_once:,}, duplicates {r_twice}, "
          f"lost {r_lost}, answered 500: {r_500}")
    retried_ok = r_once == len(r_acked) == len(retried) and not r_twice and not r_500
    ok = not lost and not twice and retried_ok and all(delivered[i] == 1 for i in notifications) and len(delivered) == len(
        notifications) and health.status == 200
    print("RESULT:", "every acknowledged submission stored once, every notification delivered once, every retried "
          "submission acknowledged and stored once, no 500" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
