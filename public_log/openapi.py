"""OpenAPI description of /api/v1/log and /api/v1/publication-reviews (merged into /api/v1/openapi.json)."""
from core.api.openapi import CODE, DATE, LONG_TEXT, action_path, error_responses, path_id, query, text
from public_log.queries import MAX_PAGE

_S = {"type": "string"}
_NS = {"type": ["string", "null"]}
_RECORD = {"type": "object", "required": ["public_id", "kind", "title", "url"], "properties": {
    "public_id": _S, "kind": {"enum": ["disclosure", "hotline"]}, "title": _S, "department": _NS, "type": _NS,
    "category": _NS, "replied_on": {"type": "string", "format": "date"}, "published_at": _S, "url": _S,
    "snippet": _S, "request_text": _S, "reply_text": _S, "correction_note": _NS}}
_REVIEW = {"type": "object", "required": ["id", "public_id", "status", "original", "public", "maskings"],
           "properties": {"id": {"type": "integer"}, "public_id": _S, "status": _S, "original": {"type": "object"},
                          "public": {"type": "object"}, "maskings": {"type": "array"}}}
_ID = path_id("record_id")


_q = query


PATHS = {
    "/log": {"get": {
        "summary": "Search or browse the public reply log (public, masked text only)",
        "parameters": [_q("q", text(200), "words AND-ed; \"quoted phrase\" for exact text"),
                       _q("kind", {"enum": ["disclosure", "hotline"]}, "kind of record"),
                       _q("department", CODE, "department code"), _q("type", CODE, "ticket type or outcome code"),
                       _q("category", CODE, "category code (prefix)"),
                       _q("from", DATE, "replied on or after"),
                       _q("to", DATE, "replied on or before"),
                       _q("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "page number"),
                       _q("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "page size")],
        "responses": {"200": {"description": "A page of records", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"total": {"type": "integer"}, "items": {"type": "array", "items": _RECORD},
                                             "suggestions": {"type": "array"}}}}}},
            **error_responses(400)}}},
    "/log/{public_id}": {"get": {
        "summary": "One published record by its permalink id",
        "parameters": [{"name": "public_id", "in": "path", "required": True, "schema": text(40)}],
        "responses": {"200": {"description": "The record", "content": {"application/json": {"schema": _RECORD}}},
                      "410": {"description": "Withdrawn"}, **error_responses(404)}}},
    "/publication-reviews": {"get": {
        "summary": "The caller's publication review queue (never their own replies)", "security": [{"bearer": []}],
        "responses": {"200": {"description": "Pending records", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"items": {"type": "array", "items": _REVIEW}}}}}},
            **error_responses(401, 403)}}},
    "/publication-reviews/{record_id}": {"get": {
        "summary": "One record: original beside public text, every masking", "security": [{"bearer": []}],
        "parameters": [_ID],
        "responses": {"200": {"description": "The record", "content": {"application/json": {"schema": _REVIEW}}},
                      **error_responses(401, 403, 404)}}},
    "/publication-reviews/{record_id}/approve": action_path(
        "Publish exactly the approved text; edits changed by masking are saved and answered 409 (look again); "
        "confirm must be true",
        {"confirm": {"type": "boolean"}, "title": text(200), "request_text": LONG_TEXT, "reply_text": LONG_TEXT}, (),
        parameters=[_ID], result_schema=_REVIEW),
    "/publication-reviews/{record_id}/unmask": action_path(
        "Restore one masked span (index into maskings) judged not personal, with a reason (audited); "
        "value: the original text seen there (409 when the list changed meanwhile)",
        {"index": {"type": "integer", "minimum": 0, "maximum": 10000}, "reason": text(2000), "value": text(2000)}, ["index", "reason"], parameters=[_ID],
        result_schema=_REVIEW),
    "/publication-reviews/{record_id}/mask": action_path(
        "Mask a text the engine missed, wherever it appears in the record, with a reason (audited)",
        {"value": text(2000), "reason": text(2000)}, ["value", "reason"], parameters=[_ID], result_schema=_REVIEW),
    "/publication-reviews/{record_id}/refuse": action_path(
        "Refuse publication with a reason", {"reason": text(2000)}, ["reason"], parameters=[_ID], result_schema=_REVIEW),
}
