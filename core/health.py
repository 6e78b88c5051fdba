"""GET /healthz for load balancers and monitoring: the web process answers, the database answers,
Redis answers (when jobs go through it) and an RQ worker has sent a heartbeat lately.

503 only when the web process cannot serve without it: the database. Redis down (when configured) and a
missing worker are "degraded" with 200: pages and the API keep working (enqueueing fails quietly, the
outbox re-sends later, rate limits count per process), every web process shares the one Redis, so a 503
would take the whole site out of rotation for an outage it survives; the body says which part failed, so
monitoring alerts on it. Nothing secret is shown (no URLs, no error texts). docs/operations.md has the table."""
from __future__ import annotations

import time
from datetime import timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import Blueprint, current_app

from core.db import utcnow
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)
WORKER_STALE_SECONDS = 120  # RQ workers beat every few seconds while idle (worker_ttl 420 s by default)


def _database() -> dict[str, str]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return {"status": "ok"}
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "down"}


def _redis_and_workers(now: datetime) -> tuple[dict[str, str], dict[str, Any]]:
    url = current_app.config["REDIS_URL"]
    if not url:
        return {"status": "not_used", "detail": "jobs run in-process"}, {"status": "not_used"}
    from redis.exceptions import RedisError
    from rq import Worker

    from core.jobs import redis_connection
    try:
        conn = redis_connection(url)
        conn.ping()
        workers = Worker.all(connection=conn)
    except RedisError:
        return {"status": "down"}, {"status": "unknown"}
    beats = [w.last_heartbeat for w in workers if w.last_heartbeat is not None]
    fresh = [b for b in beats if (now - b.replace(tzinfo=b.tzinfo or timezone.utc)).total_seconds() <= WORKER_STALE_SECONDS]
    worker = {"status": "ok" if fresh else "down", "workers": len(workers), "alive": len(fresh)}
    return {"status": "ok"}, worker


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    started = time.perf_counter()
    now = utcnow()
    database = _database()
    redis, worker = _redis_and_workers(now)
    checks = {"web": {"status": "ok"}, "database": database, "redis": redis, "worker": worker}
    down = database["status"] == "down"
    status = "down" if down else "degraded" if "down" in (redis["status"], worker["status"]) else "ok"
    failed = [name for name, check in checks.items() if check["status"] == "down"]  # which dependency is down
    body = {"status": status, "checks": checks, "down": failed, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return body, 503 if down else 200, {"Cache-Control": "no-store"}
