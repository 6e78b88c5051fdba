"""OpenAPI description of /api/v1/correction-requests (条例 Art. 41; merged into /api/v1/openapi.json)."""
from core.api.openapi import CODE, DATE, LONG_TEXT, action_path, body, error_responses, path_id, text

_CR = {"$ref": "#/components/schemas/CorrectionRequest"}
_ID = path_id("correction_id")
_NULL_S = {"type": ["string", "null"]}
DECISION_CODES = ["corrected", "forwarded", "referred", "not_proven", "not_own"]

REGISTER_FIELDS = {
    "department": {**CODE, "description": "the organ addressed (staff: their own department)"},
    "channel": {"enum": ["in_person", "mail", "fax", "oral"]}, "received_on": DATE,
    "applicant_type": {"enum": ["person", "org"]}, "name": text(120), "contact_person": text(60),
    "id_type": {"enum": ["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "uscc", "other"]},
    "id_number": text(40), "phone": text(20), "email": text(254), "address": text(200),
    "record_title": {**text(200), "description": "the information record that is inaccurate"},
    "provided_by": {**text(120), "description": "the organ that provided it"},
    "provided_on": {**DATE, "description": "when it was provided"},
    "inaccuracy": {**text(5000), "description": "what the record says that is wrong"},
    "requested_text": {**text(5000), "description": "what it should say"},
    "evidence": {"type": "array", "minItems": 1, "maxItems": 5, "description": "Art. 41: 有证据证明 (PDF/JPG/PNG/Word/Excel)",
                 "items": {"type": "object", "required": ["filename", "content_base64"], "additionalProperties": False,
                           "properties": {"filename": text(200),
                                          "content_base64": {"type": "string", "maxLength": 14 * 1024 * 1024}}}},
}

SCHEMAS = {"CorrectionRequest": {"type": "object", "required": ["id", "number", "status"], "properties": {
    "id": {"type": "integer"}, "number": {"type": "string"}, "status": {"enum": ["received", "closed"]},
    "status_label": {"type": "string"}, "department": {"type": "string"}, "channel": {"type": "string"},
    "received_on": {"type": "string"}, "record_title": {"type": "string"}, "provided_by": {"type": "string"},
    "provided_on": {"type": "string"}, "inaccuracy": {"type": "string"}, "requested_text": {"type": "string"},
    "target_due_on": _NULL_S, "urgency": _NULL_S, "applicant": {"type": "object"}, "evidence": {"type": "array"},
    "decision": {"enum": DECISION_CODES + [None]}, "decision_label": _NULL_S, "decision_text": _NULL_S,
    "target_organ": _NULL_S, "decided_on": _NULL_S, "letter_number": _NULL_S}}}

P = "/correction-requests"
PATHS = {
    P: {
        "post": {"summary": "Register a correction request (条例 Art. 41) received on paper, with its evidence",
                 "security": [{"bearer": []}],
                 "requestBody": body(REGISTER_FIELDS, ["name", "id_number", "phone", "record_title", "provided_by",
                                                       "provided_on", "inaccuracy", "requested_text", "received_on",
                                                       "evidence"]),
                 "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": _CR}}},
                               **error_responses(400, 401, 403)}},
        "get": {"summary": "List correction requests (staff see their department's)", "security": [{"bearer": []}],
                "responses": {"200": {"description": "Correction requests", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"items": {"type": "array", "items": _CR}}}}}},
                    **error_responses(401, 403)}},
    },
    P + "/{correction_id}": {"get": {"summary": "One correction request", "security": [{"bearer": []}],
                                     "parameters": [_ID],
                                     "responses": {"200": {"description": "The correction request",
                                                           "content": {"application/json": {"schema": _CR}}},
                                                   **error_responses(401, 403, 404)}}},
    P + "/{correction_id}/decision": action_path(
        "Decide: corrected, forwarded or referred to the organ that may correct, or refused (with reasons)",
        {"decision": {"enum": DECISION_CODES}, "text": LONG_TEXT, "organ": text(120),
         "on": {**DATE, "description": "the day of the reply; default today"}}, ["decision"],
        parameters=[_ID], result_schema=_CR),
}
