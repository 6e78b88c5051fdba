"""Rate limits (Flask-Limiter) on what the public can hammer: login and registration, the public
submission forms, the status look-ups (a tracking number plus an access code must not be guessable by
brute force, nor codes be sent to a phone without end), Open311 submissions and the public search. One table below says which endpoint gets
which budget; the budgets are settings (RATE_LIMIT_*), counted per client address (behind nginx:
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

# endpoint -> (budget name, methods it counts; None = all)
LIMITED = {
    "auth.login": ("login", ["POST"]),
    "auth.register": ("submit", ["POST"]),
    "auth.register_confirm": ("login", ["POST"]),
    "auth.reset": ("submit", ["POST"]),
    "auth.reset_confirm": ("login", ["POST"]),
    "requests.new": ("submit", ["POST"]),
    "hotline_citizen.new": ("submit", ["POST"]),
    "corrections.new": ("submit", ["POST"]),  # Art. 41 correction requests: a citizen's form with uploads
    "open311.create": ("submit", None),
    "requests.lookup": ("lookup", None),
    "hotline_citizen.lookup": ("lookup", None),
    "requests.resend_code": ("lookup", None),
    "hotline_citizen.resend_code": ("lookup", None),
    "public_log.index": ("search", None),
    "log_api.search": ("search", None),
    "main.captcha": ("lookup", None),
}


def _budget(name: str) -> Callable[[], str]:
    return lambda: current_app.config[f"RATE_LIMIT_{name.upper()}"]


def init_limits(app: Flask) -> Limiter:
    """A limiter for this application, wrapping the endpoints of LIMITED (each budget shared by its
    endpoints: one address gets one submission budget for all public forms)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True, in_memory_fallback_enabled=True,
                      key_prefix="gk-limits")
    app.extensions["gk_limiter"] = limiter  # Flask-Limiter holds itself weakly: keep it alive with the app
    for endpoint, (name, methods) in LIMITED.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.shared_limit(  # type: ignore[assignment]
            _budget(name), scope=name, methods=methods)(view)
    return limiter
