"""Admin page for jobs: queue lengths, failed jobs (retry/delete), recent periodic runs, the outbox."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db
from core.jobs import QUEUES, redis_connection
from core.jobs.periodic import RUN_KINDS, count_rows, last_runs
from core.notifications import service as notifications
from core.notifications.models import Notification

if TYPE_CHECKING:
    from typing import Any

    from flask.typing import ResponseReturnValue

bp = Blueprint("jobs_admin", __name__, url_prefix="/admin/jobs")
log = logging.getLogger("jobs")
ALLOWED = (Role.ADMIN, Role.SUPERVISOR)


def _queues() -> tuple[list[dict[str, Any]] | None, str | None]:
    """Per queue: waiting, running, failed counts and failed jobs; None without Redis; error text if down."""
    url = current_app.config["REDIS_URL"]
    if not url:
        return None, None
    from rq import Queue
    try:
        conn = redis_connection(url)
        out = []
        for name in QUEUES:
            q = Queue(name, connection=conn)
            failed = q.failed_job_registry
            jobs = [_describe(j) for j in (q.fetch_job(i) for i in failed.get_job_ids(0, 19)) if j is not None]
            out.append({"name": name, "waiting": q.count, "running": q.started_job_registry.count,
                        "failed": failed.count, "failed_jobs": jobs})
        return out, None
    except Exception as exc:  # noqa: BLE001 - the page must load while Redis is down
        return None, f"无法连接 Redis：{exc}"


def _describe(job: Any) -> dict[str, Any]:
    result = job.latest_result()
    error = (result.exc_string or "").strip().splitlines()[-1:] if result else []
    return {"id": job.id, "func_name": job.func_name, "ended_at": job.ended_at, "error": "".join(error)}


@bp.get("/")
@roles_required(*ALLOWED)
def index() -> ResponseReturnValue:
    queues, redis_error = _queues()
    failed = (Notification.query.filter_by(status="failed").order_by(Notification.created_at.desc())
              .limit(50).all())
    return render_template("jobs/index.html", queues=queues, redis_error=redis_error, runs=last_runs(), run_kinds=RUN_KINDS, count_rows=count_rows,
                           outbox=notifications.outbox_counts(), failed=failed,
                           embedded=not current_app.config["REDIS_URL"])


def _failed_job(queue: str, job_id: str) -> Any:
    from rq import Queue
    if queue not in QUEUES or not current_app.config["REDIS_URL"]:
        abort(404)
    q = Queue(queue, connection=redis_connection())
    if job_id not in q.failed_job_registry.get_job_ids():
        abort(404)
    return q


@bp.post("/failed/<queue>/<job_id>/requeue")
@roles_required(*ALLOWED)
def requeue(queue: str, job_id: str) -> ResponseReturnValue:
    _failed_job(queue, job_id).failed_job_registry.requeue(job_id)
    flash(f"已重新排队任务 {job_id}", "success")
    return redirect(url_for(".index"))


@bp.post("/failed/<queue>/<job_id>/delete")
@roles_required(*ALLOWED)
def delete(queue: str, job_id: str) -> ResponseReturnValue:
    _failed_job(queue, job_id).failed_job_registry.remove(job_id, delete_job=True)
    flash(f"已删除任务 {job_id}", "success")
    return redirect(url_for(".index"))


@bp.post("/notifications/<int:notification_id>/resend")
@roles_required(*ALLOWED)
def resend(notification_id: int) -> ResponseReturnValue:
    n = db.session.get(Notification, notification_id) or abort(404)
    try:
        notifications.resend(n, now=utcnow(), actor=current_user)
    except ValidationError as err:
        flash(err.message, "danger")
    else:
        flash(f"通知 {n.id} 已重新放入发件箱。", "success")
    return redirect(url_for(".index"))
