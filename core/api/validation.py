"""Every /api/v1 request is checked against the OpenAPI document before its view runs (issue 14).

The document the API serves is the single description of its inputs: path and query parameters and
JSON bodies are validated against it with `jsonschema` (draft 2020-12), dates and date-times with the
range of core.inputs, and a body is parsed strictly (NaN, Infinity and out-of-range floats refused).
A bad request answers 400 {"error": "invalid", "message": …, "fields": {name: message}} in Chinese; a
view reads the checked body from `checked_body()` (core.api.json_body).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NoReturn

from flask import g, request
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from core.errors import ValidationError
from core.inputs import DATE_HINT, DATETIME_HINT, parse_date, parse_datetime

if TYPE_CHECKING:
    from collections.abc import Iterable

    from jsonschema.exceptions import ValidationError as SchemaError

PREFIX = "/api/v1"
_DOCUMENT = "urn:api:openapi"
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(parse_date(value))


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(parse_datetime(value))


TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
              "array": "列表", "object": "JSON 对象", "null": "null"}


def _between(separator: str, words: Iterable[str]) -> list[str]:
    """words with `separator` between them: ['a', 'b'] -> ['a', separator, 'b']."""
    out: list[str] = []
    for word in words:
        out += [separator, word] if out else [word]
    return out


def _spaced(*parts: str) -> str:
    """Parts joined the way Chinese text is set: a space between Chinese and Latin letters or digits
    ('应为 true 或 false', '应为整数或 null'), none between two Chinese parts."""
    text = ""
    for part in parts:
        if text and part and (text[-1].isascii() != part[0].isascii()) and not text[-1].isspace():
            text += " "
        text += part
    return text


def _message(error: SchemaError) -> str:
    """The Chinese message of one jsonschema error."""
    kind, value, schema = error.validator, error.validator_value, error.schema
    if kind == "type":
        return _spaced("应为", *_between("或", [TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value)]))
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"应在 {low} 到 {high} 之间"
        return f"应不小于 {low}" if low is not None else f"应不大于 {high}"
    if kind in ("exclusiveMinimum", "exclusiveMaximum"):
        return f"应大于 {value}" if kind == "exclusiveMinimum" else f"应小于 {value}"
    if kind == "maxLength":
        return f"最多 {value} 个字"
    if kind == "minLength":
        return "不能为空" if value == 1 else f"至少 {value} 个字"
    if kind == "maxItems":
        return f"最多 {value} 项"
    if kind == "minItems":
        return f"至少 {value} 项"
    if kind == "uniqueItems":
        return "不能有重复项"
    if kind in ("enum", "const"):
        values = value if kind == "enum" else [value]
        return "应为以下之一：" + "、".join(json.dumps(v, ensure_ascii=False) for v in values)
    if kind == "format":
        if error.cause is not None:  # core.inputs names the bad value and the rule it breaks
            return str(error.cause)
        return DATE_HINT if value == "date" else DATETIME_HINT if value == "date-time" else "格式不正确"
    if kind == "pattern":
        return "格式不正确"
    return "格式不正确"


def _field_errors(validator: Draft202012Validator, instance: object, prefix: str = "") -> dict[str, str]:
    """{field: message} for every error, fields named by their path in the instance."""
    fields: dict[str, str] = {}
    for error in validator.iter_errors(instance):
        path = prefix + ".".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    fields.setdefault(f"{path}.{name}" if path else name, "缺少此项")
        elif error.validator in ("additionalProperties", "unevaluatedProperties"):
            known = error.schema.get("properties", {})
            for name in error.instance:
                if name not in known:
                    fields.setdefault(f"{path}.{name}" if path else str(name), "不接受此字段")
        else:
            fields.setdefault(path or "body", _message(error))
    return fields


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, Any], Registry[Any]]:
    from core.api.openapi import openapi_document
    document = openapi_document()
    registry = Registry().with_resource(_DOCUMENT, Resource.from_contents(document,
                                                                          default_specification=DRAFT202012))
    return document, registry


def _pointer(*parts: object) -> str:
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@lru_cache(maxsize=None)
def _validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the document, resolving its $refs there."""
    _, registry = _registry()
    return Draft202012Validator({"$ref": f"{_DOCUMENT}#/{pointer}"}, registry=registry, format_checker=FORMATS)


