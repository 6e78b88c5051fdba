"""OpenAPI description of /api/v1/disclosure-requests (merged into /api/v1/openapi.json)."""
from core.api.openapi import action_path, error_responses

_REQ = {"$ref": "#/components/schemas/DisclosureRequest"}
_ID = {"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ON = {"on": {"type": "string", "format": "date", "description": "the day it happened; default today"}}


def _action(summary, props, required=()):
    return action_path(summary, props, required, parameters=[_ID], result_schema=_REQ, extra_props=_ON)


_S = {"type": "string"}
APPLICATION_FIELDS = {
    "applicant_type": {"enum": ["person", "org"]},
    "org_type": {"enum": ["commercial", "research", "public_interest", "legal_service", "other"]},
    "name": _S, "contact_person": _S,
    "id_type": {"enum": ["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "uscc", "other"]},
    "id_number": _S, "phone": _S, "email": _S, "address": _S, "title": _S, "description": _S, "doc_number": _S,
    "form": {"enum": ["paper", "electronic"]}, "delivery": {"enum": ["mail", "email", "pickup", "online"]},
    "publish_consent": {"type": "boolean"},
    "channel": {"enum": ["in_person", "mail", "fax", "oral"]},
    "received_on": {"type": "string", "format": "date"},
    "department": {"type": "string", "description": "assign at once (staff: their own department)"},
}

SCHEMAS = {"DisclosureRequest": {"type": "object", "required": ["id", "number", "status"], "properties": {
    "id": {"type": "integer"}, "number": _S, "status": _S, "status_label": _S, "title": _S,
    "department": {"type": ["string", "null"]}, "received_on": {"type": ["string", "null"]},
    "due_on": {"type": ["string", "null"]}, "due_provisional": {"type": "boolean"},
    "urgency": {"type": ["string", "null"]}, "outcome": {"type": ["string", "null"]},
    "clocks": {"type": "array"}, "timeline": {"type": "array"}, "consultations": {"type": "array"}}}}

P = "/disclosure-requests"
PATHS = {
    P: {
        "post": {"summary": "Register an application received on paper, in person, by mail or fax",
                 "security": [{"bearer": []}],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "properties": APPLICATION_FIELDS,
                     "required": ["name", "id_number", "phone", "title", "description", "received_on"]}}}},
                 "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": _REQ}}},
                               **error_responses(400, 401, 403)}},
        "get": {"summary": "List applications (staff see their department's)", "security": [{"bearer": []}],
                "parameters": [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
                    ("status", _S), ("department", _S), ("overdue", {"enum": ["true", "false"]}))],
                "responses": {"200": {"description": "Applications", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"items": {"type": "array", "items": _REQ}}}}}},
                    **error_responses(400, 401, 403)}},
    },
    P + "/{request_id}": {"get": {"summary": "One application with clocks and timeline", "security": [{"bearer": []}],
                                  "parameters": [_ID],
                                  "responses": {"200": {"description": "The application",
                                                        "content": {"application/json": {"schema": _REQ}}},
                                                **error_responses(401, 403, 404)}}},
    P + "/{request_id}/confirm-receipt": _action("Confirm receipt of an online application",
                                                 {"received_on": {"type": "string", "format": "date"}}),
    P + "/{request_id}/assign": _action("Assign (or reassign, with reason) to a department",
                                        {"department": _S, "reason": _S}, ["department"]),
    P + "/{request_id}/reject": _action("Close a non-application as 不予处理",
                                        {"outcome": _S, "message": _S}, ["outcome", "message"]),
    P + "/{request_id}/correction-notice": _action("One-time correction notice (within 7 working days)",
                                                   {"items": _S, "period": {"type": "integer"}}, ["items"]),
    P + "/{request_id}/correction": _action("Correction received; the period restarts", {"text": _S}),
    P + "/{request_id}/consultations": _action("Consult a third party or another organ",
                                               {"kind": {"enum": ["third_party", "organ"]}, "party": _S},
                                               ["kind", "party"]),
    P + "/{request_id}/consultations/{consultation_id}/answer": {"post": {
        **_action("Record a consultation's answer (or silence until its deadline)",
                  {"opinion": _S, "silent": {"type": "boolean"}})["post"],
        "parameters": [_ID, {"name": "consultation_id", "in": "path", "required": True,
                             "schema": {"type": "integer"}}]}},
    P + "/{request_id}/fee-notice": _action("Send a fee notice", {"amount": {"type": "string"}}, ["amount"]),
    P + "/{request_id}/payment": _action("Record the payment", {}),
    P + "/{request_id}/extension": _action("Extend once by at most 20 working days (approver)",
                                           {"days": {"type": "integer"}, "reason": _S}, ["days", "reason"]),
    P + "/{request_id}/reply": _action("Reply with an outcome code", {
        "outcome": _S, "text": _S, "legal_ground": _S, "holder_organ": _S}, ["outcome", "text"]),
    P + "/{request_id}/sign-off": _action("Approve or return a drafted reply (approver)",
                                          {"approve": {"type": "boolean"}, "note": _S}, ["approve"]),
    P + "/{request_id}/disputes": action_path(
        "Record a reconsideration or lawsuit filed against the handling", {
            "kind": {"enum": ["reconsideration", "litigation"]}, "filed_on": {"type": "string", "format": "date"},
            "after_reconsideration": {"type": "boolean"}, "note": _S}, ["kind", "filed_on"],
        parameters=[_ID], result_schema=_REQ),
    P + "/{request_id}/disputes/{dispute_id}/result": action_path(
        "Record the result of a reconsideration or lawsuit", {
            "result": {"enum": ["upheld", "corrected", "other"]}, "decided_on": {"type": "string", "format": "date"}}, ["result", "decided_on"],
        parameters=[_ID, {"name": "dispute_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        result_schema=_REQ),
}
