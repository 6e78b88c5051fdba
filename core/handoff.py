"""One-use, expiring hand-over tokens between the packages that must not import each other (DESIGN §5):
e.g. a 12345 call that is really a request for government information becomes a prefilled 依申请公开
application form. The payload (the caller's data) stays on the server; only the random token travels in
the link, so no personal data is ever put in a URL. The token is spent when the form is submitted, and the
payload is then wiped; an expired token's payload is never shown."""
from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app, has_app_context

from core.db import UTCDateTime
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

DISCLOSURE_APPLICATION = "disclosure_application"
TOKEN_BYTES = 24


class Handoff(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "handoffs"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), nullable=False, unique=True)
    purpose = db.Column(db.String(40), nullable=False)
    source_kind = db.Column(db.String(20), nullable=False)  # e.g. "ticket"
    source_id = db.Column(db.String(40), nullable=False)
    payload = db.Column(db.Text, nullable=False, default="{}")  # JSON; wiped ("{}") once used
    created_at = db.Column(UTCDateTime(), nullable=False)
    expires_at = db.Column(UTCDateTime(), nullable=False)
    used_at = db.Column(UTCDateTime(), nullable=True)
    used_ref = db.Column(db.String(40), nullable=True)  # what it became (e.g. the application's number)

    __table_args__ = (db.Index("ix_handoffs_source", "source_kind", "source_id"),)

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


def valid_days() -> int:
    return current_app.config.get("HANDOFF_VALID_DAYS", 30) if has_app_context() else 30


def issue(purpose: str, payload: dict[str, Any], *, source: tuple[str, int | str], now: datetime) -> Handoff:
    """Inside the caller's unit of work: a new token for `payload`, valid HANDOFF_VALID_DAYS days."""
    kind, ident = source
    row = Handoff(token=secrets.token_urlsafe(TOKEN_BYTES), purpose=purpose, source_kind=kind, source_id=str(ident),
                  payload=json.dumps(payload, ensure_ascii=False), created_at=now,
                  expires_at=now + timedelta(days=valid_days()))
    db.session.add(row)
    return row


def _find(token: str | None, purpose: str) -> Handoff | None:
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return Handoff.query.filter_by(token=token, purpose=purpose).first()


def peek(token: str | None, purpose: str, *, now: datetime) -> dict[str, Any] | None:
    """The payload of a usable token (None when unknown, used or expired); does not spend it."""
    row = _find(token, purpose)
    if row is None or not row.usable(now):
        return None
    return json.loads(row.payload or "{}")


def spend(token: str | None, purpose: str, *, now: datetime, ref: str | None = None) -> bool:
    """Inside the caller's unit of work: mark the token used and wipe its payload; False if it was not usable."""
    row = _find(token, purpose)
    if row is None or not row.usable(now):
        return False
    row.used_at, row.used_ref, row.payload = now, (str(ref)[:40] if ref else None), "{}"
    return True


def for_source(kind: str, ident: int | str, purpose: str) -> Handoff | None:
    """The newest hand-over issued from that source (e.g. to show its link on the ticket page)."""
    return (Handoff.query.filter_by(source_kind=kind, source_id=str(ident), purpose=purpose)
            .order_by(Handoff.id.desc()).first())
