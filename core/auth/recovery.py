"""Self-registration and password reset by a code sent to the phone or mailbox (issue 14).

Registration answers the same whether or not the login is taken: a free login gets a code that
completes the registration; a taken one gets no code, but its owner a notice that someone tried to
register it (with the way to reset a forgotten password). So neither the page nor a later login
attempt tells a stranger whether an account exists — only the owner of the phone or mailbox learns it.
A reset request likewise answers the same for every login; a code goes out only to an existing,
active account.

Every code belongs to the browser session that asked for it (`requester`, a random token kept in that
session) and can be redeemed only there; the registration data travel with that session's code. Why,
and how sending is throttled per session, address and login: core/auth/codes.py."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from core import audit
from core.auth import codes, passwords, throttle
from core.auth.identity import check_password_rules, normalize_login
from core.auth.models import Role, User
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.notifications.service import notify

if TYPE_CHECKING:
    from datetime import datetime

BAD_CODE = "验证码不正确或已过期，请重新获取"


def _user(kind: str, value: str) -> User | None:
    return User.query.filter(getattr(User, kind) == value).first()


def start_registration(login: str, password: str, name: str, *, requester: str | None, address: str | None,
                       now: datetime, captcha_passed: bool = False) -> None:
    """Step 1: check the input, then send a code (free login) or a notice to the owner (taken login).
    The name and password hash are kept with this requester's code only; raises codes.TooMany."""
    kind, value = normalize_login(login)
    check_password_rules(password, value)
    key = codes.login_key(value)
    payload = {"name": (name or "").strip()[:60], "password_hash": passwords.hash_password(password)}
    existing = _user(kind, value)
    with unit_of_work():
        codes.check_limits("register", key, requester=requester, address=address, now=now,
                           captcha_passed=captcha_passed)
        code = codes.add("register", key, now=now, requester=requester, address=address, payload=payload,
                         live=existing is None)
        event, ctx = ("account_exists", {}) if existing else ("auth_code_register", codes.context(code))
        notify(event, now=now, address=value, channels=(codes.CHANNEL[kind],), context=ctx)


def complete_registration(login: str, code: str, *, requester: str | None, now: datetime) -> User:
    """Step 2: the right code of this requester creates the citizen account with the data typed in this
    requester's session; every failure gets one message."""
    kind, value = normalize_login(login)
    row = codes.redeem("register", codes.login_key(value), code, requester=requester, now=now)
    if row is None or not row.payload:
        raise ValidationError(BAD_CODE, field="code")
    try:
        with unit_of_work():
            user = User(role=Role.CITIZEN, name=row.payload["name"], created_at=now, password_changed_at=now,
                        password_hash=row.payload["password_hash"])
            setattr(user, kind, value)
            db.session.add(user)
            db.session.flush()
            audit.log_change(now=now, actor=user, entity_kind="user", entity_id=user.id, action="registered",
                         after={"role": "citizen", kind: value})
    except IntegrityError:  # registered in the meantime by someone who proved the same phone/mailbox
        raise ValidationError(BAD_CODE, field="code") from None
    return user


def start_reset(login: str, *, requester: str | None, address: str | None, now: datetime,
                captcha_passed: bool = False) -> None:
    """Send a reset code to an existing, active account's phone or mailbox; the same answer otherwise
    (raises codes.TooMany alike)."""
    kind, value = normalize_login(login)
    key = codes.login_key(value)
    user = _user(kind, value)
    live = user is not None and user.active
    with unit_of_work():
        codes.check_limits("reset", key, requester=requester, address=address, now=now,
                           captcha_passed=captcha_passed)
        code = codes.add("reset", key, now=now, requester=requester, address=address, live=live)
        if live:
            notify("auth_code_reset", now=now, address=value, channels=(codes.CHANNEL[kind],),
                   context=codes.context(code))


def complete_reset(login: str, code: str, password: str, *, requester: str | None, now: datetime) -> User:
    """The right code sets the new password, ends every session and clears the login's failures."""
    kind, value = normalize_login(login)
    check_password_rules(password, value)
    user = _user(kind, value)
    if codes.redeem("reset", codes.login_key(value), code, requester=requester, now=now) is None or user is None or not user.active:
        raise ValidationError(BAD_CODE, field="code")
    with unit_of_work():
        user.set_password(password)
        user.password_changed_at = now
        user.session_version = (user.session_version or 1) + 1
        throttle.reset_account(value)
        audit.log_change(now=now, actor=user, entity_kind="user", entity_id=user.id, action="password_reset_by_code")
    return user
