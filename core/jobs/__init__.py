"""The job seam: enqueue() after commit onto RQ queues, or run in-process when REDIS_URL is unset."""
from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from flask import current_app, has_app_context

from core.db import after_commit_once

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


class _Jobs(list[tuple["Callable[..., object]", tuple[Any, ...], dict[str, Any], str]]):
    """The jobs of one unit of work, handed over once it has committed (core/db.py after_commit_once)."""

    def __call__(self) -> None:
        dispatch_all(list(self))


def enqueue(func: Callable[..., object], *args: Any, queue: str = "default", **kwargs: Any) -> None:
    """Run `func(*args, **kwargs)` as a job once the current unit of work commits (never if it rolls back); the jobs
    of one commit go to Redis together, in one round trip."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    after_commit_once(_Jobs).append((func, args, kwargs, queue))


def dispatch_all(jobs: list[tuple[Callable[..., object], tuple[Any, ...], dict[str, Any], str]]) -> None:
    """Hand jobs to RQ in one pipeline (one round trip), each queue's in order; without REDIS_URL run them
    in-process one after another. Failures are logged, never raised (the outbox is the source of truth)."""
    url = current_app.config["REDIS_URL"]
    if not url:
        for func, args, kwargs, queue in jobs:
            dispatch(func, args, kwargs, queue)
        return
    from redis.exceptions import RedisError
    from rq import Queue

    connection = redis_connection(url)
    try:
        with connection.pipeline() as pipe:
            for name in dict.fromkeys(queue for *_, queue in jobs):
                Queue(name, connection=connection).enqueue_many(
                    [Queue.prepare_data(func, args, kwargs, timeout=current_app.config["JOB_TIMEOUT"])
                     for func, args, kwargs, queue in jobs if queue == name], pipeline=pipe)
            pipe.execute()
    except RedisError as exc:
        log.warning("could not enqueue %d jobs (%s); the outbox flush will retry", len(jobs), exc)


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
