"""Login throttling the way a bank does it, with nothing that lets a stranger lock an owner out.

- per account: after LOGIN_CAPTCHA_AFTER failures within LOGIN_FAILURE_WINDOW_MINUTES every further
  attempt needs a solved captcha (a human's effort per guess); the owner who solves it and knows the
  password still gets in;
- per client address: after LOGIN_ADDRESS_FREE failures each further failure makes the address wait
  longer (LOGIN_DELAY_BASE_SECONDS doubling up to LOGIN_DELAY_MAX_SECONDS): the guesser slows down,
  not the owner elsewhere.

An account key is a hash of the normalised login whether or not such an account exists, so the
counters, the captcha and the messages are the same for existing and missing accounts. Every attempt
is counted *before* its password is checked, by one atomic upsert (INSERT … ON CONFLICT DO UPDATE SET
failures = failures + 1 … RETURNING), so parallel attempts cannot all slip through the free ones.

A successful login clears its account's count and takes back from the address only the one count its
own attempt added, never a failure: an attacker who alternates wrong passwords for a victim with the
right one for an account of their own still waits after LOGIN_ADDRESS_FREE failures, while an office
behind one address where many log in correctly is never slowed down."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from core.auth.models import LoginThrottle
from core.db import unit_of_work
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any


def account_key(login_value: str) -> str:
    return "acct:" + hashlib.sha256(login_value.encode()).hexdigest()[:64]


def address_key(address: str | None) -> str:
    return "addr:" + (address or "unknown")[:70]


def _insert() -> Any:
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)


def _count(key: str, now: datetime) -> tuple[int, datetime | None]:
    """Count one attempt for `key` atomically; (failures including this one, blocked_until before it)."""
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    table = LoginThrottle.__table__
    stale = table.c.last_failure_at < now - window
    stmt = _insert().values(key=key, failures=1, last_failure_at=now, blocked_until=None)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
        "failures": case((stale, 1), else_=table.c.failures + 1),
        "blocked_until": case((stale, None), else_=table.c.blocked_until),
        "last_failure_at": now,
    }).returning(table.c.failures, table.c.blocked_until)
    failures, blocked_until = db.session.execute(stmt).one()
    return failures, blocked_until


def delay_for(failures: int) -> timedelta | None:
    """The wait after an address's n-th failure: none for the free ones, then doubling, capped."""
    cfg = current_app.config
    over = failures - cfg["LOGIN_ADDRESS_FREE"]
    if over <= 0:
        return None
    return timedelta(seconds=min(cfg["LOGIN_DELAY_BASE_SECONDS"] * 2 ** min(over - 1, 30),
                                 cfg["LOGIN_DELAY_MAX_SECONDS"]))


class Attempt:
    """One login attempt's place in the counters, taken before the password is checked."""

    def __init__(self, login_value: str, address: str | None, now: datetime) -> None:
        self.keys = (account_key(login_value), address_key(address))
        self.now = now
        with unit_of_work():
            self.account_failures, _ = _count(self.keys[0], now)
            self.address_failures, self.blocked_until = _count(self.keys[1], now)

    @property
    def blocked(self) -> datetime | None:
        """The address must still wait (until this time), else None."""
        return self.blocked_until if self.blocked_until and self.blocked_until > self.now else None

    @property
    def needs_captcha(self) -> bool:
        return self.account_failures > current_app.config["LOGIN_CAPTCHA_AFTER"]

    def failed(self) -> None:
        """The password was wrong: the address waits longer from now on."""
        delay = delay_for(self.address_failures)
        if delay is not None:
            table = LoginThrottle.__table__
            with unit_of_work():
                db.session.execute(update(table).where(table.c.key == self.keys[1])
                                   .values(blocked_until=self.now + delay))

    def succeeded(self) -> None:
        """The right password: the account starts afresh; the address loses only the count this
        attempt added (so its count stays its failures, whatever successes come in between)."""
        table = LoginThrottle.__table__
        with unit_of_work():
            db.session.execute(delete(table).where(table.c.key == self.keys[0]))
            db.session.execute(update(table).where(table.c.key == self.keys[1], table.c.failures > 0)
                               .values(failures=table.c.failures - 1))


def address_has_failures(address: str | None, now: datetime) -> bool:
    """Whether the login page should show a captcha right away for this address."""
    row = db.session.get(LoginThrottle, address_key(address))
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    return row is not None and row.last_failure_at >= now - window and \
        row.failures >= current_app.config["LOGIN_CAPTCHA_AFTER"]


def reset_account(login_value: str) -> None:
    """Forget an account's failures (after a password reset by its owner)."""
    db.session.execute(delete(LoginThrottle.__table__).where(LoginThrottle.key == account_key(login_value)))
