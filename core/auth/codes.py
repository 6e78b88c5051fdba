"""One-time codes by SMS or email (registration, password reset): expiring, single use, a few tries
each, a few per login and hour, kept only as a keyed hash. Whether or not the login has an account,
a request takes the same path and gets the same answer; only the phone or mailbox learns which."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, update

from core.auth.models import AuthCode
from core.db import unit_of_work
from core.extensions import db

CHANNEL = {"phone": "sms", "email": "email"}


def login_key(value):
    return hashlib.sha256(value.encode()).hexdigest()


def _hash(purpose, key, code):
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{purpose}|{key}|{code}".encode(), hashlib.sha256).hexdigest()


def throttled(purpose, key, now):
    """Codes for this login and purpose already sent AUTH_CODE_PER_HOUR times within the hour."""
    sent = db.session.query(func.count(AuthCode.id)).filter(
        AuthCode.purpose == purpose, AuthCode.login_key == key, AuthCode.created_at > now - timedelta(hours=1)).scalar()
    return sent >= current_app.config["AUTH_CODE_PER_HOUR"]


def add(purpose, key, *, now, payload=None, live=True):
    """A new code row in the current unit of work; returns the code (a dead row when not `live`,
    so that an unknown login costs and counts the same as a known one)."""
    code = f"{secrets.randbelow(10 ** 6):06d}"
    stored = _hash(purpose, key, code) if live else secrets.token_hex(32)
    db.session.add(AuthCode(purpose=purpose, login_key=key, code_hash=stored, payload=payload, created_at=now,
                            expires_at=now + timedelta(minutes=current_app.config["AUTH_CODE_MINUTES"]),
                            attempts=0))
    return code


def context(code):
    return {"code": code, "minutes": current_app.config["AUTH_CODE_MINUTES"]}


def redeem(purpose, key, code, *, now):
    """The newest live code row for the login if `code` is its code, marked used; else None. Each try
    is counted atomically first, so parallel guesses cannot exceed AUTH_CODE_ATTEMPTS."""
    from core.auth.identity import normalize_code
    row = (AuthCode.query.filter(AuthCode.purpose == purpose, AuthCode.login_key == key,
                                 AuthCode.used_at.is_(None), AuthCode.expires_at > now)
           .order_by(AuthCode.created_at.desc(), AuthCode.id.desc()).first())
    if row is None:
        return None
    table = AuthCode.__table__
    with unit_of_work():
        counted = db.session.execute(update(table).where(
            table.c.id == row.id, table.c.used_at.is_(None),
            table.c.attempts < current_app.config["AUTH_CODE_ATTEMPTS"]).values(attempts=table.c.attempts + 1))
    if counted.rowcount != 1 or not hmac.compare_digest(row.code_hash, _hash(purpose, key, normalize_code(code))):
        return None
    with unit_of_work():
        spent = db.session.execute(update(table).where(table.c.id == row.id, table.c.used_at.is_(None))
                                   .values(used_at=now))
    db.session.expire(row)
    return row if spent.rowcount == 1 else None
