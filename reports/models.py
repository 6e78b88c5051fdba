"""A report produced by a job (queue `reports`): who asked, for what, how far it got, and the file."""
from __future__ import annotations

import enum

from core.db import UTCDateTime
from core.extensions import db


class RunStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}[self.value]

    @property
    def finished(self) -> bool:
        return self in (RunStatus.DONE, RunStatus.FAILED)


TRANSITIONS = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.DONE, RunStatus.FAILED},
    RunStatus.DONE: set(),
    RunStatus.FAILED: set(),
}


class ReportRun(db.Model):
    __tablename__ = "report_runs"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(30), nullable=False)
    params = db.Column(db.JSON, nullable=False, default=dict)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)  # scope; None = all
    status = db.Column(db.String(10), nullable=False, default=RunStatus.QUEUED.value)
    progress = db.Column(db.Integer, nullable=False, default=0)  # percent
    step = db.Column(db.String(60), nullable=False, default="")  # what it is doing, for the user
    error = db.Column(db.Text, nullable=True)
    created_at = db.Column(UTCDateTime(), nullable=False)
    started_at = db.Column(UTCDateTime(), nullable=True)
    finished_at = db.Column(UTCDateTime(), nullable=True)
    filename = db.Column(db.String(120), nullable=True)
    content_type = db.Column(db.String(80), nullable=True)
    content = db.deferred(db.Column(db.LargeBinary, nullable=True))

    __table_args__ = (db.Index("ix_report_runs_status_created", "status", "created_at"),)

    @property
    def state(self) -> RunStatus:
        return RunStatus(self.status)


class RollupDay(db.Model):
    """A local day of received tickets and whether its roll-up is current: every change to a ticket of the
    day (or to its callbacks, returns, clocks) adds one to `version` in the same transaction; the roll-up
    job records the version it counted. The dashboard adds a day's roll-ups only when the two agree."""

    __tablename__ = "hotline_rollup_days"

    day = db.Column(db.Date, primary_key=True)
    version = db.Column(db.Integer, nullable=False, default=0)
    rolled_version = db.Column(db.Integer, nullable=True)  # None: never rolled up
    rolled_at = db.Column(UTCDateTime(), nullable=True)


class Rollup(db.Model):
    """One additive figure of the tickets received on a day, for one department (reports/ticket_figures.py)."""

    __tablename__ = "hotline_rollups"

    id = db.Column(db.Integer, primary_key=True)
    day = db.Column(db.Date, nullable=False)
    department_id = db.Column(db.Integer, nullable=True)  # None: not dispatched
    measure = db.Column(db.String(40), nullable=False)
    value = db.Column(db.Float, nullable=False)

    __table_args__ = (db.Index("ix_hotline_rollups_day", "day", "department_id"),)
