"""OpenAPI description of /api/v1/disclosure-requests (merged into /api/v1/openapi.json)."""
from core.api.openapi import CODE, DATE, LONG_TEXT, action_path, body, error_responses, path_id, query, text

_REQ = {"$ref": "#/components/schemas/DisclosureRequest"}
_ID = path_id("request_id")
_ON = {"on": {**DATE, "description": "the day it happened; default today"}}


def _action(summary, props, required=()):
    return action_path(summary, props, required, parameters=[_ID], result_schema=_REQ, extra_props=_ON)


_S = text(2000)
APPLICATION_FIELDS = {
    "applicant_type": {"enum": ["person", "org"]},
    "org_type": {"enum": ["commercial", "research", "public_interest", "legal_service", "other"]},
    "name": text(120), "contact_person": text(60),
    "id_type": {"enum": ["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "uscc", "other"]},
    "id_number": text(40), "phone": text(20), "email": text(254), "address": text(200), "title": text(200),
    "description": text(5000), "doc_number": text(100),
    "form": {"enum": ["paper", "electronic"]}, "delivery": {"enum": ["mail", "email", "pickup", "online"]},
    "publish_consent": {"type": "boolean"},
    "channel": {"enum": ["in_person", "mail", "fax", "oral"]},
    "received_on": DATE,
    "department": {**CODE, "description": "assign at once (staff: their own department)"},
}

SCHEMAS = {"DisclosureRequest": {"type": "object", "required": ["id", "number", "status"], "properties": {
    "id": {"type": "integer"}, "number": _S, "status": _S, "status_label": _S, "title": _S,
    "department": {"type": ["string", "null"]}, "received_on": {"type": ["string", "null"]},
    "due_on": {"type": ["string", "null"]}, "due_provisional": {"type": "boolean"},
    "urgency": {"type": ["string", "null"]}, "outcome": {"type": ["string", "null"]},
    "clocks": {"type": "array"}, "timeline": {"type": "array"}, "consultations": {"type": "array"},
    "receiving_organ": {"type": "string", "description": "受理机关: the organ that received the application and "
                        "answers and signs the letter (条例 Art. 27); assignment does not change it"},
    "receiving_department": {"type": ["string", "null"],
                             "description": "its department code; null: 盐城市亭湖区人民政府 (its 公开办)"},
    "holder_organ": {"type": ["string", "null"]},
    "holder_contact": {"type": ["string", "null"], "description": "Art. 36 (5): the holder organ's contact details"},
    "extension_approver": {"type": ["string", "null"], "description": "who approved the extension (Art. 33 para. 2)"},
    "reply_doc_number": {"type": ["string", "null"], "description": "assigned on issue, sequential per year"}}},
    "LetterPreview": {"type": "object", "required": ["organ", "number", "draft", "salutation", "paragraphs"],
                      "properties": {
                          "organ": _S, "number": {"type": "null", "description": "no number before issue"},
                          "draft": {"type": "boolean"}, "salutation": _S,
                          "paragraphs": {"type": "array", "items": {"type": "string"}},
                          "attachments": {"type": "array", "items": {"type": "string"}},
                          "date": {"type": ["string", "null"],
                                   "description": "null when the letter is dated on sign-off"}}}}

P = "/disclosure-requests"
_REPLY = {"outcome": CODE, "text": LONG_TEXT, "legal_ground": _S, "holder_organ": text(120),
          "holder_contact": {**text(200), "description": "required with holder_organ (Art. 36 (5))"}}
PATHS = {
    P: {
        "post": {"summary": "Register an application received on paper, in person, by mail or fax",
                 "security": [{"bearer": []}],
                 "requestBody": body(APPLICATION_FIELDS,
                                     ["name", "id_number", "phone", "title", "description", "received_on"]),
                 "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": _REQ}}},
                               **error_responses(400, 401, 403)}},
        "get": {"summary": "List applications (staff see their department's)", "security": [{"bearer": []}],
                "parameters": [query("status", CODE), query("department", CODE),
                               query("overdue", {"enum": ["true", "false", "1", "0"]})],
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
                                                 {"received_on": DATE}),
    P + "/{request_id}/assign": _action("Assign (or reassign, with reason) to a department",
                                        {"department": CODE, "reason": _S}, ["department"]),
    P + "/{request_id}/reject": _action("Close a non-application as 不予处理",
                                        {"outcome": CODE, "message": LONG_TEXT}, ["outcome", "message"]),
    P + "/{request_id}/correction-notice": _action("One-time correction notice (within 7 working days)",
                                                   {"items": LONG_TEXT, "period": {"type": "integer", "minimum": 1, "maximum": 1000}}, ["items"]),
    P + "/{request_id}/correction": _action("Correction received; the period restarts", {"text": LONG_TEXT}),
    P + "/{request_id}/consultations": _action("Consult a third party or another organ",
                                               {"kind": {"enum": ["third_party", "organ"]}, "party": text(120)},
                                               ["kind", "party"]),
    P + "/{request_id}/consultations/{consultation_id}/answer": {"post": {
        **_action("Record a consultation's answer (or silence until its deadline)",
                  {"opinion": LONG_TEXT, "silent": {"type": "boolean"}})["post"],
        "parameters": [_ID, path_id("consultation_id")]}},
    P + "/{request_id}/fee-notice": _action("Send a fee notice", {"amount": {"type": "string", "pattern": r"^\d{1,6}(\.\d{1,2})?$",
                                                                     "description": "yuan, e.g. 12.50"}}, ["amount"]),
    P + "/{request_id}/payment": _action("Record the payment", {}),
    P + "/{request_id}/extension": _action("Extend once by at most 20 working days (the handling department's approver)",
                                           {"days": {"type": "integer", "minimum": 1, "maximum": 1000}, "reason": _S}, ["days", "reason"]),
    P + "/{request_id}/reply": _action("Reply with an outcome code (holder_organ with holder_contact: Art. 36 (5))",
                                       _REPLY, ["outcome", "text"]),
    P + "/{request_id}/reply-preview": action_path(
        "The letter as it would be issued for these reply values (nothing is saved; no document number)",
        _REPLY, ["outcome", "text"], parameters=[_ID], result_schema={"$ref": "#/components/schemas/LetterPreview"},
        extra_props=_ON),
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
