"""Inputs and outputs stay well-formed whatever was typed (issue 13).

- A NUL byte in a request's path, query or JSON (values and keys) is refused with 400 before any view
  runs: PostgreSQL cannot store it and SQLite would, so without this the same input answers 500 on one
  backend and passes on the other. So is a lone UTF-16 surrogate in JSON ("\ud800": valid JSON, but no
  character — no UTF-8 encoder, driver or database takes it; it answered 500).
- A NUL byte typed or pasted into a page's form (values, field names, upload file names) is removed
  before any view runs, and the person is told: a 400 there would throw away everything they typed and
  attached (issue 15: a user never loses typed work). The character is invisible, so nothing they meant
  is lost; the view then validates the cleaned text as usual.
- Control characters (C0 except tab, line feed and carriage return; DEL) are removed from every
  HTML, XML (Atom, Open311) and JSON answer: XML 1.0 forbids them, and a feed reader or an Open311
  client must never choke on text a caller once typed.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import flash, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask, Response

# In UTF-8 the bytes 0x00–0x1F and 0x7F only ever stand for themselves (every byte of a multi-byte
# character is >= 0x80), so they can be removed from an encoded body without decoding it.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A \u escape (or the short \b, \f) of a control character in JSON text, preceded by an even number of
# backslashes (an odd number would make the first backslash part of an escaped "\\" followed by literal text).
_JSON_CONTROL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|[bf])")
TEXT_TYPES = ("text/html", "text/xml", "application/xml", "application/atom+xml", "application/json",
              "application/problem+json")
NUL_MESSAGE = "提交的内容含有不可见的控制字符（NUL），请删除后重新提交。"
SURROGATE_MESSAGE = "提交的内容含有无效的字符编码（孤立的 UTF-16 代理项 \\ud800–\\udfff），请删除后重新提交。"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _any_text(value: object, test: Callable[[str], bool]) -> bool:
    """Whether `test` holds for any string in a JSON-like value (values and keys, at any depth)."""
    if isinstance(value, str):
        return test(value)
    if isinstance(value, dict):
        return any(_any_text(k, test) or _any_text(v, test) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_any_text(v, test) for v in value)
    return False


def _has_nul(value: object) -> bool:
    return _any_text(value, lambda text: "\x00" in text)


def _has_surrogate(value: object) -> bool:
    return _any_text(value, lambda text: _SURROGATE.search(text) is not None)


def json_has_surrogate() -> bool:
    """True when the current request's JSON body holds a lone surrogate anywhere (values and keys)."""
    return request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json and _has_surrogate(
        request.get_json(silent=True))


def request_has_nul() -> bool:
    """True when the current request carries a NUL byte anywhere a view could read text from."""
    if "\x00" in request.path:
        return True
    if any(_has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)):
        return True
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            return _has_nul(request.get_json(silent=True))
        if any(_has_nul(k) or _has_nul(v) for k, v in request.form.items(multi=True)):
            return True
        return any(_has_nul(f.filename or "") for _, f in request.files.items(multi=True))
    return False


CLEANED_MESSAGE = "提交的内容中含有不可见的控制字符（NUL），已自动删除。"


def _form_post() -> bool:
    return (request.method in ("POST", "PUT", "PATCH") and not request.is_json
            and not request.path.startswith("/api/") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"))


def clean_form_nul() -> bool:
    """Remove NUL bytes from a page form's fields and upload file names; True when there were any."""
    pairs = list(request.form.items(multi=True))
    files = [f for _, f in request.files.items(multi=True)]
    if not any(_has_nul(k) or _has_nul(v) for k, v in pairs) and not any(_has_nul(f.filename or "") for f in files):
        return False
    request.form = ImmutableMultiDict([(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in pairs])
    for f in files:
        f.filename = (f.filename or "").replace("\x00", "")
    return True


def register_wellformed(app: Flask) -> None:
    def _refuse_nul() -> None:
        if _form_post() and "\x00" not in request.path and not any(
                _has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)):
            if clean_form_nul():
                flash(CLEANED_MESSAGE, "warning")
            return
        if request_has_nul():
            raise BadRequest(NUL_MESSAGE)
        if json_has_surrogate():
            raise BadRequest(SURROGATE_MESSAGE)
    # First of all request hooks: before CSRF, rate limits and logins read the request.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)

    @app.after_request
    def _strip_controls(response: Response) -> Response:
        if response.direct_passthrough or response.is_streamed or response.mimetype not in TEXT_TYPES:
            return response
        body = response.get_data()
        cleaned = _CONTROL_BYTES.sub(b"", body)
        if "json" in response.mimetype:
            cleaned = _JSON_CONTROL_ESCAPE.sub(rb"\1", cleaned)
        if cleaned != body:
            response.set_data(cleaned)
        return response
