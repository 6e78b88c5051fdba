"""Reports over large periods as jobs on the `reports` queue: a run is requested (and committed), a
worker claims it, reports its progress step by step, and stores the file for the requester to download.

A run is claimed with a conditional update, so a job delivered twice (a re-dispatch after Redis lost
it, or two workers) builds the file once. Runs a lost job left queued are dispatched again after each
deadline sweep; runs whose worker died mid-way are marked failed with a message to try again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from core.db import unit_of_work, utcnow
from core.errors import ValidationError
from core.extensions import db
from core.jobs import enqueue, job
from core.replica import on_replica
from reports.models import TRANSITIONS, ReportRun, RunStatus

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from core.auth.models import User
    from core.departments.models import Department

log = logging.getLogger("reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOST_AFTER = timedelta(minutes=10)  # queued this long without a worker: dispatch again


@dataclass(frozen=True)
class Kind:
    label: str
    build: object  # (run, progress, now) -> (filename, content type, bytes)


def _hotline_xlsx(run: ReportRun, progress: Callable[[int, str], object], now: datetime) -> tuple[str, str, bytes]:
    from datetime import date

    from core.departments.models import Department
    from reports import hotline_export, presenter
    start, end = date.fromisoformat(run.params["from"]), date.fromisoformat(run.params["to"])
    department = db.session.get(Department, run.department_id) if run.department_id else None
    data = presenter.hotline(start, end, now, department, progress=progress)
    progress(90, "写入 Excel")
    scope = department.code if department else "all"
    return f"hotline-{start.isoformat()}-{end.isoformat()}-{scope}.xlsx", XLSX, hotline_export.xlsx_bytes(data)


KINDS = {"hotline_xlsx": Kind("12345 热线数据（Excel）", _hotline_xlsx)}


def _move(run: ReportRun, target: RunStatus) -> None:
    if target not in TRANSITIONS[run.state]:
        raise ValidationError(f"报表任务当前为“{run.state.label}”，不能改为“{target.label}”")
    run.status = target.value


def request_run(kind: str, params: dict[str, Any], *, user: User, department: Department | None,
                now: datetime) -> ReportRun:
    """Queue a report for `user`, scoped to `department` (None: all departments). Returns the run."""
    if kind not in KINDS:
        raise ValidationError("没有这种报表", field="kind")
    with unit_of_work():
        run = ReportRun(kind=kind, params=params, requested_by_id=user.id,
                        department_id=department.id if department else None, created_at=now,
                        step="等待后台处理")
        db.session.add(run)
        db.session.flush()
        enqueue(run_report, run.id, now, queue="reports")
    return run


def _claim(run_id: int, now: datetime) -> bool:
    """queued → running, for exactly one worker."""
    with unit_of_work():
        claimed = db.session.execute(
            sa.update(ReportRun).where(ReportRun.id == run_id, ReportRun.status == RunStatus.QUEUED.value)
            .values(status=RunStatus.RUNNING.value, started_at=now, step="开始统计", progress=1)).rowcount
    return claimed == 1


def _progress(run_id: int) -> Callable[[int, str], None]:
    def report(percent: int, step: str) -> None:
        with unit_of_work():
            db.session.execute(sa.update(ReportRun).where(ReportRun.id == run_id)
                               .values(progress=max(1, min(99, int(percent))), step=step))
    return report


@job
def run_report(run_id: int, now: datetime | None = None) -> RunStatus | None:
    """Build the run's file (the job on the `reports` queue) as of `now`, the time it was requested.
    Returns the final status."""
    now = now or utcnow()
    if not _claim(run_id, now):
        return None  # already taken, finished or gone
    run = db.session.get(ReportRun, run_id)
    try:
        # the statistics may come from the replica; the run's own row and progress stay on the primary
        filename, content_type, content = on_replica(KINDS[run.kind].build, run, _progress(run_id), now)
    except Exception:  # noqa: BLE001  (the user sees a plain message; the log has the details)
        log.exception("report run %s failed", run_id)
        db.session.rollback()
        with unit_of_work():
            run = db.session.get(ReportRun, run_id)
            _move(run, RunStatus.FAILED)
            run.error, run.step, run.finished_at = "生成报表时出错，请稍后重新生成；如仍失败请联系管理员。", "失败", utcnow()
        return RunStatus.FAILED
    with unit_of_work():
        run = db.session.get(ReportRun, run_id)
        _move(run, RunStatus.DONE)
        run.filename, run.content_type, run.content = filename, content_type, content
        run.progress, run.step, run.finished_at = 100, "已完成", utcnow()
    return RunStatus.DONE


def report_runs_catch_up(now: datetime) -> int:
    """Dispatch runs a lost job left queued; fail runs whose worker died. Returns how many changed."""
    stuck_after = timedelta(seconds=2 * current_app.config["JOB_TIMEOUT"])
    with unit_of_work():  # the re-dispatches go to the queue once this commits
        lost = db.session.execute(sa.select(ReportRun.id, ReportRun.created_at).where(
            ReportRun.status == RunStatus.QUEUED.value, ReportRun.created_at < now - LOST_AFTER)).all()
        for run_id, requested_at in lost:
            enqueue(run_report, run_id, requested_at, queue="reports")
        stuck = db.session.scalars(sa.select(ReportRun).where(
            ReportRun.status == RunStatus.RUNNING.value, ReportRun.started_at < now - stuck_after)).all()
        for run in stuck:
            _move(run, RunStatus.FAILED)
            run.error, run.step, run.finished_at = "后台任务中断，请重新生成。", "失败", now
    return len(lost) + len(stuck)


def runs_of(user: User, limit: int = 50) -> list[ReportRun]:
    return list(db.session.scalars(sa.select(ReportRun).where(ReportRun.requested_by_id == user.id)
                                   .order_by(ReportRun.id.desc()).limit(limit)))


def run_of(user: User, run_id: int) -> ReportRun | None:
    """The run if `user` requested it, else None (others' reports stay private)."""
    run = db.session.get(ReportRun, run_id)
    return run if run is not None and run.requested_by_id == user.id else None
