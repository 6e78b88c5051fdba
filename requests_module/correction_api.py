"""JSON API of correction requests (条例 Art. 41): staff register paper requests and decide them; the same
services and access rules as the pages (corrections.py, access.py)."""
import base64
import binascii

from flask import abort, jsonify

from core.api import api_user, json_body, make_api_blueprint
from core.api.openapi import register_paths
from core.auth.guards import roles_required
from core.clocks.service import urgency_of
from core.db import utcnow
from core.departments.service import require_by_code
from core.errors import ValidationError
from core.extensions import db
from core.inputs import date_field
from requests_module import access, corrections
from requests_module.common import today
from requests_module.correction_models import CorrectionRequest
from requests_module.correction_openapi import PATHS, SCHEMAS

register_paths(PATHS, SCHEMAS)
handlers_only = roles_required(*access.HANDLERS)
bp = make_api_blueprint("corrections_api", __name__, "/api/v1/correction-requests")


def _iso(day):
    return day.isoformat() if day else None


def represent(cr, now):
    clock = corrections.answer_clock(cr)
    return {"id": cr.id, "number": cr.number, "status": cr.status, "status_label": cr.status_label,
            "department": cr.department.code, "channel": cr.channel, "received_on": _iso(cr.received_on),
            "record_title": cr.record_title, "provided_by": cr.provided_by, "provided_on": _iso(cr.provided_on),
            "inaccuracy": cr.inaccuracy, "requested_text": cr.requested_text,
            "target_due_on": _iso(clock.due_on) if clock else None,
            "urgency": urgency_of(clock, now).value if clock and cr.status == "received" else None,
            "applicant": {"type": cr.applicant_type, "name": cr.name, "contact_person": cr.contact_person,
                          "id_type": cr.id_type, "phone": cr.phone, "email": cr.email, "address": cr.address},
            "evidence": [{"id": e.id, "filename": e.filename, "content_type": e.content_type, "size": e.size,
                          "sha256": e.sha256} for e in cr.evidence],
            "decision": cr.decision, "decision_label": cr.decision_label, "decision_text": cr.decision_text,
            "target_organ": cr.target_organ, "decided_on": _iso(cr.decided_on), "letter_number": cr.letter_number}


def _files(items):
    files = []
    for i, item in enumerate(items or []):
        try:
            files.append((item["filename"], base64.b64decode(item["content_base64"], validate=True)))
        except (binascii.Error, ValueError):
            raise ValidationError("证据材料内容应为 base64 编码", field=f"evidence.{i}.content_base64") from None
    return files


def _load(correction_id):
    cr = db.session.get(CorrectionRequest, correction_id) or abort(404)
    access.require_view_correction(api_user(), cr)
    return cr


@bp.post("")
@handlers_only
def create():
    data, now, user = json_body(), utcnow(), api_user()
    requested = require_by_code(data["department"], field="department") if data.get("department") else None
    dep = access.register_department(user, requested)
    if requested is not None and dep is not None and requested.id != dep.id:
        raise ValidationError("只能登记给本部门", field="department")
    cr = corrections.register_paper(data, department=dep, channel=data.get("channel") or "in_person",
                                    received_on=date_field(data, "received_on", default=today(now)), now=now, actor=user,
                                    files=_files(data.get("evidence")))
    return jsonify(represent(cr, now)), 201


@bp.get("")
@handlers_only
def index():
    now = utcnow()
    q = access.visible_corrections(CorrectionRequest.query, CorrectionRequest, api_user())
    return jsonify(items=[represent(cr, now) for cr in q.order_by(CorrectionRequest.id.desc()).limit(500)])


@bp.get("/<int:correction_id>")
@handlers_only
def show(correction_id):
    return jsonify(represent(_load(correction_id), utcnow()))


@bp.post("/<int:correction_id>/decision")
@handlers_only
def decision(correction_id):
    cr = db.session.get(CorrectionRequest, correction_id) or abort(404)
    access.require_decide_correction(api_user(), cr)
    data, now = json_body(), utcnow()
    corrections.decide_correction(cr, decision=data.get("decision") or "", text=data.get("text"), organ=data.get("organ"),
                       on=date_field(data, "on", default=today(now)), now=now, actor=api_user())
    db.session.refresh(cr)
    return jsonify(represent(cr, now))
