"""Security headers on every response: a Content-Security-Policy that allows no inline script or
style and nothing from other origins, no framing, no MIME sniffing, same-origin referrers; HSTS where
the session cookie is secure (production, behind TLS); and `Cache-Control: no-store` on everything that
may carry personal data (`no_store`)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import request

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap draws a few icons as data: SVG
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

_ORIGIN = re.compile(r"https?://(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?")


def policy_with_images(policy: str, *origins: str) -> str:
    """`policy` whose img-src also allows `origins` (a map page's tile server), each a plain scheme://host[:port]
    (a leading *. for a server's numbered hosts); anything else is left out, so a setting cannot add other
    directives to the header."""
    extra = [o for o in origins if _ORIGIN.fullmatch(o)]
    if not extra:
        return policy
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    found = [i for i, p in enumerate(parts) if p.split()[0] == "img-src"]
    if found:
        parts[found[0]] = " ".join([parts[found[0]], *extra])
    else:
        parts.append(" ".join(["img-src", "'self'", *extra]))
    return "; ".join(parts)


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Pages and API reads that show only published, reviewed or reference data: core's own below, each
# workflow's handed in by its `init_app` (register_public_endpoints). Everything else (staff and citizen
# pages, look-ups, forms that hold a session's CSRF token, downloads, errors, every other API answer,
# any route added later) is never stored by a browser or proxy.
CORE_PUBLIC_ENDPOINTS = frozenset({"main.home", "api.departments", "api.openapi"})


def register_public_endpoints(app: Flask, *endpoints: str) -> None:
    """Mark endpoints of this application as public (cacheable for anonymous visitors); idempotent."""
    app.extensions.setdefault("gk_public_endpoints", set()).update(endpoints)


def public_endpoints(app: Flask) -> frozenset[str]:
    """Every public endpoint of this application."""
    return CORE_PUBLIC_ENDPOINTS | app.extensions.get("gk_public_endpoints", set())


def no_store(endpoint: str | None, public: Collection[str], signed_in: Callable[[], bool]) -> bool:
    """The one caching rule: no-store except static files, and `public` pages seen by anonymous visitors
    (signed in, even a public page shows the user's name in its header). `signed_in` is asked only
    when it matters, so a static file never loads the user."""
    if endpoint == "static":
        return False
    return endpoint not in public or signed_in()


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", app.config.get("CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY))
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        from flask_login import current_user
        if no_store(request.endpoint, public_endpoints(app),
                    lambda: bool(current_user and current_user.is_authenticated)):
            headers["Cache-Control"] = "no-store"
        return response
