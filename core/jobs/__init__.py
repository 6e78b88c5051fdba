"""The job seam: enqueue() after commit onto RQ queues, or run in-process when REDIS_URL is unset."""
from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from flask import current_app, has_app_context

from core.db import after_commit

if TYPE_CHECKING:
    from collections.abc import Callable

    from redis import Redis

P = ParamSpec("P")
R = TypeVar("R")

QUEUES = ("default", "notifications", "reports")
log = logging.getLogger("jobs")

_redis_lock = threading.Lock()
_redis: dict[str, Redis] = {}


def job(fn: Callable[P, R]) -> Callable[P, R]:
    """Make a function safe to run as a job: it gets an application context if it has none."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():
            return fn(*args, **kwargs)
        from core.jobs.runtime import job_app
        with job_app().app_context():
            return fn(*args, **kwargs)
    return wrapper


def redis_connection(url: str | None = None) -> Redis:
    """One Redis client (with its connection pool) per URL and process."""
    from redis import Redis

    url = url or current_app.config["REDIS_URL"]
    with _redis_lock:
        if url not in _redis:
            _redis[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        return _redis[url]


def enqueue(func: Callable[..., object], *args: Any, queue: str = "default", **kwargs: Any) -> None:
    """Run `func(*args, **kwargs)` as a job once the current unit of work commits (never if it rolls back)."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    after_commit(lambda: dispatch(func, args, kwargs, queue))


def dispatch(func: Callable[..., object], args: tuple[Any, ...], kwargs: dict[str, Any], queue: str) -> object:
    """Hand a job to RQ now; without REDIS_URL run it in-process. Failures are logged, never raised:
    the database (outbox) stays the source of truth and the periodic flush tries again."""
    url = current_app.config["REDIS_URL"]
    if not url:
        try:
            return func(*args, **kwargs)
        except Exception:  # noqa: BLE001
            log.exception("in-process job %s failed", getattr(func, "__name__", func))
            return None
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        return Queue(queue, connection=redis_connection(url)).enqueue(
            func, *args, **kwargs, job_timeout=current_app.config["JOB_TIMEOUT"])
    except RedisError as exc:
        log.warning("could not enqueue %s on %s (%s); the outbox flush will retry",
                    getattr(func, "__name__", func), queue, exc)
        return None
