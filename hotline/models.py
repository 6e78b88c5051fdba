"""12345 tickets, their catalogue, SLA overrides, co-handlers and callback attempts."""
from core.db import UTCDateTime
from core.extensions import db


class Category(db.Model):
    __tablename__ = "hotline_categories"

    code = db.Column(db.String(6), primary_key=True)
    name = db.Column(db.String(60), nullable=False)
    parent_code = db.Column(db.String(6), db.ForeignKey("hotline_categories.code"), nullable=True)
    level = db.Column(db.Integer, nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)


class SlaRule(db.Model):
    """An admin's override of a default limit for a type, category prefix and urgency."""

    __tablename__ = "hotline_sla_rules"

    id = db.Column(db.Integer, primary_key=True)
    clock = db.Column(db.String(20), nullable=False)
    type = db.Column(db.String(12), nullable=True)
    category_prefix = db.Column(db.String(6), nullable=True)
    urgency = db.Column(db.String(8), nullable=True)
    unit = db.Column(db.String(10), nullable=False)
    hours = db.Column(db.Float, nullable=False)


class Ticket(db.Model):
    __tablename__ = "tickets"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), unique=True, nullable=True)
    status = db.Column(db.String(20), nullable=False, index=True)
    channel = db.Column(db.String(12), nullable=False)  # phone, web, app, open311, letter
    caller_phone = db.Column(db.String(20), nullable=True, index=True)
    caller_name = db.Column(db.String(60), nullable=True)
    anonymous = db.Column(db.Boolean, nullable=False, default=False)
    confidential = db.Column(db.Boolean, nullable=False, default=False)
    citizen_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    type = db.Column(db.String(12), nullable=False)
    category_code = db.Column(db.String(6), db.ForeignKey("hotline_categories.code"), nullable=False)
    urgency = db.Column(db.String(8), nullable=False, default="normal")
    address = db.Column(db.String(200), nullable=False, default="")
    lat = db.Column(db.Float, nullable=True)
    lng = db.Column(db.Float, nullable=True)
    content = db.Column(db.Text, nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    operator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    received_at = db.Column(UTCDateTime(), nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    dispatched_at = db.Column(UTCDateTime(), nullable=True)
    return_deadline = db.Column(UTCDateTime(), nullable=True)
    signed_at = db.Column(UTCDateTime(), nullable=True)
    extension_used = db.Column(db.Boolean, nullable=False, default=False)  # once per dispatch
    extension_request_hours = db.Column(db.Float, nullable=True)
    extension_request_reason = db.Column(db.Text, nullable=True)
    reply_text = db.Column(db.Text, nullable=True)
    replied_at = db.Column(UTCDateTime(), nullable=True)
    direct = db.Column(db.Boolean, nullable=False, default=False)  # 直接办结 from the knowledge base
    closed_at = db.Column(UTCDateTime(), nullable=True)
    close_reason = db.Column(db.String(30), nullable=True)  # satisfied, unreachable, supervisor, transferred, merged
    close_note = db.Column(db.Text, nullable=True)
    satisfaction = db.Column(db.String(12), nullable=True)  # satisfied | basic | unsatisfied
    resolved = db.Column(db.Boolean, nullable=True)
    reopen_count = db.Column(db.Integer, nullable=False, default=0)
    return_count = db.Column(db.Integer, nullable=False, default=0)
    merged_into_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=True, index=True)
    transferred_to = db.Column(db.String(3), nullable=True)  # 110 | 119 | 120
    # The frozen verdicts of this ticket's stopped sign-for and handling clocks, counted as each stops
    # (hotline.common.stop), so that reports over millions of tickets need not join the clocks.
    sign_verdicts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    sign_in_time = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    done_verdicts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    done_in_time = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    version = db.Column(db.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    department = db.relationship("Department", lazy="joined")
    category = db.relationship("Category", lazy="joined")
    co_handlers = db.relationship("CoHandler", order_by="CoHandler.id", lazy="selectin")
    callbacks = db.relationship("CallbackAttempt", order_by="CallbackAttempt.id", lazy="selectin")

    __table_args__ = (
        db.Index("ix_tickets_category_received", "category_code", "received_at"),
        db.Index("ix_tickets_received_at", "received_at"),  # reports over a period
        db.CheckConstraint("urgency IN ('normal', 'urgent')", name="urgency"),
    )

    @property
    def status_label(self):
        from hotline.states import Status
        return Status(self.status).label


class CoHandler(db.Model):
    """A co-handling department (协办) and the part it contributed to the lead's reply."""

    __tablename__ = "ticket_co_handlers"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False)
    part = db.Column(db.Text, nullable=True)
    submitted_at = db.Column(UTCDateTime(), nullable=True)

    department = db.relationship("Department", lazy="joined")


class CallbackAttempt(db.Model):
    __tablename__ = "callback_attempts"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    at = db.Column(UTCDateTime(), nullable=False)
    reached = db.Column(db.Boolean, nullable=False)
    resolved = db.Column(db.Boolean, nullable=True)
    satisfaction = db.Column(db.String(12), nullable=True)
    comment = db.Column(db.Text, nullable=True)
    online = db.Column(db.Boolean, nullable=False, default=False)  # the citizen's own rating
