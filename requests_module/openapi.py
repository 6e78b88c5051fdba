"""OpenAPI description of /api/v1/disclosure-requests (merged into /api/v1/openapi.json)."""
from core.api.openapi import CODE, DATE, LONG_TEXT, action_path, body, error_responses, path_id, query, text
from requests_module import periods
from requests_module.fees import AMOUNT_PATTERN
from requests_module.models import CHANNELS, DELIVERIES, FORMS, ID_TYPES, ORG_TYPES

_REQ = {"$ref": "#/components/schemas/DisclosureRequest"}
_ID = path_id("request_id")
_ON = {"on": {**DATE, "description": "the day it happened; default today"}}


def _action(summary, props, required=()):
    return action_path(summary, props, required, parameters=[_ID], result_schema=_REQ, extra_props=_ON)


_S = text(2000)
APPLICATION_FIELDS = {
    "applicant_type": {"enum": ["person", "org"]},  # the applicant_type check constraint of models.py
    "org_type": {"enum": list(ORG_TYPES)},
    "name": text(120), "contact_person": text(60),
    "id_type": {"enum": list(ID_TYPES)},
    "id_number": text(40), "phone": text(20), "email": text(254), "address": text(200), "title": text(200),
    "description": text(5000), "doc_number": text(100),
    "form": {"enum": list(FORMS)}, "delivery": {"enum": list(DELIVERIES)},
    "publish_consent": {"type": "boolean"},
    "channel": {"enum": [c for c in CHANNELS if c != "online"]},  # paper registrations; online is the citizen's form
    "received_on": DATE,
    "department": {**CODE, "description": "assign at once (staff: their own department)"},
}

