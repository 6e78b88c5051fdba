"""One-time codes by SMS or email (registration, password reset): expiring, single use, a few tries
each, kept only as a keyed hash. Whether or not the login has an account, a request takes the same
path and gets the same answer; only the phone or mailbox learns which.

A code belongs to the browser session that asked for it. The session holds a random requester token
(the code row keeps its hash) and only that session can redeem the code:

- registration data (name, password hash) travel with the code row of the session that typed them,
  so a code redeemed in session A creates the account with A's data, never with that of someone who
  asked for the same phone or mailbox later (registration takeover); a second request for the login
  from another session gets a row of its own and changes nothing of the first;
- wrong tries (AUTH_CODE_ATTEMPTS per code) count against the trying session's own code only: a
  stranger guessing cannot burn the owner's code.

Sending is throttled where the asker is, more than where the code goes, so that a stranger cannot use
the limits to keep an owner out of registration or recovery:

- AUTH_CODE_PER_HOUR codes per login and purpose for one session, and as many for one client address
  (a fresh cookie does not buy more);
- AUTH_CODE_ADDRESS_PER_HOUR codes per address over all logins (one host cannot flood many phones);
- AUTH_CODE_LOGIN_PER_HOUR messages per phone or mailbox over all askers and purposes: the ceiling
  against SMS bombing. A stranger with a few addresses can reach it, so it never shuts the owner out:
  beyond it each further code needs a solved captcha (a human's effort per message, which makes bombing
  dear), and the owner who solves it gets a code; a code the owner already holds still works.

Each refused request is told so, with the time of the next possible send: the counts include the
unsent rows of unknown or taken logins, so the answer still says nothing about whether an account
exists. On PostgreSQL requests for one login are serialised by an advisory lock, so parallel requests
cannot overshoot the limits."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, update

from core.auth.models import AuthCode
from core.db import serialise, unit_of_work
from core.errors import ValidationError
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

CHANNEL = {"phone": "sms", "email": "email"}


class TooMany(ValidationError):
    """No code sent: one of the sending limits is reached (the message says until when)."""

    captcha_passes = False  # True when a solved captcha would let this request through


class CeilingReached(TooMany):
    """The per-phone ceiling only: a solved captcha lets the request through."""

    captcha_passes = True


def login_key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_requester() -> str:
    """A random token for a browser session that asks for codes (kept in its session)."""
    return secrets.token_urlsafe(24)


def _requester_key(token: str | None) -> str | None:
    return hashlib.sha256(token.encode()).hexdigest() if token else None


def _address(address: str | None) -> str:
    return (address or "unknown")[:80]


def _hash(purpose: str, key: str, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{purpose}|{key}|{code}".encode(), hashlib.sha256).hexdigest()


def check_limits(purpose: str, key: str, *, requester: str | None, address: str | None, now: datetime,
                 captcha_passed: bool = False) -> None:
    """Raise TooMany when this session, this address or this login has had its codes for the hour (the
    login's ceiling: CeilingReached, unless a captcha was solved). Call inside the unit of work that adds
    the code."""
    from core.calendar.service import local_zone
    serialise("auth-code:" + key)
    cfg = current_app.config
    mine = (AuthCode.purpose == purpose, AuthCode.login_key == key)
    scopes = (
        (mine + (AuthCode.requester == _requester_key(requester),), cfg["AUTH_CODE_PER_HOUR"]),
        (mine + (AuthCode.address == _address(address),), cfg["AUTH_CODE_PER_HOUR"]),
        ((AuthCode.address == _address(address),), cfg["AUTH_CODE_ADDRESS_PER_HOUR"]),
        ((AuthCode.login_key == key,), cfg["AUTH_CODE_LOGIN_PER_HOUR"]),
    )
    for index, (conditions, limit) in enumerate(scopes):
        ceiling = index == len(scopes) - 1
        if ceiling and captcha_passed:
            break
        sent, oldest = db.session.query(func.count(AuthCode.id), func.min(AuthCode.created_at)).filter(
            *conditions, AuthCode.created_at > now - timedelta(hours=1)).one()
        if sent >= limit:
            if ceiling:
                raise CeilingReached("该手机号或邮箱近一小时收到的验证码较多：请填写下方图片验证码后再获取。"
                                     "已收到的验证码在有效期内仍可使用。")
            again = (oldest + timedelta(hours=1)).astimezone(local_zone())
            raise TooMany(f"验证码发送次数过多，请于 {again:%H:%M} 后再获取；已收到的验证码在有效期内仍可使用。"
                          "急需办理的，请拨打 12345 热线。")


def add(purpose: str, key: str, *, now: datetime, requester: str | None, address: str | None,
        payload: dict[str, Any] | None = None, live: bool = True) -> str:
    """A new code row of this requester in the current unit of work; returns the code (a dead row
    when not `live`, so that an unknown login costs and counts the same as a known one)."""
    code = f"{secrets.randbelow(10 ** 6):06d}"
    stored = _hash(purpose, key, code) if live else secrets.token_hex(32)
    db.session.add(AuthCode(purpose=purpose, login_key=key, code_hash=stored, payload=payload, created_at=now,
                            expires_at=now + timedelta(minutes=current_app.config["AUTH_CODE_MINUTES"]),
                            attempts=0, requester=_requester_key(requester), address=_address(address)))
    return code


def context(code: str) -> dict[str, Any]:
    return {"code": code, "minutes": current_app.config["AUTH_CODE_MINUTES"]}


def redeem(purpose: str, key: str, code: str, *, requester: str | None, now: datetime) -> AuthCode | None:
    """This requester's newest live code row for the login if `code` is its code, marked used; else
    None. Codes asked for by other sessions are never considered. Each try is counted atomically
    first, so parallel guesses cannot exceed AUTH_CODE_ATTEMPTS."""
    from core.auth.identity import normalize_code
    if not requester:
        return None
    row = (AuthCode.query.filter(AuthCode.purpose == purpose, AuthCode.login_key == key,
                                 AuthCode.requester == _requester_key(requester),
                                 AuthCode.used_at.is_(None), AuthCode.expires_at > now)
           .order_by(AuthCode.created_at.desc(), AuthCode.id.desc()).first())
    if row is None:
        return None
    table = AuthCode.__table__
    with unit_of_work():
        counted = db.session.execute(update(table).where(
            table.c.id == row.id, table.c.used_at.is_(None),
            table.c.attempts < current_app.config["AUTH_CODE_ATTEMPTS"]).values(attempts=table.c.attempts + 1))
    if counted.rowcount != 1 or not hmac.compare_digest(row.code_hash, _hash(purpose, key, normalize_code(code))):  # type: ignore[attr-defined]
        return None
    with unit_of_work():
        spent = db.session.execute(update(table).where(table.c.id == row.id, table.c.used_at.is_(None))
                                   .values(used_at=now))
    db.session.expire(row)
    return row if spent.rowcount == 1 else None  # type: ignore[attr-defined]
