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
    # Two-level dispatch (issue 20 item 3, hotline/tiers.py): the district sub-centre the city centre dispatched
    # the ticket to, and when it was dispatched there and signed for; NULL in a one-level deployment.
    subcentre_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    subcentre_dispatched_at = db.Column(UTCDateTime(), nullable=True)
    subcentre_signed_at = db.Column(UTCDateTime(), nullable=True)
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
    transferred_to = db.Column(db.String(3), nullable=True)  # 110 | 119 | 120 | 122
    handover_ref = db.Column(db.String(40), nullable=True)  # channel "110": 110's incident number
    first_contact_at = db.Column(UTCDateTime(), nullable=True)  # the department first reached the caller
    # The frozen verdicts of this ticket's stopped sign-for and handling clocks, counted as each stops
    # (hotline.common.stop), so that reports over millions of tickets need not join the clocks.
    sign_verdicts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    sign_in_time = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    done_verdicts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    done_in_time = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    contact_verdicts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    contact_in_time = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    version = db.Column(db.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    department = db.relationship("Department", lazy="joined", foreign_keys=[department_id])
    subcentre = db.relationship("Department", lazy="joined", foreign_keys=[subcentre_id])
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
        from hotline.states import Status, label_of
        return label_of(Status(self.status), self.subcentre_id is not None and self.department_id == self.subcentre_id)


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


class Transfer(db.Model):
    """The two-way 12345 ⇄ 110/119/120/122 linkage (国办发〔2022〕12号): a matter handed to an emergency
    service ("out") or handed over by 110 to 12345 ("in"), with the counterpart's reference and the
    feedback each side owes the other."""

    __tablename__ = "ticket_transfers"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    direction = db.Column(db.String(3), nullable=False)  # out | in
    service = db.Column(db.String(3), nullable=False)  # 110 | 119 | 120 | 122
    at = db.Column(UTCDateTime(), nullable=False)
    reference = db.Column(db.String(40), nullable=True)  # the other service's incident number (警情编号)
    counterpart = db.Column(db.String(60), nullable=True)  # who took it over there (姓名/工号)
    note = db.Column(db.Text, nullable=True)
    feedback = db.Column(db.Text, nullable=True)  # out: what the service reported back; in: what 12345 told 110
    feedback_at = db.Column(UTCDateTime(), nullable=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    __table_args__ = (db.CheckConstraint("direction IN ('out', 'in')", name="transfer_direction"),)


class Return(db.Model):
    """A department's 退单 and the 12345 centre's review of it (成立 upheld / 不成立 rejected)."""

    __tablename__ = "ticket_returns"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    reason = db.Column(db.Text, nullable=False)
    requested_at = db.Column(UTCDateTime(), nullable=False)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    decision = db.Column(db.String(10), nullable=True)  # None while under review | upheld | rejected
    decided_at = db.Column(UTCDateTime(), nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    note = db.Column(db.Text, nullable=True)

    department = db.relationship("Department", lazy="joined")


class SupervisionOrder(db.Model):
    """A 督办单: the centre's written order to a department, with a deadline for its written feedback
    (its own clock), escalation when the feedback is late, and a frozen on-time verdict."""

    __tablename__ = "supervision_orders"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    number = db.Column(db.String(24), nullable=True, unique=True)
    issued_at = db.Column(UTCDateTime(), nullable=False)
    issued_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    reason = db.Column(db.Text, nullable=False)
    feedback = db.Column(db.Text, nullable=True)
    feedback_at = db.Column(UTCDateTime(), nullable=True)
    feedback_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    feedback_on_time = db.Column(db.Boolean, nullable=True)  # frozen when the feedback arrives
    escalated_at = db.Column(UTCDateTime(), nullable=True)
    level = db.Column(db.Integer, nullable=False, default=1)  # 1 督办; 2 escalated to the district leadership

    department = db.relationship("Department", lazy="joined")


class Answer(db.Model):
    """Every round's answer to a ticket (the department's reply or a 直接办结), kept when a 重办
    sends the ticket back, with that round's callback verdict."""

    __tablename__ = "ticket_answers"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    round = db.Column(db.Integer, nullable=False)  # 1 + the ticket's reopen count when answered
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)
    direct = db.Column(db.Boolean, nullable=False, default=False)
    text = db.Column(db.Text, nullable=False)
    replied_at = db.Column(UTCDateTime(), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    satisfaction = db.Column(db.String(12), nullable=True)
    resolved = db.Column(db.Boolean, nullable=True)
    superseded_at = db.Column(UTCDateTime(), nullable=True)  # set when a 重办 replaces this answer

    department = db.relationship("Department", lazy="joined")