SCHEMAS = {"DisclosureRequest": {"type": "object", "required": ["id", "number", "status"], "properties": {
    "id": {"type": "integer"}, "number": _S, "status": _S, "status_label": _S, "title": _S,
    "department": {"type": ["string", "null"]}, "received_on": {"type": ["string", "null"]},
    "due_on": {"type": ["string", "null"]}, "due_provisional": {"type": "boolean"},
    "urgency": {"type": ["string", "null"]}, "outcome": {"type": ["string", "null"]},
    "due_basis": {"enum": ["art33", "art35_delay", None],
                  "description": "art35_delay: due_on is the 延迟答复合理期限 set under Art. 35, not the Art. 33 period"},
    "receipt_confirmation": {"type": ["object", "null"],
                             "description": "online applications (Art. 31): the staff's confirmation clock — due_on, "
                                            "state, on_time, urgency (config RECEIPT_CONFIRM_WORKDAYS, requests_module/periods.py); "
                                            "latest_received_on: submission + "
                                            "RECEIPT_CONFIRM_WORKDAYS working days, the latest receipt date (Art. 31 (3)); "
                                            "receipt_rule (full view): set when a later confirmation was dated that day"},
    "reasons": {"type": "object", "description": "Art. 35 说明理由: requested_on, items, due_on, received_on, text, "
                                                 "decided_on, accepted (null until decided), delay_due_on"},
    "clocks": {"type": "array"}, "timeline": {"type": "array"},
    "consultations": {"type": "array", "description": "id, kind, party, sent_on, deadline_on, answered_on, "
                      "opinion, answer (agreed | objected | silent, Art. 32; null while unanswered), answer_label"},
    "fee": {"type": "object", "description": "notice, due and payment dates; method, units and the itemised "
                                             "calculation (tiers: first, last, price, units, subtotal); refund: "
                                             "refunded_on, amount, method, note (国办函〔2020〕109号: a 按量 fee "
                                             "refunded before a reply that provides nothing)"},
    "receiving_organ": {"type": "string", "description": "受理机关: the organ that received the application and "
                        "answers and signs the letter (条例 Art. 27); assignment does not change it"},
    "receiving_department": {"type": ["string", "null"],
                             "description": "its department code; null: 盐城市亭湖区人民政府 (its 公开办)"},
    "issuing_department": {"type": ["string", "null"],
                           "description": "the department whose approver approves extensions and signs off replies "
                           "for the issuing organ (条例 Art. 4, 33 para. 2): receiving_department, or zfb (区政府办) "
                           "for the district government; supervisors also sign off only the government's replies"},
    "holder_organ": {"type": ["string", "null"]},
    "holder_contact": {"type": ["string", "null"], "description": "Art. 36 (5): the holder organ's contact details"},
    "not_held_basis": {"enum": ["not_exist", "not_ours", None], "description": "outcome unavailable_not_held: "
                       "not_exist = 条例 Art. 36 (4) 该政府信息不存在; not_ours = Art. 36 (5) 不属于本机关负责公开"},
    "not_ours_reason": {"type": ["string", "null"], "description": "Art. 36 (5): the reasons told to the applicant"},
    "disclosure_basis": {"enum": ["published", "provided", None], "description": "outcome disclosed: published = "
                         "条例 Art. 36 (1) 已经主动公开; provided = Art. 36 (2) 可以公开、予以提供"},
    "disclosure_access": {"type": ["string", "null"], "description": "outcomes disclosed / partly_disclosed: how, "
                          "where and when the applicant obtains the information (Art. 36 (1)/(2), Art. 37)"},
    "extension_approver": {"type": ["string", "null"], "description": "who approved the extension (Art. 33 para. 2)"},
    "extension_requests": {"type": "array", "items": {"$ref": "#/components/schemas/ExtensionRequest"},
                           "description": "extension requests staff filed for the head's decision (Art. 33 para. 2)"},
    "reply_doc_number": {"type": ["string", "null"], "description": (
        "发文字号 (GB/T 9704-2012): the issuing organ's 代字 + 〔year〕 + its own sequential number, assigned on issue "
        "(亭民政依申复〔2026〕1号; the district government: 亭政…); or the paper letter's own number (reply_paper_number)")},
    "reply_paper_number": {"type": ["string", "null"], "description": (
        "set when the reply is the 补录 of a letter issued on paper: that letter's number; the system assigned none "
        "and its PDF copy is marked 本件为补录")},
    "documents": {"type": "array", "items": {"$ref": "#/components/schemas/RequestDocument"}}}},
    "RequestDocument": {"type": "object", "required": ["id", "kind", "number", "issued_on"], "properties": {
        "id": {"type": "integer"}, "kind": {"enum": ["correction_notice", "extension_notice", "consultation_letter",
                                                      "fee_notice", "reply", "disclosure_notice", "reason_notice",
                                                      "delay_notice"]},
        "kind_label": _S, "number": _S, "addressee": _S, "issued_on": _S,
        "period_workdays": {"type": ["integer", "null"], "description": "the addressee's period, from receipt"},
        "due_on": {"type": ["string", "null"], "description": "end of that period; null until delivery is recorded"},
        "period": {"type": ["string", "null"]}, "consultation_id": {"type": ["integer", "null"]},
        "delivery": {"type": ["object", "null"]}, "lapse_decision": {"type": ["string", "null"]},
        "lapse_reason": {"type": ["string", "null"]},
        "timing": {"type": ["string", "null"], "description": (
            f"a notice that did not (or may not) reach the applicant in time: 补正告知书 delivered after the {periods.CORRECTION_NOTICE_WORKDAYS}th "
            "working day from receipt (Art. 30); 延期告知书 not delivered by the original due date — the extension "
            "does not take effect (Art. 33 para. 2)")},
        "extension_effect": {"type": ["object", "null"], "description": (
            "延期告知书 only: state (effective | pending | void | not_needed), original_due_on, text. void: delivered "
            "after the original due date, or the application closed after it with the notice undelivered — the "
            "answer is judged against original_due_on (Art. 33 para. 2)")}}},
    "ExtensionRequest": {"type": "object", "required": ["id", "request_id", "days", "reason", "status"], "properties": {
        "id": {"type": "integer"}, "request_id": {"type": "integer"}, "number": _S, "days": {"type": "integer"},
        "reason": _S, "status": {"enum": ["pending", "approved", "refused"]}, "status_label": _S,
        "requested_by": _S, "requested_at": _S, "decided_by": {"type": ["string", "null"]},
        "decided_at": {"type": ["string", "null"]}, "refusal_reason": {"type": ["string", "null"]}}},
    "LetterPreview": {"type": "object", "required": ["organ", "number", "draft", "salutation", "paragraphs"],
                      "properties": {
                          "organ": _S, "number": {"type": "null", "description": "no number before issue"},
                          "draft": {"type": "boolean"}, "salutation": _S,
                          "paragraphs": {"type": "array", "items": {"type": "string"}},
                          "attachments": {"type": "array", "items": {"type": "string"}},
                          "date": {"type": ["string", "null"],
                                   "description": "null when the letter is dated on sign-off"},
                          "paper_number": {"type": ["string", "null"],
                                           "description": "the paper letter's own number of a 补录"},
                          "backfill_note": {"type": ["string", "null"],
                                            "description": "本件为补录，原件于…作出，文号… (printed on the copy)"}}}}
