"""Real RQ workers on a real Redis: exactly-once delivery, rollbacks, a killed worker, Redis outages, cron."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis

from core.db import unit_of_work
from core.extensions import db
from core.notifications import service
from core.notifications.delivery import deliver, flush_outbox
from core.notifications.models import Notification
from tests.conftest import at, make_user, service_unavailable
from tests.waiting import PATIENCE, wait_until

ROOT = Path(__file__).resolve().parents[2]
NOW = at(2026, 11, 20, 10)


@pytest.fixture
def rq_app(app, backend, redis_url, tmp_path, monkeypatch):
    """The test app enqueueing onto Redis, and the environment a worker process needs."""
    sink = tmp_path / "sink.jsonl"
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "NOTIFY_SMS_ADAPTER", "file")
    monkeypatch.setitem(app.config, "NOTIFY_FILE_SINK", str(sink))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_ENV")}
    env.update(APP_ENV="development", DATABASE_URL=backend[1], REDIS_URL=redis_url, INSTANCE_PATH=str(tmp_path),
               NOTIFY_SMS_ADAPTER="file", NOTIFY_EMAIL_ADAPTER="file", NOTIFY_FILE_SINK=str(sink))
    return env, sink


def run_worker(env, *extra, timeout=PATIENCE):
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", *extra],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out


def deliveries(sink):
    return [json.loads(row)["id"] for row in sink.read_text().splitlines()] if sink.exists() else []


def sms(user, label="x"):
    with unit_of_work():
        return service.notify("test_message", now=NOW, user=user, channels=("sms",), context={"label": label})[0]


def fresh(notification_id):
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def test_committed_notification_is_delivered_exactly_once(seeded, rq_app, redis_url):
    env, sink = rq_app
    n = sms(make_user("citizen", "13800001111"))
    assert fresh(n.id).status == "pending"  # the web process only enqueued
    from rq import Queue
    q = Queue("notifications", connection=Redis.from_url(redis_url))
    assert q.count == 1
    q.enqueue(deliver, n.id, NOW)  # the same delivery job twice
    run_worker(env)
    run_worker(env)
    assert deliveries(sink) == [n.id]
    assert fresh(n.id).status == "sent" and fresh(n.id).attempts == 1


def test_the_outbox_rows_of_one_commit_are_one_job_and_each_is_delivered_once(seeded, rq_app, redis_url):
    """notify() no longer flushes for an id: the email/SMS rows of one unit of work are delivered by one job after
    its commit, with the rows' ids in the order they were made; a worker delivers each once."""
    env, sink = rq_app
    users = [make_user("citizen", f"1380000111{i}") for i in range(3)]
    with unit_of_work():
        rows = [service.notify("test_message", now=NOW, user=u, channels=("sms",), context={"label": str(i)})[0]
                for i, u in enumerate(users)]
    from rq import Queue
    q = Queue("notifications", connection=Redis.from_url(redis_url))
    assert [job.args[0] for job in q.get_jobs()] == [[r.id for r in rows]] and None not in [r.id for r in rows]
    run_worker(env)
    assert sorted(deliveries(sink)) == sorted(r.id for r in rows)
    assert {fresh(r.id).status for r in rows} == {"sent"}


def test_the_jobs_of_one_commit_reach_their_queues_together_and_none_of_a_rollback(seeded, rq_app, redis_url):
    """core/jobs enqueue: the jobs of one unit of work are handed to Redis after its commit in one pipeline, each on
    its queue in the order made; a rolled-back unit of work hands over none."""
    from rq import Queue

    from core.jobs import enqueue
    from tests.jobs.worker_jobs import status_of
    redis = Redis.from_url(redis_url)
    with unit_of_work():
        enqueue(status_of, 1, queue="default")
        enqueue(status_of, 2, queue="reports")
        enqueue(status_of, 3, queue="default")
        assert Queue("default", connection=redis).count == 0  # nothing before the commit
    assert [j.args for j in Queue("default", connection=redis).get_jobs()] == [(1,), (3,)]
    assert [j.args for j in Queue("reports", connection=redis).get_jobs()] == [(2,)]
    with pytest.raises(RuntimeError):
        with unit_of_work():
            enqueue(status_of, 4, queue="default")
            raise RuntimeError("refused later in the same use case")
    with unit_of_work():
        pass  # the next unit of work does not carry the rolled-back one's job
    assert [j.args for j in Queue("default", connection=redis).get_jobs()] == [(1,), (3,)]


