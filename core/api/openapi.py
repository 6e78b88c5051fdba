"""The OpenAPI 3.1 document of /api/v1; every endpoint added to the API is described here."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.inputs import INT_MAX

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}
EXTRA_PATHS: dict[str, Any] = {}
EXTRA_SCHEMAS: dict[str, Any] = {}


ERROR_TEXTS = {400: "Invalid input (fields listed)", 401: "No or bad token", 403: "Not allowed for this account",
               404: "Not found (or not visible to this account)", 409: "Not allowed in the current state"}


# Input schemas (core/api/validation.py checks every request against them): bounded text, database-sized
# integers, dates in 1900–2100 (the "date"/"date-time" format checks of the layer).
def text(max_length: int = 200) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length}


LONG_TEXT = text(10000)
CODE = text(40)
ID = {"type": "integer", "minimum": 1, "maximum": INT_MAX}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD, year 1900–2100"}
DATETIME = {"type": "string", "format": "date-time", "description": "RFC 3339 with zone, year 1900–2100"}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def query(name: str, schema: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    param = {"name": name, "in": "query", "required": False, "schema": schema}
    return {**param, "description": description} if description else param


def body(props: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON object body of exactly these properties."""
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": props, "required": list(required), "additionalProperties": False}}}}


def error_responses(*codes: int) -> dict[str, Any]:
    """OpenAPI responses for the API's JSON errors."""
    return {str(c): {"description": ERROR_TEXTS[c], "content": {"application/json": {"schema": _ERROR}}}
            for c in codes}


def action_path(summary: str, props: dict[str, Any], required: Sequence[str] = (), *,
                parameters: list[dict[str, Any]] | None, result_schema: dict[str, Any] | None,
                extra_props: dict[str, Any] | None = None) -> dict[str, Any]:
    """A POST action on one item: JSON body in, the updated item out, the usual errors."""
    return {"post": {"summary": summary, "security": [{"bearer": []}], "parameters": parameters,
                     "requestBody": body({**props, **(extra_props or {})}, required),
                     "responses": {"200": {"description": "The updated item",
                                           "content": {"application/json": {"schema": result_schema}}},
                                   **error_responses(400, 401, 403, 404, 409)}}}


def register_paths(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Modules describe their API endpoints here so /api/v1/openapi.json lists every route."""
    EXTRA_PATHS.update(paths)
    EXTRA_SCHEMAS.update(schemas or {})


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Safe to retry (core/idempotency.py): the first answer is stored with this key for 24 hours, "
                   "per caller; a repeat with the same body gets that answer again (header Idempotent-Replayed: "
                   "true) without the work being done twice; the same key with another body is a 422; while the "
                   "first request still runs, a 409 with Retry-After.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"}}
_IDEMPOTENCY_ANSWERS = {  # what the key adds to a POST's answers (core/idempotency.py)
    "400": "an Idempotency-Key that is not 1–255 visible ASCII characters",
    "409": "a request with this Idempotency-Key is still running: retry after Retry-After seconds",
    "422": "Idempotency-Key already used for another request body"}
_RETRY_AFTER = {"description": "Seconds to wait before retrying with the same key", "schema": {"type": "integer"}}
_REPLAYED = {"description": "true when this answer is the stored one of an earlier request with the same "
                            "Idempotency-Key (the work was not done again)", "schema": {"type": "string"}}


def _key_answers(responses: dict[str, Any]) -> dict[str, Any]:
    """The POST's own answers with the key's: a status both have names both causes (an endpoint's 409 of its state
    machine stays described); a success answer may carry Idempotent-Replayed."""
    out = dict(responses)
    for status, cause in _IDEMPOTENCY_ANSWERS.items():
        own = out.get(status)
        out[status] = ({**own, "description": f"{own['description']}; or {cause}"} if own else
                       {"description": cause[0].upper() + cause[1:], "content": {"application/json": {"schema": _ERROR}}})
    out["409"] = {**out["409"], "headers": {**out["409"].get("headers", {}), "Retry-After": _RETRY_AFTER}}
    for status in [s for s in out if s.startswith("2")]:
        out[status] = {**out[status], "headers": {**out[status].get("headers", {}), "Idempotent-Replayed": _REPLAYED}}
    return out


def _with_idempotency_key(paths: dict[str, Any]) -> dict[str, Any]:
    """Every POST that needs a bearer token takes an Idempotency-Key (core.api.ApiBlueprint wraps them all)."""
    out = {}
    for path, item in paths.items():
        post = item.get("post")
        if post is not None and {"bearer": []} in (post.get("security") or []):
            post = {**post, "parameters": [*(post.get("parameters") or []), IDEMPOTENCY_KEY],
                    "responses": _key_answers(post.get("responses", {}))}
            item = {**item, "post": post}
        out[path] = item
    return out


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "政务公开申请与 12345 热线办理平台 API", "version": "1.0.0",
                 "description": "Staff endpoints need `Authorization: Bearer <token>` "
                                "(create one with `flask --app app tokens create --email E`)."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string", "description": "invalid, unauthorized, forbidden, not_found, "
                                                               "conflict, …"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}}}},
                **EXTRA_SCHEMAS,
                "Department": {"type": "object", "required": ["code", "name", "full_name", "kind", "contact"],
                               "properties": {
                                   "code": {"type": "string"}, "name": {"type": "string"},
                                   "full_name": {"type": "string"}, "kind": {"enum": ["organ", "town"]},
                                   "contact": {"type": "object", "properties": {
                                       "phone": {"type": "string"}, "email": {"type": "string"},
                                       "address": {"type": "string"}}}}},
            },
        },
        "paths": {
            "/departments": {"get": {
                "summary": "List departments", "security": [],
                "responses": {"200": {"description": "Departments", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["departments"], "properties": {
                        "departments": {"type": "array", "items": {"$ref": "#/components/schemas/Department"}}}}}}}}}},
            "/me": {"get": {
                "summary": "The staff account behind the token", "security": [{"bearer": []}],
                "responses": {
                    "200": {"description": "Account", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["id", "role"], "properties": {
                            "id": {"type": "integer"}, "login": {"type": "string"}, "name": {"type": "string"},
                            "role": {"type": "string"}, "department": {"type": ["string", "null"]}}}}}},
                    "401": {"description": "No or bad token", "content": {"application/json": {"schema": _ERROR}}},
                    "403": {"description": "Not a staff account", "content": {"application/json": {"schema": _ERROR}}}}}},
            **_with_idempotency_key(EXTRA_PATHS),
        },
    }
