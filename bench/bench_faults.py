"""Faults under load (issue 8): BENCH_SECONDS (60) of 30 concurrent clients submitting 12345 tickets and
disclosure applications through the API to gunicorn on PostgreSQL, with an RQ worker on Redis. During
the run PostgreSQL is restarted once, Redis is stopped and started once (a private redis-server without
persistence: its queued jobs are lost, as in a real crash), and the worker is killed once (SIGKILL).
A supervisor restarts the worker whenever it dies, as systemd's Restart=always does.

Afterwards the outbox is flushed until nothing is due, then the run checks: every submission
acknowledged with 201 is in the database exactly once; every notification that came due was delivered
exactly once (the file sink stands for the SMS gateway, keyed by notification id); the service
answers again without a restart. It prints the counts.

Run: `.venv/bin/python -u bench/bench_faults.py` (BENCH_SECONDS, BENCH_CLIENTS, BENCH_RATE; it restarts
the machine's PostgreSQL cluster — run it alone, never beside the test suite)."""
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


def client(port, headers, n, stop, results, interval):
    conn, i = http.client.HTTPConnection("127.0.0.1", port, timeout=30), 0
    next_at = time.perf_counter() + interval * (n % 10) / 10
    while not stop.is_set():
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        next_at += interval
        marker = f"faults {n}-{i}"
        if i % 2 == 0:
            path, body, kind = "/api/v1/tickets", {**TICKET, "content": marker}, "ticket"
        else:
            path, body, kind = "/api/v1/disclosure-requests", {**APPLICATION, "title": marker,
                                                               "received_on": time.strftime("%Y-%m-%d")}, "application"
        status, answer, conn = _post(conn, port, path, body, headers[kind])
        results.append((kind, marker, status))
        if kind == "application" and status == 201:
            # the department answers at once: the applicant gets an SMS (a notification that must arrive once)
            status, _, conn = _post(conn, port, f"/api/v1/disclosure-requests/{answer['id']}/reply",
                                    {"outcome": "disclosed", "text": "答复如下。", "disclosure_basis": "provided",
                                     "disclosure_access": "随本答复书附送，于答复之日送达"}, headers[kind])
            results.append(("reply", marker, status))
        i += 1


def _post(conn, port, path, body, headers):
    try:
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if resp.status < 300 else None), conn
    except (OSError, http.client.HTTPException, ValueError):
        conn.close()
        return 0, None, http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def main():
    from bench.throwaway import throwaway_database
    cluster = os.listdir("/etc/postgresql")[0]
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
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
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
        threads = [threading.Thread(target=client, args=(port, headers, n, stop, results, CLIENTS / RATE))
                   for n in range(CLIENTS)]
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
    ok = not lost and not twice and all(delivered[i] == 1 for i in notifications) and len(delivered) == len(
        notifications) and health.status == 200
    print("RESULT:", "every acknowledged submission stored once, every notification delivered once" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
