"""Calendar tables: one row per exception day, one per year with official data, one version counter."""
from core.db import UTCDateTime
from core.extensions import db


class CalendarDay(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """A holiday (day off) or a make-up working day (调休上班)."""

    __tablename__ = "calendar_days"

    day = db.Column(db.Date, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)  # holiday | workday
    name = db.Column(db.String(60), nullable=False, default="")
    source = db.Column(db.String(12), nullable=False)  # official | provisional

    __table_args__ = (
        db.CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),
        db.CheckConstraint("source IN ('official', 'provisional')", name="source"),
    )


class CalendarYear(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """A year whose official arrangement has been loaded; other years are computed provisionally."""

    __tablename__ = "calendar_years"

    year = db.Column(db.Integer, primary_key=True, autoincrement=False)
    origin = db.Column(db.String(120), nullable=False)  # e.g. chinese-calendar 1.11.0, a file name
    loaded_at = db.Column(UTCDateTime(), nullable=False)


class CalendarVersion(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """Bumped on every calendar change so every process rebuilds its cached index."""

    __tablename__ = "calendar_version"

    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    version = db.Column(db.Integer, nullable=False, default=0)
