"""Account use cases: login with throttling, password change, logout, users and tokens (self-registration
and password reset: core/auth/recovery.py)."""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from core import audit
from core.auth import identity, passwords, throttle
from core.auth.identity import check_password_rules, normalize_login, try_login
from core.auth.models import ApiToken, Role, User, hash_token
from core.calendar.service import local_zone
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime

    from core.audit import Actor
    from core.departments.models import Department

WRONG = "账号或密码错误。"
NEEDS_CAPTCHA = "为保护账号安全，请先填写图中的验证码再提交。"


class AuthError(DomainError):
    status = 401


class CaptchaRequired(AuthError):
    """This login has failed often: the next attempt needs a solved captcha."""


def find_user(login: str) -> User | None:
    kind, value = normalize_login(login)
    return User.query.filter(getattr(User, kind) == value).first()


def _password_matches(user: User | None, login_value: str, password: str, *, now: datetime, address: str | None,
                      captcha_passed: bool) -> bool:
    """The one throttled password check (login page and password change): counted per account and
    address before the slow hash (core/auth/throttle.py); raises AuthError while the address must
    wait and CaptchaRequired when the account needs a captcha; else whether the password is right."""
    attempt = throttle.Attempt(login_value, address, now)  # committed before the slow hash: parallel tries see it
    if attempt.blocked:
        local = attempt.blocked.astimezone(local_zone())
        raise AuthError(f"登录尝试过于频繁，请于 {local:%H:%M:%S} 后再试。")
    if attempt.needs_captcha and not captcha_passed:
        raise CaptchaRequired(NEEDS_CAPTCHA)
    matched = passwords.matches(user.password_hash if user is not None else passwords.dummy_hash(), password or "")
    if user is None or not user.active or not matched:
        attempt.failed()
        current_app.logger.info("password check failed (account failures %s, address failures %s)",
                                attempt.account_failures, attempt.address_failures)
        return False
    attempt.succeeded()
    return True


def authenticate(login: str, password: str, *, now: datetime, address: str | None = None,
                 captcha_passed: bool = False) -> User:
    """The user for a correct password. Unknown and known accounts take the same path and time (a
    missing one is checked against a dummy hash) and get the same messages; see core/auth/throttle.py."""
    parsed = try_login(login)
    value = parsed[1] if parsed else identity.nfkc(login)[:254].lower()
    user = User.query.filter(getattr(User, parsed[0]) == value).first() if parsed else None
    if not _password_matches(user, value, password, now=now, address=address, captcha_passed=captcha_passed):
        raise AuthError(WRONG)
    return user  # type: ignore[return-value]  # a match means the account exists


def change_password(user: User, current: str, new: str, *, now: datetime, address: str | None = None,
                    captcha_passed: bool = False) -> None:
    """The current password is checked with the login's throttling (same counts, captcha and waits)."""
    if not _password_matches(user, user.login_id, current, now=now, address=address,
                             captcha_passed=captcha_passed):
        raise ValidationError("当前密码不正确", field="current")
    if current == new:
        raise ValidationError("新密码不能与当前密码相同", field="password")
    check_password_rules(new, user.login_id)
    with unit_of_work():
        user.set_password(new)
        user.password_changed_at = now
        user.session_version = (user.session_version or 1) + 1  # every other session of the user ends
        audit.log_change(now=now, actor=user, entity_kind="user", entity_id=user.id, action="password_changed")


def end_sessions(user: User, *, now: datetime) -> None:
    """Logout: the session version moves on, so no copy of an old session cookie works again."""
    with unit_of_work():
        db.session.execute(update(User).where(User.id == user.id)
                           .values(session_version=User.session_version + 1))
        audit.log_change(now=now, actor=user, entity_kind="user", entity_id=user.id, action="logged_out")


def create_user(*, login: str, password: str, role: Role | str, now: datetime, actor: Actor = "cli",
                department: Department | None = None, name: str = "") -> User:
    """Create an account of any role; staff and approvers must name their department."""
    kind, value = normalize_login(login)
    try:
        role = Role(role) if not isinstance(role, Role) else role
    except ValueError:
        raise ValidationError(f"未知角色 {role!r}，可选：{', '.join(r.value for r in Role)}") from None
    if role.needs_department and department is None:
        raise ValidationError(f"{role.label}必须属于一个部门（--department 部门代码）")
    check_password_rules(password, value)
    if User.query.filter(getattr(User, kind) == value).first():
        raise ValidationError(f"账号 {value} 已存在")
    with unit_of_work():
        user = User(role=role, name=name[:60], department=department, created_at=now, password_changed_at=now)
        setattr(user, kind, value)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind="user", entity_id=user.id, action="created",
                     after={"role": role.value, kind: value,
                            "department": department.code if department else None})
    return user


def set_password(user: User, password: str, *, now: datetime, actor: Actor = "cli") -> None:
    """Administrative password reset; ends the user's sessions and forgets the account's failures."""
    check_password_rules(password, user.login_id)
    with unit_of_work():
        user.set_password(password)
        user.password_changed_at = now
        user.session_version = (user.session_version or 1) + 1
        throttle.reset_account(user.login_id)
        audit.log_change(now=now, actor=actor, entity_kind="user", entity_id=user.id, action="password_reset")


def create_token(user: User, *, now: datetime, label: str = "", actor: Actor = "cli") -> tuple[str, ApiToken]:
    """A new API token; the raw value is returned once and only its hash is kept."""
    if not user.role.is_staff:
        raise ValidationError("只有工作人员账号可以创建 API 令牌")
    raw = "gk_" + secrets.token_urlsafe(32)
    with unit_of_work():
        token = ApiToken(user=user, token_hash=hash_token(raw), prefix=raw[:10], label=label[:80], created_at=now)
        db.session.add(token)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind="api_token", entity_id=token.id, action="created",
                     after={"user": user.login_id, "prefix": token.prefix})
    return raw, token


def revoke_token(token: ApiToken, *, now: datetime, actor: Actor = "cli") -> None:
    if token.revoked_at is not None:
        raise ValidationError("该令牌已被吊销")
    with unit_of_work():
        token.revoked_at = now
        audit.log_change(now=now, actor=actor, entity_kind="api_token", entity_id=token.id, action="revoked")


def user_for_token(raw: str | None, *, now: datetime) -> User | None:
    """The active user owning a valid, unrevoked token, or None."""
    if not raw or len(raw) > 200:
        return None
    # the owner in the same SELECT: every API request asks for both (one round trip, not two)
    owner = joinedload(ApiToken.user)  # type: ignore[arg-type]  # db.relationship is typed as the property, not the attribute
    token = ApiToken.query.options(owner).filter_by(token_hash=hash_token(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or (now - token.last_used_at) > timedelta(minutes=5):
        with unit_of_work():
            token.last_used_at = now
    return token.user
