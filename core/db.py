"""Database helpers: timezone-safe timestamps and the unit of work."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import event, inspect, text, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import DateTime, Float, String, TypeDecorator

from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any, TypeVar

    T = TypeVar("T")

    from sqlalchemy import Table
    from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and returns them aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime; only entry points call this, then pass `now` on.
    A testing app may pin it (config PINNED_NOW, honoured only when TESTING) so that tests of pages and
    the API give the time explicitly, as unit tests pass `now`."""
    from flask import current_app, has_app_context
    if has_app_context() and current_app.testing and current_app.config.get("PINNED_NOW") is not None:
        return current_app.config["PINNED_NOW"].astimezone(timezone.utc)
    return datetime.now(timezone.utc)


HELD = "idempotency_hold"  # set by core/idempotency.py for the length of a request that runs once per key


@contextmanager
def unit_of_work() -> Iterator[Any]:
    """One service call = one transaction: commit on success, roll back on any error.

    Callbacks registered with after_commit() run once the commit has succeeded (jobs are enqueued
    only for work that really happened) and are dropped on rollback.
    """
    try:
        yield db.session
        if db.session.info.get(HELD):
            # an idempotent request (core/idempotency.py) commits once, with its stored answer and its key
            db.session.flush()
            return
        db.session.commit()
    except BaseException:
        db.session.rollback()
        # a unit of work that failed before its first statement has no transaction to roll back (no after_rollback
        # event): its callbacks must not run with the next commit
        db.session.info.pop("after_commit", None)
        raise
    run_after_commit()


def serialise(key: str) -> None:
    """Make transactions that pass the same key run one after another, until the current one ends: on PostgreSQL
    a transaction-level advisory lock; SQLite has one writer at a time already."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})


def insert_many(table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], **same: Any) -> None:
    """INSERT one row per tuple of `rows` (values of `columns`), each with the values `same` shares.

    On PostgreSQL one INSERT … SELECT … FROM unnest(one array per column): a statement with a parameter per column,
    not per value (a multi-row VALUES of thousands of parameters is parsed in Python each time, and an
    executemany is a statement per row). Elsewhere (SQLite, in process) an executemany. Only for psycopg."""
    if not rows:
        return
    bind = db.session.get_bind()
    if bind.dialect.name != "postgresql":
        db.session.execute(table.insert(), [{**same, **dict(zip(columns, row))} for row in rows])
        return
    dialect = bind.dialect

    def sql_type(column: str) -> str:
        return str(table.c[column].type.compile(dialect))

    def bound(column: str, value: Any) -> Any:
        process = table.c[column].type.bind_processor(dialect)
        return process(value) if process is not None else value
    # %(name)b: psycopg sends the arrays in binary, several times faster to build than their quoted text form
    arrays = ", ".join(f"CAST(%(a{i})b AS {sql_type(c)}[])" for i, c in enumerate(columns))
    picks = [f"t.{c}" for c in columns] + [f"CAST(%(s_{c})s AS {sql_type(c)})" for c in same]
    sql = (f"INSERT INTO {table.name} ({', '.join([*columns, *same])}) SELECT {', '.join(picks)} "
           f"FROM unnest({arrays}) AS t({', '.join(columns)})")
    params = {f"a{i}": [row[i] for row in rows] for i in range(len(columns))}
    params.update({f"s_{c}": bound(c, v) for c, v in same.items()})
    db.session.connection().exec_driver_sql(sql, params)


WRITTEN = "written_rows"


@contextmanager
def keep_written() -> Iterator[list[Any]]:
    """For a use case that creates an item and answers with it at once (hotline/api.py `create`, issue 19 item 4):
    every row the session inserts or changes inside the block is kept in the yielded list, and the commit does not
    expire them, so the answer is made from what was written instead of being read back. A row claim_once
    changed counts as written. An item created here did not exist before its commit: the rows that refer to it
    are all in the list."""
    session = db.session()
    written: list[Any] = []
    before, session.expire_on_commit = session.expire_on_commit, False
    session.info[WRITTEN] = written
    try:
        yield written
    finally:
        session.info.pop(WRITTEN, None)
        session.expire_on_commit = before


@event.listens_for(Session, "after_flush")
def _keep_written(session: Session, flush_context: Any) -> None:
    written = session.info.get(WRITTEN)
    if written is None:
        return
    for row in (*session.new, *session.dirty):  # after_flush still lists what the flush wrote as new and dirty
        _as_read(row)
        written.append(row)


def _as_read(row: Any) -> None:
    """Make a written row's times what reading it back would give: UTCDateTime columns in UTC (an aware time in
    another zone is the same instant, shown differently)."""
    state = inspect(row)
    for column in state.mapper.columns:
        if isinstance(column.type, UTCDateTime):
            key = state.mapper.get_property_by_column(column).key
            value = state.dict.get(key)
            if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset():
                set_committed_value(row, key, value.astimezone(timezone.utc))


def claim_once(row: Any, column: str, value: Any) -> bool:
    """Set `row.column` from NULL to `value` in one conditional UPDATE inside the caller's unit of work:
    True for the one request that did it, False when another request got there first (two people giving
    the same feedback at once: one wins, the other is told — never a silent overwrite)."""
    model = type(row)
    col = getattr(model, column)
    # the UPDATE returns the row as it now is (no statement more): what another request committed to its other
    # columns since `row` was read (a call's hangup while its ticket is saved) is in it, as a refresh would read
    keys = [attr.key for attr in inspect(model).column_attrs]
    written = db.session.execute(update(model).where(model.id == row.id, col.is_(None)).values({column: value})
                                 .returning(*(getattr(model, key) for key in keys)),
                                 execution_options={"synchronize_session": False}).first()
    if written is None:
        return False
    for key, current in zip(keys, written):
        set_committed_value(row, key, current)
    db.session.expire(row, [rel.key for rel in inspect(model).relationships])  # loaded again when read
    db.session.info.get(WRITTEN, []).append(row)
    return True


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback()` after the current unit of work commits; never if it rolls back."""
    db.session.info.setdefault("after_commit", []).append(callback)


