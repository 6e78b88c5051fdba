"""JSON API under /api/v1: bearer-token auth, JSON errors, an OpenAPI document."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask import Blueprint, g, jsonify, request

from core.api.openapi import openapi_document
from core.api.validation import checked_body, validate_request
from core.auth.guards import roles_required, staff_required
from core.auth.service import user_for_token
from core.db import utcnow
from core.departments.service import active_departments
from core.extensions import csrf
from core.idempotency import idempotent

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

    from core.auth.models import User


def _token_auth() -> ResponseReturnValue | None:
    g.pop("api_user", None)
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(header[7:].strip(), now=utcnow())
        if user is None:
            return jsonify(error="unauthorized", message="API 令牌无效或已吊销"), 401
        g.api_user = user
    elif request.method not in ("GET", "HEAD", "OPTIONS"):
        # CSRF is off for the API, so writes must carry a token rather than ride on a session cookie.
        return jsonify(error="unauthorized", message="写操作需要 API 令牌"), 401
    return None


def json_body() -> dict[str, Any]:
    """The request's JSON object as core.api.validation checked it against the OpenAPI document."""
    return checked_body()


class ApiBlueprint(Blueprint):
    """Every POST of the JSON API runs once per Idempotency-Key of its caller (core/idempotency.py)."""

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Any = None,
                     provide_automatic_options: bool | None = None, **options: Any) -> None:
        if view_func is not None and "POST" in (options.get("methods") or ()):
            view_func = idempotent()(view_func)
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)


def make_api_blueprint(name: str, import_name: str, url_prefix: str) -> Blueprint:
    """A blueprint of the JSON API: bearer-token auth, no CSRF (no cookie writes), JSON errors, POSTs safe to
    retry with an Idempotency-Key."""
    blueprint = ApiBlueprint(name, import_name, url_prefix=url_prefix)
    csrf.exempt(blueprint)
    blueprint.before_request(_token_auth)
    blueprint.before_request(validate_request)  # after auth: callers without a token learn nothing
    return blueprint


def api_user() -> User | None:
    """The token's user, else the session user (for GETs from the browser)."""
    from flask_login import current_user
    return g.get("api_user") or (current_user if current_user.is_authenticated else None)


bp = make_api_blueprint("api", __name__, "/api/v1")


@bp.get("/departments")
def departments() -> ResponseReturnValue:
    """Public: every active department with its contact details."""
    return jsonify(departments=[d.to_public() for d in active_departments()])


@bp.get("/me")
@staff_required
def me() -> ResponseReturnValue:
    """The staff account behind the token."""
    user = cast("User", api_user())  # staff_required let only a signed-in staff user through
    return jsonify(id=user.id, login=user.login_id, name=user.name, role=user.role.value,
                   department=user.department.code if user.department else None)


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


__all__ = ["bp", "roles_required"]
