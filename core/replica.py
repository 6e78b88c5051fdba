"""Reads that may go to a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`): the one place that decides.

Only functions marked with `replica_reads` (or run through `on_replica`) read there: the public log's pages,
feeds and API, the reports and dashboards, the report jobs' statistics — readers that accept a moment's lag.
Everything else stays on the primary: every POST, whatever a citizen reads about their own items, staff
work queues, sign-in. So whoever just wrote something reads it back where it was written, however far the
replica lags.

Inside a marked function `db.session` is a separate session whose reads go to the replica and whose writes
(a report job's progress) go to the primary; after a write, its reads stay on the primary until the
transaction ends. The caller's own session, with the signed-in user loaded on the primary, is left as it was.
When the replica cannot be reached or a read on it fails, the function runs again on the primary (unless it
wrote something), the failure is logged once — not per request — and the replica is tried again after
`REPLICA_RETRY_SECONDS`. A replica whose last replayed transaction is older than `REPLICA_MAX_LAG_SECONDS`
(replication stalled, or far behind) is not read either: a withdrawn record must not stay public, nor a report
be dated now with older rows. (An idle primary makes the replica look behind too: then the reads go to the
primary, which is idle — the safe side.) Without `DATABASE_REPLICA_URL`, or with a SQLite primary, nothing
changes.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.sql.dml import UpdateBase

from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from flask import Flask
    from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)
KEY = "read_replica"
T = TypeVar("T")


class Replica:
    """The replica's engine and whether it answered lately (per process; a connection pool's kind of state)."""

    def __init__(self, engine: Engine, retry_seconds: float) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.down = False
        self.retry_at = 0.0  # time.monotonic() after which a down replica is tried again
        self.behind = False  # its last replayed transaction was older than REPLICA_MAX_LAG_SECONDS
        self._lock = threading.Lock()

    def usable(self) -> bool:
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, exc: BaseException) -> None:
        """Read from the primary for the next `retry_seconds`; logged when the replica goes down, not again."""
        with self._lock:
            if not self.down:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0:1]
                log.warning("read replica unavailable, reading from the primary (tried again every %ss): %s: %s",
                            self.retry_seconds, type(exc).__name__, reason[0] if reason else "")
            self.down = True
            self.retry_at = time.monotonic() + self.retry_seconds

    def current(self, session: ReplicaSession) -> bool:
        """Whether the replica's last replayed transaction is recent enough (`REPLICA_MAX_LAG_SECONDS`); a change
        of answer is logged once."""
        lag = session.execute(sa.text(
            "SELECT EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())")).scalar()
        limit = current_app.config["REPLICA_MAX_LAG_SECONDS"]
        fresh = lag is not None and float(lag) <= limit
        if fresh == self.behind:
            with self._lock:
                if fresh == self.behind:
                    self.behind = not fresh
                    if fresh:
                        log.warning("read replica caught up: public and report reads go to it")
                    else:
                        log.warning("read replica more than %ss behind (last replayed transaction %s s ago): "
                                    "reading from the primary", limit, "?" if lag is None else round(float(lag)))
        return fresh

    def worked(self) -> None:
        if self.down:
            with self._lock:
                if self.down:
                    log.warning("read replica answers again: public and report reads go to it")
                self.down = False


class ReplicaSession(FlaskSession):
    """`db.session` inside a replica read: reads on the replica; writes, and reads after them until the
    transaction ends, on the primary."""

    def __init__(self, replica: Engine, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.replica = replica
        self.writing = False  # this transaction wrote: read its own writes on the primary
        self.wrote = False  # anything was written (then the function is not run a second time)

    def get_bind(self, mapper: Any | None = None, clause: Any | None = None,
                 bind: Engine | Connection | None = None, **kwargs: Any) -> Engine | Connection:
        if bind is not None:
            return bind
        if self._flushing or isinstance(clause, UpdateBase):
            self.writing = self.wrote = True
        if self.writing:
            return super().get_bind(mapper=mapper, clause=clause, **kwargs)
        return self.replica

    def commit(self) -> None:
        super().commit()
        self.writing = False

    def rollback(self) -> None:
        super().rollback()
        self.writing = False


def init_app(app: Flask) -> None:
    """Bind the replica's engine when `DATABASE_REPLICA_URL` names one and the primary is PostgreSQL."""
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    if not (str(url).startswith("postgresql") and app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")):
        log.warning("DATABASE_REPLICA_URL ignored: a read replica needs PostgreSQL as primary and replica")
        return
    # pool_pre_ping: a replica restarted meanwhile is noticed at checkout; a short connect timeout, so a
    # replica that does not answer costs one request a moment, not a hung worker
    engine = sa.create_engine(url, pool_pre_ping=True,
                              connect_args={"connect_timeout": app.config["REPLICA_CONNECT_TIMEOUT"]})
    app.extensions[KEY] = Replica(engine, app.config["REPLICA_RETRY_SECONDS"])


def replica(app: Flask | None = None) -> Replica | None:
    """The application's replica, or None (not configured)."""
    if app is None:
        if not has_app_context():
            return None
        app = current_app
    return app.extensions.get(KEY)


def dispose(app: Flask) -> None:
    """Drop the replica's pooled connections (a forked work horse must not share its parent's)."""
    if (state := replica(app)) is not None:
        state.engine.dispose(close=False)


def on_replica(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` with its reads on the replica when there is one that answers, else on the primary."""
    state = replica()
    if state is None or not state.usable() or isinstance(db.session.registry(), ReplicaSession):
        return fn(*args, **kwargs)
    if has_request_context():
        from flask_login import current_user
        current_user._get_current_object()  # who asks is read on the primary (a just-locked account stays locked)
    primary = db.session.registry()
    session = ReplicaSession(state.engine, **db.session.session_factory.kw)
    db.session.registry.set(session)
    try:
        session.connection()  # connect now: an unreachable replica is known before `fn` starts
        state.worked()
        if state.current(session):
            return fn(*args, **kwargs)
    except (OperationalError, InterfaceError) as exc:
        state.failed(exc)
        if session.wrote:
            raise
    finally:
        session.close()
        db.session.registry.set(primary)
    return fn(*args, **kwargs)  # on the primary: the replica is behind, or failed (then again)


def replica_reads(fn: Callable[..., T]) -> Callable[..., T]:
    """Mark a read-only view or job step whose reads may go to the replica (see the module's rule)."""
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> T:
        return on_replica(fn, *args, **kwargs)
    return wrapped
