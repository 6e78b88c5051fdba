"""Written intake (issue 20 item 2): every inbound e-mail and SMS stored raw before anything else, the
attachments it carried (accepted or refused), and each ticket's conversation with the citizen — by e-mail (its
token and its messages) or by SMS (the citizen's number and its messages)."""
from core.db import UTCDateTime
from core.extensions import db


class InboundMessage(db.Model):
    """One message as it arrived; `status` says what became of it (hotline.mail_intake.STATUS)."""

    __tablename__ = "inbound_messages"

    id = db.Column(db.Integer, primary_key=True)
    channel = db.Column(db.String(6), nullable=False)  # email | sms
    received_at = db.Column(UTCDateTime(), nullable=False, index=True)
    raw = db.Column(db.LargeBinary(), nullable=True)  # the whole message as received (e-mail: the DATA)
    envelope_from = db.Column(db.String(254), nullable=False, default="")
    envelope_to = db.Column(db.String(1000), nullable=False, default="")
    external_id = db.Column(db.String(255), nullable=True)  # the Message-ID / the gateway's message id
    sender = db.Column(db.String(254), nullable=False, default="", index=True)  # address or mobile number
    sender_name = db.Column(db.String(120), nullable=False, default="")
    subject = db.Column(db.String(255), nullable=False, default="")
    body = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(10), nullable=False, index=True)
    note = db.Column(db.Text, nullable=True)  # why ignored / invalid / failed; a bounce's diagnostic
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=True, index=True)
    decided_at = db.Column(UTCDateTime(), nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    attachments = db.relationship("InboundAttachment", order_by="InboundAttachment.id", lazy="selectin")

    __table_args__ = (
        db.UniqueConstraint("channel", "external_id", name="uq_inbound_external"),  # a re-delivery is one message
        db.CheckConstraint("channel IN ('email', 'sms')", name="inbound_channel"),
    )


class InboundAttachment(db.Model):
    """An attachment: stored when core.uploads accepts it, else recorded with the refusal (never dropped)."""

    __tablename__ = "inbound_attachments"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.Integer, db.ForeignKey("inbound_messages.id"), nullable=False, index=True)
    filename = db.Column(db.String(200), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    content_type = db.Column(db.String(100), nullable=True)  # sniffed by content
    sha256 = db.Column(db.String(64), nullable=True)
    stored_name = db.Column(db.String(64), nullable=True)
    refused = db.Column(db.Text, nullable=True)  # the Chinese reason when refused


class MailThread(db.Model):
    """A ticket's conversation with the citizen, started by the message it was converted from: by e-mail (the
    unguessable part of its subject token and the citizen's address) or by SMS (the citizen's number; no token —
    hotline/sms_thread.py threads by number and time)."""

    __tablename__ = "ticket_mail_threads"

    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), primary_key=True)
    channel = db.Column(db.String(5), nullable=False, default="email", server_default="email")  # email | sms
    secret = db.Column(db.String(16), nullable=False)  # "" for SMS
    address = db.Column(db.String(254), nullable=False, index=True)

    __table_args__ = (db.CheckConstraint("channel IN ('email', 'sms')", name="thread_channel"),)

    @classmethod
    def of(cls, ticket_id: int, channel: str) -> "MailThread | None":
        """The ticket's conversation when it is on `channel`, else None."""
        thread = db.session.get(cls, ticket_id)
        return thread if thread is not None and thread.channel == channel else None


class TicketMail(db.Model):
    """One message of a ticket's conversation: in (the citizen's mail or SMS) or out (the operator's reply)."""

    __tablename__ = "ticket_mails"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("tickets.id"), nullable=False, index=True)
    channel = db.Column(db.String(5), nullable=False, default="email", server_default="email")  # email | sms
    direction = db.Column(db.String(3), nullable=False)  # in | out
    at = db.Column(UTCDateTime(), nullable=False)
    address = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body = db.Column(db.Text, nullable=False)
    header_id = db.Column(db.String(255), nullable=True, index=True)  # its Message-ID
    inbound_id = db.Column(db.Integer, db.ForeignKey("inbound_messages.id"), nullable=True)
    notification_id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"),
                                db.ForeignKey("notifications.id"), nullable=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    bounced_at = db.Column(UTCDateTime(), nullable=True)  # a delivery-status report came back (RFC 3464)
    bounce_note = db.Column(db.Text, nullable=True)

    __table_args__ = (db.CheckConstraint("direction IN ('in', 'out')", name="mail_direction"),
                      db.CheckConstraint("channel IN ('email', 'sms')", name="mail_channel"))
