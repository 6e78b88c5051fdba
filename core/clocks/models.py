"""The clocks table and its states."""
from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import Index, text

from core.db import UTCDateTime
from core.extensions import db

if TYPE_CHECKING:
    from typing import Any


class ClockUnit(enum.Enum):
    WORKDAYS = "workdays"
    WORKHOURS = "workhours"
    WALL = "wall"  # wall-clock hours, for urgent work

    @property
    def label(self) -> str:
        return {"workdays": "个工作日", "workhours": "个工作小时", "wall": "小时"}[self.value]


class ClockState(enum.Enum):
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


TRANSITIONS = {
    ClockState.RUNNING: {ClockState.PAUSED, ClockState.STOPPED},
    ClockState.PAUSED: {ClockState.RUNNING, ClockState.STOPPED},
    ClockState.STOPPED: set(),
}

class Clock(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "clocks"

    id = db.Column(db.Integer, primary_key=True)
    entity_kind = db.Column(db.String(30), nullable=False)
    entity_id = db.Column(db.String(64), nullable=False)
    entity_label = db.Column(db.String(120), nullable=False, default="")
    name = db.Column(db.String(30), nullable=False)  # answer, correction_notice, sign_for, handling, callback …
    unit = db.Column(db.String(10), nullable=False)
    length = db.Column(db.Float, nullable=False)  # working days or hours
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    state = db.Column(db.String(10), nullable=False, default="running")

    started_at = db.Column(UTCDateTime(), nullable=False)
    start_on = db.Column(db.Date, nullable=True)  # local start day of a working-day clock (never counted)
    # Closed pause intervals: [[start, end], …] as ISO dates (working days) or datetimes (hours).
    pauses = db.Column(db.JSON, nullable=False, default=list)
    paused_from = db.Column(db.String(40), nullable=True)  # ISO start of the open pause
    extension = db.Column(db.Float, nullable=False, default=0)

    due_on = db.Column(db.Date, nullable=True)  # working-day clocks: the last day in time
    due_at = db.Column(UTCDateTime(), nullable=False)  # the last moment in time
    warn_at = db.Column(UTCDateTime(), nullable=False)  # from here on the work is 临期
    provisional = db.Column(db.Boolean, nullable=False, default=False)

    stopped_at = db.Column(UTCDateTime(), nullable=True)
    on_time = db.Column(db.Boolean, nullable=True)  # frozen when the clock stops
    stop_reason = db.Column(db.String(60), nullable=True)  # why it stopped (signed, returned, replied …)

    warned_at = db.Column(UTCDateTime(), nullable=True)
    overdue_at = db.Column(UTCDateTime(), nullable=True)
    escalate_at = db.Column(UTCDateTime(), nullable=True)
    escalated_at = db.Column(UTCDateTime(), nullable=True)

    __table_args__ = (
        db.CheckConstraint("state IN ('running', 'paused', 'stopped')", name="state"),
        db.CheckConstraint("unit IN ('workdays', 'workhours', 'wall')", name="unit"),
        Index("ix_clocks_entity", "entity_kind", "entity_id"),
        Index("ix_clocks_state_due", "state", "due_at"),
        Index("ix_clocks_department_state_due", "department_id", "state", "due_at"),
        # The sweep's three questions are each a scan of a small partial index.
        Index("ix_clocks_to_warn", "warn_at", sqlite_where=text("state = 'running' AND warned_at IS NULL"),
              postgresql_where=text("state = 'running' AND warned_at IS NULL")),
        Index("ix_clocks_to_mark_overdue", "due_at", sqlite_where=text("state = 'running' AND overdue_at IS NULL"),
              postgresql_where=text("state = 'running' AND overdue_at IS NULL")),
        Index("ix_clocks_to_escalate", "escalate_at",
              sqlite_where=text("state = 'running' AND escalated_at IS NULL AND escalate_at IS NOT NULL"),
              postgresql_where=text("state = 'running' AND escalated_at IS NULL AND escalate_at IS NOT NULL")),
    )

    @property
    def unit_enum(self) -> ClockUnit:
        return ClockUnit(self.unit)

    @property
    def state_enum(self) -> ClockState:
        return ClockState(self.state)

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit row records for a clock."""
        return {"state": self.state, "due_at": self.due_at, "due_on": self.due_on, "warn_at": self.warn_at,
                "extension": self.extension, "pauses": self.pauses, "paused_from": self.paused_from,
                "on_time": self.on_time, "provisional": self.provisional}


class SweepRun(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """One run of a periodic job (deadline sweep, outbox flush, calendar check) and what it did."""

    __tablename__ = "sweep_runs"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(30), nullable=False)
    now = db.Column(UTCDateTime(), nullable=False)  # the `now` the run was computed for
    started_at = db.Column(UTCDateTime(), nullable=False)
    finished_at = db.Column(UTCDateTime(), nullable=False)
    counts = db.Column(db.JSON, nullable=False, default=dict)

    __table_args__ = (Index("ix_sweep_runs_kind_started", "kind", "started_at"),)

