"""Job commands: `flask worker` (RQ worker + scheduler + cron), `flask cron`, `flask serve`, `flask jobs …`."""
from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import AppGroup

from core.jobs import QUEUES, redis_connection

if TYPE_CHECKING:
    from flask import Flask


def _require_redis() -> str:
    url = current_app.config["REDIS_URL"]
    if not url:
        click.echo("错误：未设置 REDIS_URL。没有 Redis 时任务在 Web 进程内运行，无需 worker。", err=True)
        sys.exit(1)
    return url


def _run_cron(url: str) -> None:
    """Child process: RQ's cron scheduler enqueuing the periodic jobs."""
    from redis import Redis
    from rq.cron import CronScheduler

    from core.jobs.periodic import register_cron

    scheduler = CronScheduler(connection=Redis.from_url(url), logging_level=logging.INFO)
    register_cron(scheduler)
    scheduler.start()


def _simple_worker_class() -> type[Any]:
    """RQ's SimpleWorker with each job in an application context of its own: the command's context (and so its
    database session) would otherwise be shared by every job, a read-only job's transaction left open while the
    worker idles (blocking a migration's ALTER TABLE on PostgreSQL), a failed statement failing the next job.
    The context's teardown removes the job's session, as a forked work horse's exit did."""
    from rq import SimpleWorker

    from core.jobs.runtime import job_app

    class JobContextWorker(SimpleWorker):
        def perform_job(self, *args: Any, **kwargs: Any) -> bool:
            with job_app().app_context():
                return super().perform_job(*args, **kwargs)

    return JobContextWorker


@click.command("worker")
@click.option("--queues", default=",".join(QUEUES), show_default=True)
@click.option("--burst", is_flag=True, help="Exit when the queues are empty (tests, one-off runs).")
@click.option("--cron/--no-cron", default=True, help="Also run RQ's cron scheduler for the periodic jobs.")
@click.option("--fork/--no-fork", default=False, show_default=True,
              help="Run each job in a forked work horse (RQ's Worker) instead of in the worker process itself.")
def worker_command(queues: str, burst: bool, cron: bool, fork: bool) -> None:
    """Run an RQ worker (with its scheduler for retries) and, by default, the periodic-job cron.

    Jobs run in the worker process (RQ's SimpleWorker) unless --fork: our jobs are short (a notification, an
    index row, a sweep) and a fork per job cost far more than the job — a forking worker delivered about 4
    SMS a second on 2 cores while intake made 100 (bench_hotline.py, bench/RESULTS.md). Job timeouts hold
    either way (RQ's death penalty); run more workers for more throughput."""
    from rq import Worker

    from core.jobs import runtime

    url = _require_redis()
    runtime.bind(current_app._get_current_object())  # type: ignore[attr-defined]  # the jobs run in this command's application
    runtime.dispose_engines_after_fork()
    cron_process = None
    if cron and not burst:
        cron_process = multiprocessing.get_context("fork").Process(target=_run_cron, args=(url,), daemon=True)
        cron_process.start()
    try:
        names = [q.strip() for q in queues.split(",") if q.strip()]
        worker_class = Worker if fork else _simple_worker_class()
        worker_class(names, connection=redis_connection(url)).work(with_scheduler=True, burst=burst)
    finally:
        if cron_process is not None:
            cron_process.terminate()
            cron_process.join(5)


@click.command("cron")
def cron_command() -> None:
    """Run only RQ's cron scheduler for the periodic jobs (when workers run elsewhere with --no-cron)."""
    _run_cron(_require_redis())


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", 5000)), show_default="$PORT or 5000")
def serve_command(host: str, port: int) -> None:
    """Development server with jobs: in-process without Redis, else a worker beside it when Redis answers."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = None
    url = app.config["REDIS_URL"]
    if not url:
        from core.jobs.periodic import EmbeddedScheduler
        EmbeddedScheduler(app).start()
        click.echo("任务：未设置 REDIS_URL，通知和每分钟的期限巡检在本进程内运行。")
    else:
        try:
            redis_connection(url).ping()
        except Exception as exc:  # noqa: BLE001
            click.echo(f"警告：REDIS_URL={url} 无法连接（{exc}）。网页照常服务，通知留在发件箱，Redis 恢复后由 worker 补发。", err=True)
        else:
            worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], env=os.environ.copy())
            click.echo(f"任务：已在旁边启动 RQ worker（pid {worker.pid}）。")
    # the address and the demo accounts are the last lines, after the server's own: printed once it listens
    # (checking the accounts' passwords takes a second that the first page need not wait for)
    welcome = threading.Timer(0.5, _print_welcome, (host, port, app))
    welcome.daemon = True
    welcome.start()
    try:
        from werkzeug.serving import run_simple
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)


def _print_welcome(host: str, port: int, app: Flask) -> None:
    """The last lines before the server's own: where to open the service and, on a demo set-up, the accounts
    `flask seed --demo` created whose first password still works (printed earlier, now scrolled away)."""
    from sqlalchemy.exc import SQLAlchemyError

    from core.demo import remembered_demo_accounts
    from core.extensions import db
    with app.app_context():
        try:
            accounts = remembered_demo_accounts()
        except SQLAlchemyError:  # no schema yet: the server's own pages will say so
            db.session.rollback()
            accounts = []
        finally:
            db.session.remove()
    click.echo(f"\n打开 http://{host}:{port}/")
    if accounts:
        click.echo("演示账号（初始密码；改过密码的不再列出；instance/demo-accounts.txt）：")
        for login, password, label in accounts:
            click.echo(f"  {label:<18} {login:<28} {password}")
    click.echo("")


jobs = AppGroup("jobs", help="Run periodic jobs by hand.")


def parse_now(value: str | None) -> datetime:
    """The `--now` of a command that runs a periodic job by hand: ISO 8601 with a zone, a year in 1900–2100
    (core/inputs.py); default the current time."""
    if value is None:
        from core.db import utcnow
        return utcnow()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("时间格式应为 ISO 8601，例如 2026-11-20T10:00+08:00") from None
    if parsed.tzinfo is None:
        raise click.BadParameter("请带上时区，例如 2026-11-20T10:00+08:00")
    from core.inputs import check_year
    try:
        check_year(parsed.year, value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return parsed


@jobs.command("sweep")
@click.option("--now", default=None, help="ISO time with zone; default: the current time")
def jobs_sweep(now: str | None) -> None:
    """Run one deadline sweep and print what it did."""
    from core.jobs.periodic import deadline_sweep
    click.echo(deadline_sweep(parse_now(now)))


@jobs.command("flush")
@click.option("--now", default=None)
def jobs_flush(now: str | None) -> None:
    """Re-queue stale deliveries and dispatch every due email/SMS."""
    from core.jobs.periodic import outbox_flush
    click.echo(outbox_flush(parse_now(now)))


@jobs.command("calendar-check")
@click.option("--now", default=None)
def jobs_calendar_check(now: str | None) -> None:
    from core.jobs.periodic import calendar_check
    click.echo(calendar_check(parse_now(now)))


def register_job_cli(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(cron_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(jobs)
