"""Users, roles and API tokens."""
from __future__ import annotations

import enum
import hashlib

from flask_login import UserMixin

from core.auth import passwords
from core.db import UTCDateTime
from core.extensions import db


class Role(enum.Enum):
    CITIZEN = "citizen"
    OPERATOR = "operator"
    STAFF = "staff"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_staff(self) -> bool:
        return self is not Role.CITIZEN

    @property
    def needs_department(self) -> bool:
        return self in (Role.STAFF, Role.APPROVER)

    @property
    def sees_all_departments(self) -> bool:
        return self in (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


ROLE_LABELS = {
    Role.CITIZEN: "公众",
    Role.OPERATOR: "话务员",
    Role.STAFF: "承办人",
    Role.APPROVER: "部门负责人",
    Role.SUPERVISOR: "督办",
    Role.ADMIN: "系统管理员",
}
STAFF_ROLES = tuple(r for r in Role if r.is_staff)


class User(UserMixin, db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), unique=True, nullable=True)
    phone = db.Column(db.String(20), unique=True, nullable=True)
    name = db.Column(db.String(60), nullable=False, default="")
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.Enum(Role, name="user_role", values_callable=lambda e: [m.value for m in e]),
                     nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Part of the session's user id: raising it (password change, logout) ends every session of the user.
    session_version = db.Column(db.Integer, nullable=False, default=1, server_default="1")
    created_at = db.Column(UTCDateTime(), nullable=False)
    password_changed_at = db.Column(UTCDateTime(), nullable=True)

    department = db.relationship("Department", lazy="joined")

    __table_args__ = (db.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="login_id"),)

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password)

    def check_password(self, password: str) -> bool:
        return passwords.matches(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login keeps this in the session: a session of an older version no longer loads."""
        return f"{self.id}.{self.session_version or 1}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def label(self) -> str:
        return self.name or self.email or self.phone

    @property
    def login_id(self) -> str:
        return self.email or self.phone

    def can_see_department(self, department_id: int) -> bool:
        """Supervisors, operators and admins see every department; staff and approvers only their own."""
        if self.role.sees_all_departments:
            return True
        return self.role.needs_department and self.department_id == department_id


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """A bearer token; only its SHA-256 is stored, so a leaked database leaks no usable token."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    prefix = db.Column(db.String(12), nullable=False)
    label = db.Column(db.String(80), nullable=False, default="")
    created_at = db.Column(UTCDateTime(), nullable=False)
    last_used_at = db.Column(UTCDateTime(), nullable=True)
    revoked_at = db.Column(UTCDateTime(), nullable=True)

    user = db.relationship("User")


class LoginThrottle(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """Recent failed logins per key: 'acct:' + a hash of the normalised login (whether or not such an
    account exists) and 'addr:' + a client address. Counted with one atomic upsert per attempt."""

    __tablename__ = "login_throttles"

    key = db.Column(db.String(80), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    last_failure_at = db.Column(UTCDateTime(), nullable=False)
    blocked_until = db.Column(UTCDateTime(), nullable=True)


class AuthCode(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """A one-time code sent by SMS or email (registration, password reset); only its hash is kept. It
    belongs to the browser session that asked for it (core/auth/codes.py)."""

    __tablename__ = "auth_codes"

    id = db.Column(db.Integer, primary_key=True)
    purpose = db.Column(db.String(20), nullable=False)
    login_key = db.Column(db.String(64), nullable=False)  # hash of the normalised login
    code_hash = db.Column(db.String(64), nullable=False)
    payload = db.Column(db.JSON, nullable=True)  # registration: the name and the password's hash
    created_at = db.Column(UTCDateTime(), nullable=False)
    expires_at = db.Column(UTCDateTime(), nullable=False)
    used_at = db.Column(UTCDateTime(), nullable=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)  # wrong tries, all from its own session
    requester = db.Column(db.String(64), nullable=True)  # hash of the asking browser session's token
    address = db.Column(db.String(80), nullable=True)  # the asking client address (send throttling)

    __table_args__ = (db.Index("ix_auth_codes_login", "purpose", "login_key", "created_at"),
                      db.Index("ix_auth_codes_address", "address", "created_at"))


class LookupCode(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    """The access code of a disclosure application or a ticket for the status look-up (its hash)."""

    __tablename__ = "lookup_codes"

    entity_kind = db.Column(db.String(30), primary_key=True)
    entity_id = db.Column(db.Integer, primary_key=True)
    code_hash = db.Column(db.String(64), nullable=False)
    created_at = db.Column(UTCDateTime(), nullable=False)
