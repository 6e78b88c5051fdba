"""POST /api/v1/cti: the telephone system's call events (Zammad's generic CTI shape; hotline/cti.py), authenticated
by the PBX's own token (config CTI_TOKENS) in the X-CTI-Token header or the `token` query parameter — never a
session or a staff bearer token. Answers: 200 {"call", "status", "changed"}; 400 bad event (fields named); 401
no or wrong token; 409 an answer after the hangup."""
from flask import Blueprint, current_app, jsonify, request

from core.api.openapi import error_responses, register_paths, text
from core.db import keep_written, utcnow
from core.errors import error_response
from core.extensions import csrf
from hotline import cti

bp = Blueprint("cti", __name__, url_prefix="/api/v1/cti")
csrf.exempt(bp)  # no cookie can drive it: the PBX's token is the only credential


def _body():
    """The event as a mapping: the JSON object, or the form's fields (a repeated field, as user[], as a list)."""
    if request.is_json:
        return request.get_json(silent=True)
    return {k: (v if len(v) > 1 or k.endswith("[]") else v[0]) for k, v in request.form.lists()}


@bp.post("")
def event():
    token = request.headers.get("X-CTI-Token") or request.args.get("token")
    pbx = cti.pbx_for_token(token, current_app.config["CTI_TOKENS"])
    if pbx is None:
        return error_response(401, "CTI 令牌无效或未配置，请联系管理员")
    data = _body()
    if data is None:
        return error_response(400, "请求体应为 JSON 对象或表单")
    with keep_written():  # the answer from the call as written, not read back (core/db.py)
        recorded = cti.record_event(cti.read_event(data), pbx=pbx, now=utcnow())  # DomainError: 400 / 409
        return jsonify(call=recorded.call.id, status=recorded.call.status, changed=recorded.changed)


_NUMBER = {**text(40), "description": "a phone number, or anonymous"}
_EVENT = {"type": "object", "properties": {
    "event": {"enum": list(cti.EVENTS)}, "callId": text(250), "direction": {"enum": ["in", "out"]},
    "from": _NUMBER, "to": _NUMBER,
    "user": {"type": "array", "items": text(20), "maxItems": 20,
             "description": "the extensions rung (newCall) or answering (answer); form fields user[]"},
    "answeringNumber": {**text(20), "description": "the extension that answered"},
    "queue": text(60), "cause": {**text(30), "description": "hangup: normalClearing, busy, cancel, noAnswer, …"}},
    "required": ["event", "callId"]}
register_paths({"/cti": {"post": {
    "summary": "A call event of the telephone system (newCall, answer, hangup) in Zammad's generic CTI shape",
    "security": [],
    "parameters": [{"name": "X-CTI-Token", "in": "header", "required": False, "schema": text(200),
                    "description": "the PBX's CTI token (CTI_TOKENS); or the query parameter token"},
                   {"name": "token", "in": "query", "required": False, "schema": text(200)}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": _EVENT},
                                                  "application/x-www-form-urlencoded": {"schema": _EVENT}}},
    "responses": {"200": {"description": "Recorded (changed false: a repeated or late event)",
                          "content": {"application/json": {"schema": {"type": "object", "properties": {
                              "call": {"type": "integer"}, "status": {"enum": [s.value for s in cti.CallState]},
                              "changed": {"type": "boolean"}}}}}},
                  **error_responses(400, 401, 409)}}}})
