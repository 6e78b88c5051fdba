"""JSON API under /api/v1: bearer-token auth, JSON errors, an OpenAPI document."""
from flask import Blueprint, g, jsonify, request

from core.auth.guards import roles_required, staff_required
from core.auth.service import user_for_token
from core.db import utcnow
from core.departments.service import active_departments
from core.extensions import csrf
from core.api.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated; session cookies are not accepted for writes here


@bp.before_request
def _token_auth():
    g.pop("api_user", None)
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(header[7:].strip(), now=utcnow())
        if user is None:
            return jsonify(error={"status": 401, "title": "需要登录", "message": "API 令牌无效或已吊销"}), 401
        g.api_user = user
    elif request.method not in ("GET", "HEAD", "OPTIONS"):
        # CSRF is off for the API, so writes must carry a token rather than ride on a session cookie.
        return jsonify(error={"status": 401, "title": "需要登录", "message": "写操作需要 API 令牌"}), 401


@bp.get("/departments")
def departments():
    """Public: every active department with its contact details."""
    return jsonify(departments=[d.to_public() for d in active_departments()])


@bp.get("/me")
@staff_required
def me():
    """The staff account behind the token."""
    user = g.get("api_user")
    if user is None:
        from flask_login import current_user
        user = current_user
    return jsonify(id=user.id, login=user.login_id, name=user.name, role=user.role.value,
                   department=user.department.code if user.department else None)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


__all__ = ["bp", "roles_required"]
