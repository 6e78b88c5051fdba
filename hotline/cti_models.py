"""The call log of the telephone system (CTI) and the operators' extensions (分机)."""
from core.db import UTCDateTime
from core.extensions import db


class Call(db.Model):
    """One call as the PBX reported it (newCall → answer → hangup), and the ticket it was logged as."""

    __tablename__ = "cti_calls"

    id = db.Column(db.Integer, primary_key=True)
    pbx = db.Column(db.String(40), nullable=False)  # which PBX's token posted it (config CTI_TOKENS)
    call_id = db.Column(db.String(250), nullable=False)  # the PBX's callId
    direction = db.Column(db.String(3), nullable=False, default="in")  # in | out
    from_number = db.Column(db.String(40), nullable=False, default="")
    to_number = db.Column(db.String(40), nullable=False, default="")
    # the citizen's number as tickets store it (hotline.cti.citizen_number), None for anonymous or unusable
    phone = db.Column(db.String(20), nullable=True, index=True)
    queue = db.Column(db.String(60), nullable=True)
    rung = db.Column(db.String(200), nullable=False, default="")  # extensions the call rang, comma-separated
    extension = db.Column(db.String(20), nullable=True)  # the extension that answered
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)  # who sat there
    status = db.Column(db.String(10), nullable=False)  # hotline.cti.CallState (core/workflow.py moves it)
    ringing_at = db.Column(UTCDateTime(), nullable=True)  # None: the newCall never came (out of order)
    answered_at = db.Column(UTCDateTime(), nullable=True)
    ended_at = db.Column(UTCDateTime(), nullable=True)
    cause = db.Column(db.String(30), nullable=True)  # the hangup's cause (normalClearing, busy, noAnswer …)
    created_at = db.Column(UTCDateTime(), nullable=False)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=True, index=True)

    # loaded when read (the call log joins the user and reads the ticket's number itself:
    # hotline.cti_console.recent_calls); an event or a link reads the call's own columns only
    user = db.relationship("User")
    ticket = db.relationship("Ticket")

    __table_args__ = (
        db.UniqueConstraint("pbx", "call_id", name="uq_cti_calls_pbx_call"),
        db.Index("ix_cti_calls_created_at", "created_at"),
        db.CheckConstraint("direction IN ('in', 'out')", name="call_direction"),
    )


class Agent(db.Model):
    """An operator signed in at an extension: the calls ringing there pop up on their console."""

    __tablename__ = "cti_agents"

    extension = db.Column(db.String(20), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, unique=True)
    since = db.Column(UTCDateTime(), nullable=False)

    user = db.relationship("User")