def operation_path(rule: str) -> str:
    """/api/v1/tickets/<int:ticket_id>/sign → /tickets/{ticket_id}/sign (the document's key)."""
    import re
    path = rule[len(PREFIX):] if rule.startswith(PREFIX) else rule
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", path) or "/"


def operation_for(rule: str, method: str) -> tuple[str, dict[str, Any]] | None:
    """The OpenAPI operation of a URL rule and method, or None."""
    document, _ = _registry()
    path = operation_path(rule)
    operation = document["paths"].get(path, {}).get(method.lower())
    return (path, operation) if operation is not None else None


def text_limits(path: str, method: str = "post") -> dict[str, int]:
    """{field: maxLength} of the text fields of an operation's JSON body: the API's limits, which the page doing
    the same step applies to its form too (one limit per field, wherever it is typed)."""
    document, _ = _registry()
    operation = document["paths"].get(path, {}).get(method)
    if operation is None or "requestBody" not in operation:
        return {}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:  # "#/components/schemas/…"
        node = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return {name: prop["maxLength"] for name, prop in schema.get("properties", {}).items()
            if isinstance(prop, dict) and "maxLength" in prop}


def _query_value(text: str, schema: dict[str, Any]) -> object:
    """A query-string value as the JSON type its schema asks for (else the text, so the type check names it)."""
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    if "integer" in types:
        try:
            return int(text) if text.strip().lstrip("+-").isdigit() and len(text) < 40 else text
        except ValueError:
            return text
    if "number" in types:
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    if "boolean" in types:
        return {"true": True, "false": False}.get(text, text)
    return text


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"不接受 {name}")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("数字超出范围")
    return number


def _parse_body() -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    if not request.is_json:
        raise ValidationError("请求体应为 JSON（Content-Type: application/json）", field="body")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError("请求体不是有效的 JSON（NaN、Infinity 等不被接受）", field="body") from None


def _refuse(fields: dict[str, str]) -> NoReturn:
    raise ValidationError("请求有误：" + "；".join(f"{k} {v}" for k, v in fields.items()), fields=fields)


def validate_request() -> None:
    """Before an /api/v1 view: check its parameters against its OpenAPI operation (400 at once), and its
    body too — whose errors are raised when the view reads it with checked_body(), after the view's
    access check, so that a caller without the right gets 403/404 first, as on the pages."""
    g.pop("api_body", None)
    g.pop("api_body_errors", None)
    if request.url_rule is None or request.method in ("HEAD", "OPTIONS"):
        return
    found = operation_for(request.url_rule.rule, request.method)
    if found is None:
        return
    path, operation = found
    fields: dict[str, str] = {}
    for index, param in enumerate(operation.get("parameters", [])):
        name, where = param["name"], param["in"]
        pointer = _pointer("paths", path, request.method.lower(), "parameters", index, "schema")
        if where == "path":
            value = (request.view_args or {}).get(name)
        elif where == "query":
            if name not in request.args:
                if param.get("required"):
                    fields[name] = "缺少此项"
                continue
            value = _query_value(request.args[name], param["schema"])
        else:
            continue
        for message in _field_errors(_validator(pointer), value).values():
            fields.setdefault(name, message)
    if fields:
        _refuse(fields)
    body = operation.get("requestBody")
    if body is not None:
        try:
            data = _parse_body()
        except ValidationError as err:
            g.api_body_errors = err.fields
            return
        if data is None:
            if body.get("required"):
                g.api_body_errors = {"body": "缺少请求体（JSON 对象）"}
            return
        pointer = _pointer("paths", path, request.method.lower(), "requestBody", "content", "application/json",
                           "schema")
        g.api_body_errors = _field_errors(_validator(pointer), data)
        g.api_body = data


def checked_body() -> dict[str, Any]:
    """The request's JSON body as validate_request parsed and checked it ({} when there is none);
    ValidationError (400, every bad field named) when it does not match the document."""
    if g.get("api_body_errors"):
        _refuse(g.api_body_errors)
    body = g.get("api_body")
    return body if isinstance(body, dict) else {}
