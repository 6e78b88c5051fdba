"""Account use cases: login with lockout, self-registration, password change, users and tokens."""
import re
import secrets
from datetime import timedelta

from flask import current_app

from core import audit
from core.auth.models import ApiToken, Role, User, hash_token
from core.calendar.service import local_zone
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db

MOBILE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AuthError(DomainError):
    status = 401


def normalize_login(text):
    """('email', value) or ('phone', value) from what the user typed; raises on anything else."""
    value = (text or "").strip()
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if MOBILE.match(digits):
        return "phone", digits
    if EMAIL.match(value) and len(value) <= 254:
        return "email", value.lower()
    raise ValidationError("请输入有效的手机号（11位）或电子邮箱", field="login")


def check_password_rules(password, login=None):
    """At least 8 characters with letters and digits, not the login name itself."""
    if len(password or "") < 8:
        raise ValidationError("密码至少 8 位", field="password")
    if len(password) > 128:
        raise ValidationError("密码最多 128 位", field="password")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError("密码须同时包含字母和数字", field="password")
    if login and password.lower() == login.lower():
        raise ValidationError("密码不能与账号相同", field="password")


def find_user(login):
    kind, value = normalize_login(login)
    return User.query.filter(getattr(User, kind) == value).first()


def authenticate(login, password, *, now):
    """The user for a correct password; repeated failures lock the account for a while."""
    try:
        user = find_user(login)
    except ValidationError:
        user = None
    cfg = current_app.config
    if user is not None and user.locked_until and user.locked_until > now:
        local = user.locked_until.astimezone(local_zone())
        raise AuthError(f"登录失败次数过多，账号已临时锁定，请于 {local:%H:%M} 后再试，或联系管理员解锁。")
    if user is None or not user.active or not user.check_password(password or ""):
        if user is not None and user.active:
            with unit_of_work():
                user.failed_logins += 1
                if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
                    user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
                    user.failed_logins = 0
                    audit.record(now=now, actor="system", entity_kind="user", entity_id=user.id,
                                 action="locked", after={"until": user.locked_until.isoformat()})
        raise AuthError("账号或密码错误。")
    if user.failed_logins or user.locked_until:
        with unit_of_work():
            user.failed_logins, user.locked_until = 0, None
    return user


def register_citizen(login, password, name, *, now):
    """Citizen self-registration with a mobile number or an email address and a password."""
    kind, value = normalize_login(login)
    check_password_rules(password, value)
    if User.query.filter(getattr(User, kind) == value).first():
        raise ValidationError("该手机号或邮箱已注册，请直接登录", field="login")
    with unit_of_work():
        user = User(role=Role.CITIZEN, name=(name or "").strip()[:60], created_at=now, password_changed_at=now)
        setattr(user, kind, value)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        audit.record(now=now, actor=user, entity_kind="user", entity_id=user.id, action="registered",
                     after={"role": "citizen", kind: value})
    return user


def change_password(user, current, new, *, now):
    if not user.check_password(current or ""):
        raise ValidationError("当前密码不正确", field="current")
    if current == new:
        raise ValidationError("新密码不能与当前密码相同", field="password")
    check_password_rules(new, user.login_id)
    with unit_of_work():
        user.set_password(new)
        user.password_changed_at = now
        audit.record(now=now, actor=user, entity_kind="user", entity_id=user.id, action="password_changed")


def create_user(*, login, password, role, now, actor="cli", department=None, name=""):
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
        audit.record(now=now, actor=actor, entity_kind="user", entity_id=user.id, action="created",
                     after={"role": role.value, kind: value,
                            "department": department.code if department else None})
    return user


def set_password(user, password, *, now, actor="cli"):
    """Administrative password reset; also lifts a lockout."""
    check_password_rules(password, user.login_id)
    with unit_of_work():
        user.set_password(password)
        user.password_changed_at = now
        user.failed_logins, user.locked_until = 0, None
        audit.record(now=now, actor=actor, entity_kind="user", entity_id=user.id, action="password_reset")


def create_token(user, *, now, label="", actor="cli"):
    """A new API token; the raw value is returned once and only its hash is kept."""
    if not user.role.is_staff:
        raise ValidationError("只有工作人员账号可以创建 API 令牌")
    raw = "gk_" + secrets.token_urlsafe(32)
    with unit_of_work():
        token = ApiToken(user=user, token_hash=hash_token(raw), prefix=raw[:10], label=label[:80], created_at=now)
        db.session.add(token)
        db.session.flush()
        audit.record(now=now, actor=actor, entity_kind="api_token", entity_id=token.id, action="created",
                     after={"user": user.login_id, "prefix": token.prefix})
    return raw, token


def revoke_token(token, *, now, actor="cli"):
    if token.revoked_at is not None:
        raise ValidationError("该令牌已被吊销")
    with unit_of_work():
        token.revoked_at = now
        audit.record(now=now, actor=actor, entity_kind="api_token", entity_id=token.id, action="revoked")


def user_for_token(raw, *, now):
    """The active user owning a valid, unrevoked token, or None."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.query.filter_by(token_hash=hash_token(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or (now - token.last_used_at) > timedelta(minutes=5):
        with unit_of_work():
            token.last_used_at = now
    return token.user
