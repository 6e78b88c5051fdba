"""What routing reads to a replica costs (issue 19, item 7): public log pages served by the app with
`DATABASE_REPLICA_URL` set (reads on a streaming replica, core/replica.py), against the same-run reference of
the same app and data without it (every read on the primary); then with the replica stopped (reads fall
back to the primary, the replica tried again every REPLICA_RETRY_SECONDS). The pair is private
(tests/pg_pair.py: initdb, pg_basebackup -R, on free ports) and removed afterwards.

Run: `.venv/bin/python -u bench/bench_replica.py` (BENCH_RECORDS published records, 100; BENCH_REQUESTS per
page and set-up, 300). In-process (Flask test client, one thread): the per-request figures are the
application's work, without a web server's."""
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import replica  # noqa: E402
from core.extensions import db  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.pg_pair import start_pair  # noqa: E402
from tests.public_log.helpers import publish  # noqa: E402

RECORDS = int(os.environ.get("BENCH_RECORDS", 100))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def timed(apps, urls):
    """{name: {url: (median, p95) milliseconds}} over REQUESTS rounds, the apps interleaved request by request
    (so a busy moment of the shared machine falls on all of them), after a warm-up round. No app context is
    held between requests: each request has its own, and its own session, as in production."""
    clients = {name: app.test_client() for name, app in apps.items()}
    samples = {name: {url: [] for url in urls} for name in apps}
    for name, client in clients.items():
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
    for _ in range(REQUESTS):
        for url in urls:
            for name, client in clients.items():
                started = time.perf_counter()
                status = client.get(url).status_code
                samples[name][url].append((time.perf_counter() - started) * 1000)
                assert status == 200, (name, url, status)
    out = {}
    for name, per_url in samples.items():
        out[name] = {}
        for url, values in per_url.items():
            values.sort()
            out[name][url] = (statistics.median(values), values[int(len(values) * 0.95) - 1])
    return out


def report(label, figures, urls):
    ref, other = figures["reference"], figures[label]
    print(f"{'page':<28} {'reference (primary only)':>26} {label:>20} {'ratio':>6}")
    for url in urls:
        (rm, rp), (om, op) = ref[url], other[url]
        print(f"{url[:28]:<28} {rm:>9.2f} ms (p95 {rp:6.2f}) {om:>9.2f} ms (p95 {op:6.2f}) {om / rm:>6.2f}")
    total_ref, total = sum(m for m, _ in ref.values()), sum(m for m, _ in other.values())
    print(f"RESULT {label}: medians of the {len(urls)} pages summed: {total:.2f} ms against the reference's "
          f"{total_ref:.2f} ms in the same run, ratio {total / total_ref:.2f}")


def main():
    from core.calendar.service import seed_from_package
    from core.departments.service import seed_departments
    from hotline.seed import seed_categories

    started = time.perf_counter()
    pair = start_pair()
    print(f"pair started in {time.perf_counter() - started:.1f} s: primary :{pair.primary_port}, "
          f"replica :{pair.replica_port}")
    try:
        with_replica = make_app(pair.primary_url, DATABASE_REPLICA_URL=pair.replica_url, REPLICA_RETRY_SECONDS=30)
        reference = make_app(pair.primary_url)
        with reference.app_context():
            db.create_all()
            seed_departments(NOW)
            seed_from_package(NOW)
            seed_categories()
            records = [publish(f"第{i}号城乡低保申请条件的答复", "想了解低保申请条件", "向户籍所在地街道提出申请").public_id
                       for i in range(RECORDS)]
            db.session.remove()
        pair.catch_up()
        urls = ["/log/", f"/log/{records[RECORDS // 2]}", "/api/v1/log?q=低保"]
        version = pair.sql(pair.primary_port, "SELECT version()")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{version.split(',')[0]}; {RECORDS} published records; {REQUESTS} requests per page, one thread")
        apps = {"reference": reference, "replica": with_replica}
        report("replica", timed(apps, urls), urls)
        pair.stop("replica")
        apps = {"reference": reference, "replica down": with_replica}
        figures = timed(apps, urls)
        assert replica.replica(with_replica).down, "the replica should have been marked down"
        report("replica down", figures, urls)
        for app in (with_replica, reference):
            with app.app_context():
                db.engine.dispose()
        replica.dispose(with_replica)
    finally:
        pair.remove()


if __name__ == "__main__":
    main()
