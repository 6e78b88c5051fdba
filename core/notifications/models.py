"""The notifications table: the outbox (email, SMS) and the in-app inbox in one."""
from __future__ import annotations

import enum

from sqlalchemy import Index, text

from core.db import UTCDateTime
from core.extensions import db


class Channel(enum.Enum):
    INAPP = "inapp"
    EMAIL = "email"
    SMS = "sms"

    @property
    def label(self) -> str:
        return {"inapp": "站内消息", "email": "邮件", "sms": "短信"}[self.value]


class Status(enum.Enum):
    PENDING = "pending"  # waiting for delivery (or for the next try)
    SENDING = "sending"  # claimed by a delivery job
    SENT = "sent"  # delivered (in-app rows are born sent)
    FAILED = "failed"  # every try failed; staff may resend

    @property
    def label(self) -> str:
        return {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败"}[self.value]


class Notification(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "notifications"

    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    created_at = db.Column(UTCDateTime(), nullable=False)
    event = db.Column(db.String(40), nullable=False)
    channel = db.Column(db.String(10), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    address = db.Column(db.String(254), nullable=True)  # email address or mobile number
    entity_kind = db.Column(db.String(30), nullable=True)
    entity_id = db.Column(db.String(64), nullable=True)
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(10), nullable=False)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime(), nullable=True)
    claimed_at = db.Column(UTCDateTime(), nullable=True)
    sent_at = db.Column(UTCDateTime(), nullable=True)
    last_error = db.Column(db.Text, nullable=True)
    read_at = db.Column(UTCDateTime(), nullable=True)
    dedupe_key = db.Column(db.String(120), nullable=True, unique=True)
    headers = db.Column(db.Text, nullable=True)  # JSON: an e-mail's Message-ID, In-Reply-To, References (threading)

    __table_args__ = (
        db.CheckConstraint("channel IN ('inapp', 'email', 'sms')", name="channel"),
        db.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_notifications_outbox", "next_attempt_at",
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_notifications_claimed", "claimed_at",
              sqlite_where=text("status = 'sending'"), postgresql_where=text("status = 'sending'")),
        Index("ix_notifications_inbox", "user_id", "channel", "read_at"),
        Index("ix_notifications_status_created", "status", "created_at"),
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label
