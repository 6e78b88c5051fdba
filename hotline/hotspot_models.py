"""热点预警 (issue 20 item 4): hot spots the detection found, their member tickets, and its runs."""
from core.db import UTCDateTime
from core.extensions import db


class Hotspot(db.Model):
    """Tickets of one place and one topic that passed the thresholds within the sliding window: one alert to
    the supervisors when raised; later tickets of the same cluster join it (the alert is rewritten, never
    repeated). `handled_*`: the last one-click action a supervisor took on it (合并 or 联合派单)."""

    __tablename__ = "hotline_hotspots"

    id = db.Column(db.Integer, primary_key=True)
    place_key = db.Column(db.String(160), nullable=False, index=True)
    place_kind = db.Column(db.String(10), nullable=False)  # estate | road | crossing | grid
    place_label = db.Column(db.String(160), nullable=False)
    category_code = db.Column(db.String(6), db.ForeignKey("hotline_categories.code"), nullable=False)
    keywords = db.Column(db.String(200), nullable=False, default="")  # space-separated, most shared first
    ticket_count = db.Column(db.Integer, nullable=False)
    caller_count = db.Column(db.Integer, nullable=False)
    first_received_at = db.Column(UTCDateTime(), nullable=False)  # the earliest member's reception
    last_received_at = db.Column(UTCDateTime(), nullable=False)  # the newest member's
    raised_at = db.Column(UTCDateTime(), nullable=False)  # the run that raised the alert
    grown_at = db.Column(UTCDateTime(), nullable=True)  # the last run that added members
    lat = db.Column(db.Float, nullable=True)  # the mean of the members' coordinates, where they have any
    lng = db.Column(db.Float, nullable=True)
    handled_at = db.Column(UTCDateTime(), nullable=True)
    handled_how = db.Column(db.String(10), nullable=True)  # merge | dispatch
    handled_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    category = db.relationship("Category", lazy="joined")


class HotspotMember(db.Model):
    __tablename__ = "hotline_hotspot_members"

    id = db.Column(db.Integer, primary_key=True)
    hotspot_id = db.Column(db.Integer, db.ForeignKey("hotline_hotspots.id"), nullable=False, index=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    added_at = db.Column(UTCDateTime(), nullable=False)

    __table_args__ = (db.UniqueConstraint("hotspot_id", "ticket_id", name="uq_hotspot_member"),)


class HotspotRun(db.Model):
    """One detection run at `now` and what it found (the periodic duty runs at most every
    HOTSPOT_INTERVAL_MINUTES: the newest run's `now` says when the last one was)."""

    __tablename__ = "hotline_hotspot_runs"

    id = db.Column(db.Integer, primary_key=True)
    now = db.Column(UTCDateTime(), nullable=False, index=True)
    tickets = db.Column(db.Integer, nullable=False)  # tickets in the window
    clusters = db.Column(db.Integer, nullable=False)  # clusters over the thresholds
    raised = db.Column(db.Integer, nullable=False)  # new hot spots (alerts)
    grown = db.Column(db.Integer, nullable=False)  # known hot spots that gained members
