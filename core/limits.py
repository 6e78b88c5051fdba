"""Rate limits (Flask-Limiter) on what the public can hammer: login and registration, the public
submission forms, the status look-ups (a tracking number plus an access code must not be guessable by
brute force, nor codes be sent to a phone without end), Open311 submissions and the public search. Which
endpoint gets which budget: core's own in CORE_LIMITS below, each workflow's handed in by its `init_app`
with `register_limit` (`limited(app)` lists them all); the budgets are settings (RATE_LIMIT_*), counted per client address (behind nginx:
PROXY_COUNT=1), in Redis when REDIS_URL is set — shared by every web process — else in memory.
If Redis is unreachable the counting falls back to memory rather than failing the request.
Beyond a budget the answer is 429 with a Chinese page (or JSON under /api/) and Retry-After."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

Limit = tuple[str, list[str] | None]  # (budget name: login, submit, lookup or search; methods it counts, None = all)

# core's own endpoints -> Limit
CORE_LIMITS: dict[str, Limit] = {
    "auth.login": ("login", ["POST"]),
    "auth.register": ("submit", ["POST"]),
    "auth.register_confirm": ("login", ["POST"]),
    "auth.reset": ("submit", ["POST"]),
    "auth.reset_confirm": ("login", ["POST"]),
    "main.captcha": ("lookup", None),
}


def register_limit(app: Flask, endpoint: str, budget: str, methods: list[str] | None = None) -> None:
    """Count `endpoint` (its `methods`; None = all) against the `budget` (RATE_LIMIT_<BUDGET>) of this
    application. Call before init_limits; registering an endpoint again replaces its limit."""
    app.extensions.setdefault("gk_limits", {})[endpoint] = (budget, methods)


def limited(app: Flask) -> dict[str, Limit]:
    """Every rate-limited endpoint of this application -> its Limit."""
    return {**CORE_LIMITS, **app.extensions.get("gk_limits", {})}


def _budget(name: str) -> Callable[[], str]:
    return lambda: current_app.config[f"RATE_LIMIT_{name.upper()}"]


def init_limits(app: Flask) -> Limiter:
    """A limiter for this application, wrapping the endpoints of limited(app) (each budget shared by its
    endpoints: one address gets one submission budget for all public forms)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True, in_memory_fallback_enabled=True,
                      key_prefix="gk-limits")
    app.extensions["gk_limiter"] = limiter  # Flask-Limiter holds itself weakly: keep it alive with the app
    for endpoint, (name, methods) in limited(app).items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.shared_limit(  # type: ignore[assignment]
            _budget(name), scope=name, methods=methods)(view)
    return limiter
