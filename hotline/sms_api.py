"""POST /api/v1/sms/inbound: the SMS gateway's webhook (form or JSON: from, text, received_at, id) into the
待受理 inbox, or onto the ticket it answers (hotline/sms_thread.py). The gateway proves itself with the shared
secret SMS_WEBHOOK_TOKEN in X-SMS-Token (compared in constant time); a repeated message id answers as the first
time and adds nothing."""
import hmac

from flask import Blueprint, current_app, jsonify, request

from core.api.openapi import body, error_responses, register_paths, text
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import csrf
from hotline import mail_intake

bp = Blueprint("sms_api", __name__, url_prefix="/api/v1/sms")
csrf.exempt(bp)  # no session: the shared secret is the credential
register_paths({"/sms/inbound": {"post": {
    "summary": "短信网关推送上行短信（共享密钥 X-SMS-Token）", "tags": ["sms"], "security": [],
    "requestBody": body({"from": text(20), "text": text(1000), "received_at": {"type": "string", "format": "date-time"},
                         "id": text(100)}, required=["from", "text"]),
    "responses": {"201": {"description": "已收到，进入待受理或并入所回复的工单"},
                  "200": {"description": "重复的短信编号：同一条，未新增"},
                  **error_responses(400, 403)}}}})


def _authorised() -> bool:
    secret = current_app.config.get("SMS_WEBHOOK_TOKEN") or ""
    given = request.headers.get("X-SMS-Token", "")
    return bool(secret) and hmac.compare_digest(secret.encode(), given.encode("utf-8", "replace"))


@bp.post("/inbound")
def inbound():
    if not _authorised():
        return jsonify(error="forbidden", message="短信网关密钥无效"), 403
    data = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(data, dict):
        return jsonify(error="invalid", message="请求体应为 JSON 对象或表单"), 400
    try:
        item, created = mail_intake.receive_sms(data, now=utcnow())
    except ValidationError as err:
        return jsonify(error="invalid", message=err.message, fields=err.fields), 400
    return jsonify(id=item.id, status=item.status, duplicate=not created), (201 if created else 200)
