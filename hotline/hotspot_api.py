"""热点预警 in the JSON API (/api/v1/tickets/hotspots): the pages' list, one hot spot with its tickets, and the
one-click 合并办理 and 联合派单 — the same services and access rules as /hotline/hotspots (supervisors, admins)."""
from flask import abort, jsonify, request

from core.api import api_user, json_body
from core.api.openapi import CODE, ID, error_responses, path_id, query, register_paths
from core.auth.guards import roles_required
from core.db import utcnow
from core.departments.service import require_by_code
from core.extensions import db
from hotline import hotspot_actions, hotspot_queries
from hotline.access import HOTSPOT_ROLES
from hotline.api import bp
from hotline.hotspot_models import Hotspot

_H = {"type": "object", "required": ["id", "title", "state"], "properties": {
    "id": ID, "title": {"type": "string"}, "place": {"type": "string"}, "category": {"type": "string"},
    "keywords": {"type": "array", "items": {"type": "string"}}, "tickets": {"type": "integer"},
    "callers": {"type": "integer"}, "state": {"enum": list(hotspot_queries.STATES)},
    "members": {"type": "array", "description": "the hot spot's tickets (one hot spot only)"}}}
_ONE = {"200": {"description": "The hot spot with its tickets", "content": {"application/json": {"schema": _H}}}}
_P = "/tickets/hotspots"


def _action(summary, props, required):
    return {"post": {"summary": summary, "security": [{"bearer": []}], "parameters": [path_id("hotspot_id")],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "properties": props, "required": required, "additionalProperties": False}}}},
                     "responses": {**_ONE, **error_responses(400, 401, 403, 404, 409)}}}


register_paths({
    _P: {"get": {"summary": "热点预警: hot spots (supervisors, admins), the most recently active first",
                 "security": [{"bearer": []}], "parameters": [query("state", {"enum": list(hotspot_queries.FILTERS)})],
                 "responses": {"200": {"description": "Hot spots", "content": {"application/json": {"schema": {
                     "type": "object", "properties": {"items": {"type": "array", "items": _H}}}}}},
                     **error_responses(400, 401, 403)}}},
    _P + "/{hotspot_id}": {"get": {"summary": "One hot spot with its tickets", "security": [{"bearer": []}],
                                   "parameters": [path_id("hotspot_id")],
                                   "responses": {**_ONE, **error_responses(401, 403, 404)}}},
    _P + "/{hotspot_id}/merge": _action(
        "合并办理: the hot spot's open tickets (new, dispatched, signed) close into the master (default: the earliest "
        "open ticket); callers told", {"master": ID}, []),
    _P + "/{hotspot_id}/dispatch": _action(
        "联合派单: the hot spot's new tickets to one lead department with co-handlers (each ticket its own dispatch)",
        {"department": CODE, "co_departments": {"type": "array", "items": CODE, "maxItems": 20}}, ["department"]),
})


def _load(hotspot_id):
    return db.session.get(Hotspot, hotspot_id) or abort(404)


def _out(hotspot, **extra):
    db.session.refresh(hotspot)
    return jsonify({**hotspot_queries.represent(hotspot, hotspot_queries.members(hotspot)), **extra})


@bp.get("/hotspots")
@roles_required(*HOTSPOT_ROLES)
def hotspots():
    return jsonify(items=[hotspot_queries.represent(h) for h in hotspot_queries.listing(request.args.get("state") or "open")])


@bp.get("/hotspots/<int:hotspot_id>")
@roles_required(*HOTSPOT_ROLES)
def hotspot(hotspot_id):
    return _out(_load(hotspot_id))


@bp.post("/hotspots/<int:hotspot_id>/merge")
@roles_required(*HOTSPOT_ROLES)
def hotspot_merge(hotspot_id):
    h = _load(hotspot_id)
    hotspot_actions.merge_hotspot(h, master=json_body().get("master"), now=utcnow(), actor=api_user())
    return _out(h)


@bp.post("/hotspots/<int:hotspot_id>/dispatch")
@roles_required(*HOTSPOT_ROLES)
def hotspot_dispatch(hotspot_id):
    h, data = _load(hotspot_id), json_body()
    lead = require_by_code(data.get("department"), field="department")
    co = [require_by_code(c, field="co_departments") for c in data.get("co_departments") or []]
    _, refused = hotspot_actions.dispatch_hotspot(h, lead, co_departments=co, now=utcnow(), actor=api_user())
    return _out(h, refused=refused)
