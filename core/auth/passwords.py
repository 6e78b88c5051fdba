"""Password hashes: the one place that chooses the method and its cost.

Production keeps werkzeug's scrypt (n=2**15, r=8, p=1; `PASSWORD_HASH_METHOD` in config.py). The test
configuration sets a cheap PBKDF2, so that the thousands of accounts the suite creates do not spend minutes
hashing; a stored hash names its own method, so checking works whatever made it."""
from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"
_dummies: dict[str, str] = {}


def method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_METHOD) if has_app_context() else DEFAULT_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=method())


def matches(stored: str, password: str) -> bool:
    return check_password_hash(stored, password)


def dummy_hash() -> str:
    """A hash of a random secret, of the same method and cost as real ones: a login for a missing account
    spends the same time as one for an existing account."""
    chosen = method()
    if chosen not in _dummies:
        _dummies[chosen] = generate_password_hash(secrets.token_hex(16), method=chosen)
    return _dummies[chosen]