def test_rolled_back_notification_is_never_delivered(seeded, rq_app, redis_url):
    env, sink = rq_app
    user = make_user("citizen", "13800001111")
    with pytest.raises(RuntimeError):
        with unit_of_work():
            service.notify("test_message", now=NOW, user=user, channels=("sms",), context={"label": "x"})
            raise RuntimeError("validation failed later in the same use case")
    from rq import Queue
    assert Queue("notifications", connection=Redis.from_url(redis_url)).count == 0
    run_worker(env)
    assert Notification.query.count() == 0 and deliveries(sink) == []


def test_worker_killed_mid_delivery_still_delivers_exactly_once(seeded, app, rq_app):
    env, sink = rq_app
    slow = dict(env, NOTIFY_FILE_SINK_DELAY=str(int(PATIENCE)))  # still sending when it is killed
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--no-cron"], cwd=ROOT,
                              env=slow, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        n = sms(make_user("citizen", "13800001111"))
        wait_until(lambda: fresh(n.id).status == "sending", "the worker to claim the notification", interval=0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse, mid-send
        worker.wait(10)
    db.session.remove()
    assert deliveries(sink) == [] and fresh(n.id).status == "sending"
    # Before the claim times out nothing is re-sent; after it, the flush puts it back.
    assert flush_outbox(NOW + timedelta(seconds=60))["reclaimed"] == 0
    timeout = app.config["NOTIFY_SENDING_TIMEOUT"]
    assert flush_outbox(NOW + timedelta(seconds=timeout + 1)) == {"reclaimed": 1, "dispatched": 1}
    run_worker(env)
    run_worker(env)
    assert deliveries(sink) == [n.id] and fresh(n.id).status == "sent"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A private redis-server this test may stop and start without disturbing anyone else."""
    binary = shutil.which("redis-server")
    if not binary:
        service_unavailable("redis-server binary not found; Redis outage test skipped")
    port = _free_port()

    def start():
        subprocess.run([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                        "--daemonize", "yes", "--dir", str(tmp_path), "--pidfile", str(tmp_path / "r.pid")],
                       check=True)
        wait_until(lambda: Redis(port=port, socket_connect_timeout=1).ping(), "the private redis-server to start",
                   ignore=(Exception,))

    def stop():
        try:
            Redis(port=port).shutdown(nosave=True)
        except Exception:  # noqa: BLE001 - shutdown closes the connection on success
            pass
        def down():
            try:
                Redis(port=port, socket_connect_timeout=0.2).ping()
            except Exception:  # noqa: BLE001 - refused: it is down
                return True
            return False
        wait_until(down, "the private redis-server to stop")

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    stop()


def test_with_redis_down_submissions_succeed_and_flush_delivers_when_it_is_back(seeded, app, rq_app, own_redis,
                                                                              monkeypatch):
    env, sink = rq_app
    url, start, stop = own_redis
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    env = dict(env, REDIS_URL=url)
    user = make_user("citizen", "13800001111")
    stop()
    ids = [sms(user, f"outage {i}").id for i in range(3)]  # commits succeed; enqueueing fails quietly
    assert [fresh(i).status for i in ids] == ["pending"] * 3
    flush_outbox(NOW)  # Redis still down: nothing lost, nothing raised
    start()
    assert flush_outbox(NOW + timedelta(seconds=1))["dispatched"] == 3
    run_worker(env)
    assert sorted(deliveries(sink)) == sorted(ids)
    assert [fresh(i).status for i in ids] == ["sent"] * 3


def test_cron_schedules_the_periodic_jobs_and_a_worker_runs_them(seeded, rq_app, redis_url):
    env, _ = rq_app
    from rq.cron import CronScheduler

    from core.clocks.models import SweepRun
    from core.jobs.periodic import register_cron

    cron = CronScheduler(connection=Redis.from_url(redis_url))
    register_cron(cron)
    assert {j.func.__name__ for j in cron.get_jobs()} == {"deadline_sweep", "outbox_flush", "calendar_check"}
    enqueued = cron.enqueue_jobs()  # interval jobs are due at once; the nightly one waits for 01:30
    assert {j.func.__name__ for j in enqueued} >= {"deadline_sweep", "outbox_flush"}
    run_worker(env)
    db.session.remove()
    assert {r.kind for r in SweepRun.query} >= {"deadline_sweep", "outbox_flush"}


def test_admin_jobs_page_shows_queues_and_retries_or_deletes_failed_jobs(client, as_role, rq_app, redis_url):
    env, _ = rq_app
    from rq import Queue

    from core.jobs.periodic import calendar_check
    from tests.conftest import csrf_from

    q = Queue("default", connection=Redis.from_url(redis_url))
    bad = [q.enqueue(calendar_check, "not a time") for _ in range(2)]  # fails in the worker
    run_worker(env)
    assert q.failed_job_registry.count == 2
    as_role("supervisor")
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "calendar_check" in page and bad[0].id in page
    token = csrf_from(page)
    assert client.post(f"/admin/jobs/failed/default/{bad[0].id}/requeue", data={"csrf_token": token}).status_code == 302
    assert q.count == 1 and q.failed_job_registry.count == 1
    assert client.post(f"/admin/jobs/failed/default/{bad[1].id}/delete", data={"csrf_token": token}).status_code == 302
    assert q.failed_job_registry.count == 0
    assert client.post("/admin/jobs/failed/default/nope/delete", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("fork", [False, True])
def test_jobs_run_in_the_worker_process_unless_forked(seeded, rq_app, redis_url, fork):
    """`flask worker` runs each job in its own process (RQ's SimpleWorker: a fork per job cost more than our
    short jobs, bench_hotline.py); `--fork` runs it in a forked work horse."""
    from rq import Queue
    env, _ = rq_app
    q = Queue("default", connection=Redis.from_url(redis_url))
    job = q.enqueue(os.getppid)  # the job's parent process: the worker's own parent, or the forking worker
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--no-cron",
                               *(["--fork"] if fork else [])], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    _, err = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, err[-3000:]
    job.refresh()
    assert job.is_finished, err[-3000:]
    parent = job.return_value()
    assert (parent == worker.pid) is fork  # forked: the worker is the horse's parent; else the job's own process
    assert (parent == os.getpid()) is not fork


def test_each_job_has_a_database_session_of_its_own(seeded, backend, rq_app, redis_url):
    """Jobs share the worker process (SimpleWorker), never its database session, as in a forked horse: a job
    sees what was committed after the previous one ran; a job whose statement failed does not fail the next;
    an idle worker holds no transaction open (on PostgreSQL that would block a migration's ALTER TABLE)."""
    from rq import Queue

    from tests.jobs.worker_jobs import broken_query, status_of
    env, _ = rq_app
    n = sms(make_user("citizen", "13800001111"))
    q = Queue("default", connection=Redis.from_url(redis_url))
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--no-cron", "--queues", "default"],
                              cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run(*job_args):
        queued = q.enqueue(*job_args)
        wait_until(lambda: queued.refresh() or queued.is_finished or queued.is_failed, "the job", interval=0.2)
        return queued

    try:
        assert run(status_of, n.id).return_value() == "pending"
        if backend[0] == "postgresql":  # what a migration does; waits for any transaction that read the table
            with unit_of_work():
                db.session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
                db.session.execute(sa.text("LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE"))
        with unit_of_work():
            fresh(n.id).status = "failed"  # committed between two jobs
        assert run(status_of, n.id).return_value() == "failed"
        assert run(broken_query).is_failed
        assert run(status_of, n.id).return_value() == "failed"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(10)
