"""Database helpers: timezone-safe timestamps and the unit of work."""
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime, TypeDecorator

from core.extensions import db


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and returns them aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow():
    """The current time as an aware UTC datetime; only entry points call this, then pass `now` on."""
    return datetime.now(timezone.utc)


@contextmanager
def unit_of_work():
    """One service call = one transaction: commit on success, roll back on any error.

    Callbacks registered with after_commit() run once the commit has succeeded (jobs are enqueued
    only for work that really happened) and are dropped on rollback.
    """
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    run_after_commit()


def after_commit(callback):
    """Run `callback()` after the current unit of work commits; never if it rolls back."""
    db.session.info.setdefault("after_commit", []).append(callback)


def run_after_commit():
    callbacks = db.session.info.pop("after_commit", [])
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session):
    session.info.pop("after_commit", None)