_LATE = {"late_reason": {**_S, "description": "the applicant's good reason (正当理由); required after the period"}}

P = "/disclosure-requests"
_REPLY = {"outcome": CODE, "text": LONG_TEXT, "legal_ground": _S,
          "not_held_basis": {"enum": ["not_exist", "not_ours"], "description": (
              "required with outcome unavailable_not_held, refused with any other: not_exist = 条例 Art. 36 (4) "
              "(经检索没有: the letter says 该政府信息不存在; no holder organ), not_ours = Art. 36 (5) (不属于本机关负责"
              "公开). When absent and holder_organ is given, not_ours is inferred")},
          "not_ours_reason": {**text(1000), "description": "required with not_ours: the reasons (说明理由, Art. 36 (5))"},
          "holder_organ": {**text(120), "description": "not_ours only: the responsible organ, when it can be "
                                                        "determined (else the letter says it cannot be)"},
          "holder_contact": {**text(200), "description": "required with holder_organ (Art. 36 (5))"},
          "paper_number": {**text(60), "description": (
              "原件文号: required when `on` is before the day of entry — the letter the system composes and numbers "
              "is dated the day it is issued (no 倒签), so an earlier reply is only the 补录 of a letter issued on paper "
              "that day, under that letter's own number (400 without it, or when another reply bears it)")},
          "disclosure_basis": {"enum": ["published", "provided"], "description": (
              "required with outcome disclosed, refused with any other: published = 条例 Art. 36 (1) (已经主动公开: "
              "the letter tells how and where to obtain it), provided = Art. 36 (2) (可以公开: provided, or how, "
              "where and when to obtain it)")},
          "disclosure_access": {**text(500), "description": (
              "required with outcomes disclosed and partly_disclosed (for the part disclosed, Art. 37), refused with "
              "any other: the 方式、途径（和时间） of obtaining the information, printed in the letter")}}
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
    P + "/{request_id}/confirm-receipt": _action("Confirm receipt of an online application (Art. 31 (3)): a received_on later than submission + "
                                                 "RECEIPT_CONFIRM_WORKDAYS working days is replaced by that day "
                                                 "(receipt_confirmation.receipt_rule says so)",
                                                 {"received_on": DATE}),
    P + "/{request_id}/assign": _action("Assign (or reassign, with reason) to a department",
                                        {"department": CODE, "reason": _S}, ["department"]),
    P + "/{request_id}/reject": _action("Close a non-application as 不予处理",
                                        {"outcome": CODE, "message": LONG_TEXT,
                                         "paper_number": _REPLY["paper_number"]}, ["outcome", "message"]),
    P + "/{request_id}/correction-notice": _action(
        f"One-time correction notice (within {periods.CORRECTION_NOTICE_WORKDAYS} working days of receipt): the items to correct "
        "and the guidance and explanation "
        "(指导和释明, 条例 Art. 30) printed on the 补正告知书",
        {"items": LONG_TEXT, "guidance": LONG_TEXT, "period": {"type": "integer", "minimum": 1, "maximum": 1000}},
        ["items", "guidance"]),
    P + "/{request_id}/reason-request": _action(
        "Ask the applicant to explain an apparently massive or repeated application (Art. 35); the answer period "
        "keeps running", {"items": LONG_TEXT, "period": {"type": "integer", "minimum": 1, "maximum": 1000}}, ["items"]),
    P + "/{request_id}/reasons": _action("Record the applicant's explanation (Art. 35)", {"text": LONG_TEXT},
                                         ["text"]),
    P + "/{request_id}/reason-decision": _action(
        "Find the reasons reasonable or not (as sign-off: issuing_department's approver; Art. 35); accepted with delay_until sets the "
        "延迟答复合理期限 (the answer clock's new due date); not accepted allows the 不予处理 outcome "
        "not_processed_excessive", {"accepted": {"type": "boolean"}, "delay_until": DATE}, ["accepted"]),
    P + "/{request_id}/correction": _action("Correction received; the period restarts",
                                            {"text": LONG_TEXT, **_LATE}),
    P + "/{request_id}/consultations": _action("Consult a third party or another organ",
                                               {"kind": {"enum": ["third_party", "organ"]}, "party": text(120),
                                                "party_type": {"enum": ["person", "org"], "description":
                                                               "required for a third party: 您 or 贵单位 in its letters"}},
                                               ["kind", "party"]),
    P + "/{request_id}/consultations/{consultation_id}/answer": {"post": {
        **_action("Record a consultation's result (Art. 32, 34): agreed, objected (opinion: the reasons given) or "
                  "silent (逾期未提出意见: only after its deadline; counted up to it)", {
                      "answer": {"enum": ["agreed", "objected", "silent"],
                                 "description": "required (400 without it): never assumed to be consent"},
                      "opinion": {**LONG_TEXT, "description": "the party's opinion; required when objected"},
                      "silent": {"type": "boolean", "deprecated": True,
                                 "description": "true is the same as answer silent"}})["post"],
        "parameters": [_ID, path_id("consultation_id")]}},
    P + "/{request_id}/fee-notice": _action(
        "Send a fee notice (国办函〔2020〕109号): the amount is computed from the method and quantity", {
            "method": {"enum": ["piece", "pages"], "description": "piece: 按件计收 (the applicant's applications in "
                       "the calendar month, by identity number); pages: 按量计收"},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 100000,
                         "description": "件 of this application (at most 1000) or its pages"},
            "amount": {"type": "string", "pattern": f"^{AMOUNT_PATTERN}$",
                       "description": "optional, yuan: refused (409) unless it equals the computed amount"}},
        ["method", "quantity"]),
    P + "/{request_id}/payment": _action("Record the payment", _LATE),
    P + "/{request_id}/fee-refund": _action(
        "Record the refund of a 按量 fee paid (国办函〔2020〕109号 Art. 3, 5): required before a reply that provides no "
        "information (不予公开, 无法提供, 不予处理 outcomes and 其他处理 other; 409 otherwise); 按件 fees are not refunded for the outcome", {
            "amount": {"type": "string", "pattern": f"^{AMOUNT_PATTERN}$",
                       "description": "yuan; must equal the amount paid, or with pages_provided the amount paid less "
                                      "the tier fee for those pages (409 otherwise)"},
            "pages_provided": {"type": "integer", "minimum": 1, "description": (
                "optional: a partial refund when fewer pages than charged are provided (部分公开); fewer than the "
                "pages charged. A reply providing nothing still needs the full refund")},
            "method": {"enum": ["original", "bank_transfer", "cash", "other"],
                       "description": "原渠道退回, 银行转账, 现金, 其他方式 (other: say how in note)"},
            "note": text(200)}, ["amount", "method"]),
    P + "/{request_id}/documents/{document_id}/delivery": action_path(
        "Record a document's delivery (送达); a period from receipt starts (Art. 30, 32; 国办函〔2020〕109号). A "
        "延期告知书 delivered after the original due date voids the extension (Art. 33 para. 2: extension_effect)", {
            "method": {"enum": ["sms", "email", "registered_mail", "in_person"],
                       "description": "online_read is recorded only by the applicant's own 签收 on their page"},
            "tracking_number": {"type": "string", "maxLength": 40, "description": "required for registered_mail"},
            "delivered_on": {**DATE, "description": "the day the addressee received it"}},
        ["method", "delivered_on"], parameters=[_ID, path_id("document_id")], result_schema=_REQ),
    P + "/{request_id}/consultations/{consultation_id}/disclosure-notice": action_path(
        "Tell a third party whose objection was overruled what will be disclosed and why (Art. 32): the issuing "
        "organ's decision, so only whoever may sign off for it (an approver of issuing_department, or a supervisor "
        "for the district government's; others 403 with the reason); only a third party whose answer is objected, "
        "once, before the reply (409 after closure or while a reply awaits sign-off). A disclosing reply needs this "
        "notice delivered (record its delivery, delivered_on on or before the reply's day)",
        {"content": LONG_TEXT, "reasons": LONG_TEXT, **_ON}, ["content", "reasons"],
        parameters=[_ID, path_id("consultation_id")], result_schema=_REQ),
    P + "/{request_id}/lapse-decision": action_path(
        "Close as 视为放弃 after a delivered notice's period ran out (staff decision, with its grounds)",
        {"reason": _S}, ["reason"], parameters=[_ID], result_schema=_REQ),
    P + "/lapsed": {"get": {
        "summary": "Decision list: periods that seem to have run out but were not closed automatically, and "
                   "补正告知书 / 收费通知书 still undelivered after the day they had to reach the applicant "
                   f"(undelivered_late: true; due_on is that day — Art. 30: {periods.CORRECTION_NOTICE_WORKDAYS} working days from receipt; a fee "
                   "notice: the answer due date it paused)",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "Applications awaiting a decision", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"items": {"type": "array"}}}}}},
            **error_responses(401, 403)}}},
    P + "/{request_id}/extension": _action(f"Extend once by at most {periods.EXTENSION_MAX_WORKDAYS} working days (Art. 33 para. 2; "
                                           "an approver of issuing_department; "
                                           "others 403 with the reason)",
                                           {"days": {"type": "integer", "minimum": 1, "maximum": 1000}, "reason": _S}, ["days", "reason"]),
    P + "/{request_id}/extension-requests": action_path(
        "File an extension request for the head of issuing_department's disclosure work to decide (Art. 33 para. 2): "
        "anyone handling the application; once the due date has passed it is refused (409), as is a second one while "
        "one is pending or after the period was extended", {
            "days": {"type": "integer", "minimum": 1, "maximum": 1000,
                     "description": f"1 to {periods.EXTENSION_MAX_WORKDAYS} working days (400 otherwise)"},
            "reason": _S}, ["days", "reason"], parameters=[_ID], result_schema=_REQ),
    P + "/{request_id}/extension-requests/{extension_request_id}/decision": action_path(
        "Approve (the extension runs from today; the 延期告知书 is issued) or refuse with a reason (told to the clerk) "
        "a pending extension request: an approver of issuing_department only (others 403 with the reason); a "
        "request already decided is 409", {"approve": {"type": "boolean"},
                                          "reason": {**_S, "description": "required when approve is false"}},
        ["approve"], parameters=[_ID, path_id("extension_request_id")], result_schema=_REQ),
    P + "/extension-requests": {"get": {
        "summary": "Pending extension requests the caller may decide (an approver of their issuing department)",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "Pending extension requests", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"items": {
                "type": "array", "items": {"$ref": "#/components/schemas/ExtensionRequest"}}}}}}},
            **error_responses(401, 403)}}},
    P + "/{request_id}/reply": _action("Reply with an outcome code (disclosed: disclosure_basis Art. 36 (1) or (2) and "
                                       "disclosure_access; partly_disclosed: disclosure_access, Art. 37; "
                                       "unavailable_not_held: not_held_basis Art. 36 (4) or (5), "
                                       "the latter with not_ours_reason and optionally holder_organ + holder_contact); 409 "
                                       "when it discloses over a third party's objection before the 决定公开告知书 "
                                       "was delivered to it (Art. 32), withholds as withheld_third_party when every "
                                       "third party consulted agreed (Art. 15, 32), or provides nothing while a 按量 "
                                       "fee paid is not refunded (109号). A reply by someone who may not sign off for "
                                       "the issuing organ and is not of issuing_department is always a draft "
                                       "(status awaiting_signoff, Art. 4, 36); issuing_department's own staff follow "
                                       "its requires_signoff",
                                       _REPLY, ["outcome", "text"]),
    P + "/{request_id}/reply-preview": action_path(
        "The letter as it would be issued for these reply values (nothing is saved; no document number)",
        _REPLY, ["outcome", "text"], parameters=[_ID], result_schema={"$ref": "#/components/schemas/LetterPreview"},
        extra_props=_ON),
    # No `on`: the reply is made on the day it is signed off (reply.sign_off), so a day sent along is refused
    P + "/{request_id}/sign-off": action_path("Approve or return a drafted reply (an approver of "
                                              "issuing_department, or a supervisor for the district government's "
                                              "replies; others 403 with the reason); dated the day it is signed off",
                                              {"approve": {"type": "boolean"}, "note": _S}, ["approve"],
                                              parameters=[_ID], result_schema=_REQ),
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
