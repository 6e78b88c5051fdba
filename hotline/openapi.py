"""OpenAPI description of /api/v1/tickets (merged into /api/v1/openapi.json)."""
from core.api.openapi import CODE, DATETIME, ID, LONG_TEXT, action_path, body, error_responses, path_id, query, text
from hotline import scope, sla
from hotline.callback import SATISFACTION
from hotline.intake import CHANNELS
from hotline.linkage import EMERGENCY

_T = {"type": "object", "required": ["id", "number", "status"], "properties": {
    "id": {"type": "integer"}, "number": {"type": "string"}, "status": {"type": "string"},
    "department": {"type": ["string", "null"]},
    "subcentre": {"type": ["string", "null"], "description": "the district sub-centre (two-level dispatch)"},
    "due_at": {"type": ["string", "null"]},
    "caller": {"type": ["object", "null"], "description": "null for confidential tickets unless operator/supervisor"},
    "clocks": {"type": "array"}}}
_ID = path_id("ticket_id")
_AT = {"at": {**DATETIME, "description": "when it happened; default now"}}
_S = text(2000)


def _action(summary, props, required=()):
    return action_path(summary, props, required, parameters=[_ID], result_schema=_T, extra_props=_AT)


P = "/tickets"
PATHS = {
    P: {
        "post": {"summary": "Log a call or message as a ticket", "security": [{"bearer": []}],
                 "requestBody": body({
                     "type": {"enum": list(sla.TYPES)},
                     "category_code": CODE, "urgency": {"enum": list(sla.URGENCIES)},
                     "channel": {"enum": list(CHANNELS),
                                 "description": "110: a non-emergency matter 110 handed over (handover_ref required)"},
                     "handover_ref": {**text(40), "description": "110's incident number (接警编号), channel 110"},
                     "caller_phone": text(20), "caller_name": text(60), "anonymous": {"type": "boolean"},
                     "confidential": {"type": "boolean"}, "address": text(200),
                     "lat": {"type": "number", "minimum": -90, "maximum": 90},
                     "lng": {"type": "number", "minimum": -180, "maximum": 180}, "content": text(5000),
                     "summary": _S, "received_at": DATETIME,
                     "call_id": {**ID, "description": "the CTI call (call log id) this ticket is logged from"}},
                    ["type", "category_code", "content"]),
                 "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": _T}}},
                               **error_responses(400, 401, 403)}},
        "get": {"summary": "List tickets (department staff see their own)", "security": [{"bearer": []}],
                "parameters": [query("status", CODE), query("department", CODE),
                               query("overdue", {"enum": ["true", "false"]})],
                "responses": {"200": {"description": "Tickets", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"items": {"type": "array", "items": _T}}}}}},
                    **error_responses(400, 401, 403)}},
    },
    P + "/{ticket_id}": {"get": {"summary": "One ticket with its clocks", "security": [{"bearer": []}],
                                 "parameters": [_ID],
                                 "responses": {"200": {"description": "The ticket",
                                                       "content": {"application/json": {"schema": _T}}},
                                               **error_responses(401, 403, 404)}}},
    P + "/{ticket_id}/dispatch": _action("派单 to a lead department (and co-handlers)",
                                         {"department": CODE, "co_departments": {"type": "array", "items": CODE, "maxItems": 20},
                                          "note": _S}, ["department"]),
    P + "/{ticket_id}/direct-close": _action("直接办结 from the knowledge base", {"answer": LONG_TEXT}, ["answer"]),
    P + "/{ticket_id}/transfer": _action(
        "Transfer an emergency to 110/119/120/122 (before an answer: new, dispatched or signed)",
        {"to": {"enum": list(EMERGENCY)}, "note": _S,
         "reference": {**text(40), "description": "the service's incident number (接警编号)"},
         "counterpart": {**text(60), "description": "who took it over (接收人/工号)"}}, ["to"]),
    P + "/{ticket_id}/transfer-feedback": _action(
        "Record the emergency service's feedback on an outgoing transfer (the newest unless `transfer` is given)",
        {"transfer": ID, "feedback": _S}, ["feedback"]),
    P + "/{ticket_id}/handover-feedback": _action("Record the result fed back to 110 (a ticket 110 handed over, "
                                                  "once answered or closed)", {"feedback": _S}, ["feedback"]),
    P + "/{ticket_id}/not-accept": _action(
        "不予受理: close a new ticket outside 12345's scope and tell the caller by SMS which channel to use",
        {"channel": {"enum": list(scope.CHANNELS)},
         "other": text(200)}, ["channel"]),
    P + "/{ticket_id}/refer-disclosure": _action(
        "转为政府信息公开申请: close a new ticket; the caller gets by SMS a one-use link to the prefilled "
        "application form, which they review and submit themselves (条例 Art. 29)", {}),
    P + "/{ticket_id}/sign": _action("签收", {}),
    P + "/{ticket_id}/return": _action("退单 inside the return window: the ticket waits for the centre's review "
                                       "(status return_review, clocks paused)", {"reason": _S}, ["reason"]),
    P + "/{ticket_id}/return-review": _action("The 12345 centre upholds (成立) or rejects (不成立, with a reason) a "
                                              "pending 退单", {"upheld": {"type": "boolean"}, "note": _S}, ["upheld"]),
    P + "/{ticket_id}/extension-request": _action("Ask for an extension (working hours)",
                                                  {"hours": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000}, "reason": _S}, ["hours", "reason"]),
    P + "/{ticket_id}/extension-decision": _action("Supervisor approves or refuses the extension",
                                                   {"approve": {"type": "boolean"}, "note": _S}, ["approve"]),
    P + "/{ticket_id}/co-part": _action("A co-handling department's staff add its part (their own department)",
                                        {"part": LONG_TEXT},
                                        ["part"]),
    P + "/{ticket_id}/reply": _action("The lead department's reply", {"text": LONG_TEXT}, ["text"]),
    P + "/{ticket_id}/sign-off": _action("Approve or return a drafted reply", {"approve": {"type": "boolean"},
                                                                               "note": _S}, ["approve"]),
    P + "/{ticket_id}/urge": _action("催办 (督办: supervision-orders)", {"kind": {"enum": ["remind"]}, "note": _S}, []),
    P + "/{ticket_id}/callback": _action("Record a callback attempt", {
        "reached": {"type": "boolean"}, "resolved": {"type": "boolean"},
        "satisfaction": {"enum": list(SATISFACTION)}, "comment": _S}, ["reached"]),
    P + "/{ticket_id}/review": _action("Supervisor: 重办 (reopen) or close after an unsatisfied callback",
                                       {"reopen": {"type": "boolean"}, "reason": _S}, ["reopen", "reason"]),
    P + "/{ticket_id}/contact": _action("首次联系诉求人: the lead department's staff or approver (响应率)",
                                        {"note": text(500)}),
    P + "/{ticket_id}/merge": _action("Merge duplicates into this ticket",
                                      {"duplicates": {"type": "array", "items": ID, "minItems": 1, "maxItems": 50,
                                                     "uniqueItems": True}}, ["duplicates"]),
    P + "/{ticket_id}/close-no-contact": _action("Close an answered ticket without a contact phone after its callback "
                                                 "period (close_reason no_contact)", {"note": text(500)}),
}
# two-level dispatch (hotline/tiers.py): a district sub-centre's 二次派单 and its review of its department's reply
PATHS.update({
    P + "/{ticket_id}/redispatch": _action("A sub-centre that signed for the ticket dispatches it to one of its own "
                                           "departments (二次派单)", {"department": CODE, "note": _S}, ["department"]),
    P + "/{ticket_id}/subcentre-review": _action("The sub-centre passes its department's reply up to the centre "
                                                 "(approve) or sends it back (a note required)",
                                                 {"approve": {"type": "boolean"}, "note": _S}, ["approve"]),
})
# 督办单 (hotline/supervision.py)
PATHS.update({
    P + "/{ticket_id}/supervision-orders": _action("Supervisor: issue a 督办单 to the lead department",
                                                   {"reason": LONG_TEXT}, ["reason"]),
    P + "/{ticket_id}/supervision-orders/{order_id}/feedback": action_path(
        "The department's written feedback on a 督办单", {"feedback": LONG_TEXT}, ["feedback"],
        parameters=[_ID, path_id("order_id")], result_schema=_T, extra_props=_AT),
    P + "/supervision-orders": {"get": {
        "summary": "督办单: all for supervisors, the department's own for its staff", "security": [{"bearer": []}],
        "parameters": [query("state", {"enum": ["open", "overdue", "escalated", "all"]})],
        "responses": {"200": {"description": "Orders", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"items": {"type": "array"}}}}}}, **error_responses(400, 401, 403)}}},
})
