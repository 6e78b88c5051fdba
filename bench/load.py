"""Load-test pieces shared by the gunicorn benchmarks (bench_hotline.py, bench_public.py): gunicorn started
as in production, keep-alive HTTP clients (threads of this process, closed loop or a fixed offered rate),
and the figures of a run (throughput, p50/p95/p99, errors) with the ratio to a reference measured in the
same run.

Settings: BENCH_CLIENTS (50), BENCH_WORKERS (4), BENCH_THREADS (4: gunicorn gthread), BENCH_WARMUP (seconds of
unmeasured load before each measured run, 5)."""
from __future__ import annotations

import http.client
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
# the page unit's settings in production (deploy/gk-web.service: --workers 4 --threads 4); until 2026-12-01 the
# benchmarks ran 8 threads, which on 2 cores queued more requests per process behind one GIL (bench/RESULTS.md)
THREADS = int(os.environ.get("BENCH_THREADS", 4))
WARMUP = float(os.environ.get("BENCH_WARMUP", 5))

# A request: method, path, body (bytes or None), headers, and a key the caller checks afterwards (or None).
Request = tuple[str, str, "bytes | None", dict, "str | None"]
# Makes the i-th request of client n; rng is the client's own (seeded with n).
MakeRequest = Callable[[random.Random, int, int], Request]


def flask(env: dict, *args: str) -> str:
    """Run `flask --app app …` against the environment's database; its standard output."""
    out = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, seconds: float = 30) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


class Redis:
    """A private redis-server on `port` (no persistence), for the benchmarks that run jobs as production does."""

    def __init__(self, port: int, tmp: str) -> None:
        self.port, self.tmp, self.proc = port, tmp, None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", self.tmp], stdout=subprocess.DEVNULL)
        wait_port(self.port)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGKILL)  # a crash: whatever was queued is gone
        self.proc.wait(10)


@contextmanager
def production_jobs(env: dict, tmp: str) -> Iterator[dict]:
    """Jobs as in production: a private Redis and one `flask worker` (RQ, with its cron) on it; yields the
    environment with REDIS_URL, so the web process only enqueues and the worker delivers. Stopped afterwards."""
    redis = Redis(free_port(), tmp)
    redis.start()
    jobs_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"}
    with open(Path(tmp) / "worker.log", "ab") as log:
        worker = subprocess.Popen([str(BIN / "flask"), "--app", "app", "worker"], cwd=ROOT, env=jobs_env,
                                  stdout=log, stderr=log)
        try:
            yield jobs_env
        finally:
            worker.terminate()
            worker.wait(30)
            redis.stop()


def settings() -> str:
    return (f"gunicorn {WORKERS} workers x {THREADS} threads (gthread, keep-alive 30 s); {CLIENTS} clients "
            "(threads of one Python process)")


def machine(version: str) -> str:
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}; "
            f"{settings()}")


@contextmanager
def gunicorn(app: str, env: dict) -> Iterator[int]:
    """gunicorn serving the WSGI app `app` ("module:factory()") with the same settings for every app measured;
    yields its port once it accepts connections, stops it afterwards."""
    port = free_port()
    # --keep-alive 30: at a low offered rate a client waits about 2 s between requests, gunicorn's default idle
    # limit, and would find its connection closed under it (the production nginx keeps its own upstream limit)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "gthread", "--threads", str(THREADS),
                               "--keep-alive", "30", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
                              cwd=ROOT, env=env)
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {server.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn {app} did not listen on {port}")
        yield port
    finally:
        server.terminate()
        server.wait(20)


def client(port: int, make: MakeRequest, n: int, stop: threading.Event, results: list, rate: float = 0.0,
           phase: float = 0.0) -> None:
    """One keep-alive client: requests made by `make` until `stop`; `rate` requests/s (0 = as fast as answered),
    the first one `phase` (0–1) of an interval late so the clients' requests are spread. Each result is
    (latency s, status (0 = connection failed), response bytes, key)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(n)
    interval = 1 / rate if rate else 0.0
    next_at = time.perf_counter() + interval * phase
    i = 0
    while not stop.is_set():
        if interval:
            if stop.wait(max(0.0, next_at - time.perf_counter())):
                break  # the run ended while waiting: no request after its end
            next_at += interval
        method, path, body, headers, key = make(rng, n, i)
        t0 = time.perf_counter()
        size = 0
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            size = len(resp.read())
            status = resp.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append((time.perf_counter() - t0, status, size, key))
        i += 1
    conn.close()


@dataclass
class Run:
    """The figures of one measured run."""
    name: str
    results: list
    elapsed: float
    ok_status: frozenset
    offered: float = 0.0  # requests/s offered by all clients; 0 = closed loop
    ok: list = field(init=False)

    def __post_init__(self) -> None:
        self.ok = [r for r in self.results if r[1] in self.ok_status]

    @property
    def throughput(self) -> float:
        return len(self.ok) / self.elapsed

    @property
    def errors(self) -> int:
        return len(self.results) - len(self.ok)

    def quantile(self, p: int) -> float:
        """The p-th percentile of the successful requests' latency, ms (nan below 100 requests)."""
        lat = sorted(r[0] * 1000 for r in self.ok)
        return statistics.quantiles(lat, n=100)[p - 1] if len(lat) >= 100 else float("nan")

    @property
    def p95(self) -> float:
        return self.quantile(95)

    def line(self) -> str:
        load = "closed loop" if not self.offered else f"offered {self.offered:g}/s"
        wrong = Counter(r[1] for r in self.results if r[1] not in self.ok_status)
        mean_bytes = statistics.mean(r[2] for r in self.ok) if self.ok else 0
        return (f"{self.name} ({load}): {len(self.ok):,} in {self.elapsed:.1f} s = {self.throughput:.1f}/s; "
                f"latency ms p50 {self.quantile(50):.1f}  p95 {self.quantile(95):.1f}  p99 {self.quantile(99):.1f}; "
                f"errors {self.errors}{' ' + dict(wrong).__repr__() if wrong else ''}; "
                f"mean answer {mean_bytes:,.0f} bytes")


def measure(name: str, port: int, make: MakeRequest, seconds: float, ok_status: frozenset, rate: float = 0.0,
            clients: int = CLIENTS) -> Run:
    """`clients` clients making requests for `seconds` (rate: requests/s of all together, 0 = closed loop)."""
    results: list = []
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(port, make, n, stop, results, rate / clients, n / clients))
               for n in range(clients)]
    return Run(name, results, run_for(threads, stop, seconds), ok_status, rate)


def run_for(threads: list[threading.Thread], stop: threading.Event, seconds: float) -> float:
    """Start the client threads, set `stop` after `seconds`, wait for them to finish: the elapsed seconds."""
    started = time.perf_counter()
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join()
    return time.perf_counter() - started


def warm(port: int, make: MakeRequest, seconds: float = WARMUP) -> None:
    """Unmeasured closed-loop load from every client (each gunicorn worker loads what it loads lazily)."""
    if seconds > 0:
        measure("warm-up", port, make, seconds, frozenset())


def ratio_line(what: str, run: Run, reference: Run) -> str:
    return (f"{what}: throughput {run.throughput:.1f}/s vs {reference.throughput:.1f}/s = "
            f"{run.throughput / reference.throughput:.0%} of the reference; "
            f"p95 {run.p95:.1f} ms vs {reference.p95:.1f} ms = {run.p95 / reference.p95:.1f}x")