def after_commit_once(kind: Callable[[], T]) -> T:
    """The callback made by `kind` already registered for the current unit of work, else a new one registered:
    work gathered through one transaction and done once after its commit (core/jobs: its jobs in one round trip).
    Dropped on rollback like every after_commit callback."""
    callbacks = db.session.info.setdefault("after_commit", [])
    found = next((c for c in callbacks if type(c) is kind), None)
    if found is None:
        found = kind()
        callbacks.append(found)
    return found


def run_after_commit() -> None:
    callbacks = db.session.info.pop("after_commit", [])
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop("after_commit", None)


def _sql_function(name: str, type_: Any = None, **templates: str) -> type[FunctionElement[Any]]:
    """A SQL function rendered per dialect from a template over its compiled arguments ({0}, {1} …)."""
    cls = type(name, (FunctionElement,), {"inherit_cache": True, "name": name,
                                          **({"type": type_} if type_ is not None else {})})
    for dialect, template in templates.items():
        def render(element: Any, compiler: Any, _template: str = template, **kw: Any) -> str:
            return _template.format(*(compiler.process(arg, **kw) for arg in element.clauses))
        compiles(cls, dialect)(render)
    return cls


# Seconds from one UTCDateTime column to another.
seconds_between = _sql_function("seconds_between", Float(), postgresql="EXTRACT(EPOCH FROM ({1} - {0}))",
                                sqlite="((julianday({1}) - julianday({0})) * 86400.0)")
# Days from one Date column to another.
days_between = _sql_function("days_between", Float(), postgresql="({1} - {0})",
                             sqlite="(julianday({1}) - julianday({0}))")
# A UTCDateTime column's UTC hour, for grouping (local days in Python): a naive timestamp on PostgreSQL,
# text 'YYYY-MM-DD HH' on SQLite (which stores UTCDateTime as UTC text).
utc_hour = _sql_function("utc_hour", postgresql="date_trunc('hour', {0} AT TIME ZONE 'UTC')",
                         sqlite="strftime('%Y-%m-%d %H', {0})")
# A Date column's month as text 'YYYY-MM'.
year_month = _sql_function("year_month", String(), postgresql="to_char({0}, 'YYYY-MM')",
                           sqlite="strftime('%Y-%m', {0})")
