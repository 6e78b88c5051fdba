"""Structured logs with a request id.

Every request gets an id (the caller's X-Request-Id when it is a plain token, else a new one), sent
back in X-Request-Id and carried by every log line written while the request runs, so one citizen's
complaint can be followed through the web and job logs. One access line per request: method, path
(never the query string, which may hold what a citizen typed), status, duration, user id.
LOG_FORMAT=json (production default) writes one JSON object per line; text is for development.

One record is one line in both formats, whatever a request carries: control characters (a decoded
%0A in a path, CR, ESC, a line separator) are written as escapes (`CONTROL`, one rule for both), so
nobody can forge a log line or colour a terminal; in text, a traceback's lines are indented under their
record, and only a line that starts in the first column starts a record."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from flask import g, has_request_context, request

if TYPE_CHECKING:
    from logging import LogRecord
    from re import Match
    from typing import Any

    from flask import Flask, Response

_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FIELDS = ("request_id", "method", "path", "status", "ms", "user")
access_log = logging.getLogger("access")


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record (\"-\" outside requests)."""

    def filter(self, record: LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


# C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators: each
# ends a line or moves the cursor in some terminal, editor or log reader.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_controls(text: str) -> str:
    """Text with every control character written as a visible escape (\\n, \\x1b, \\u2028)."""
    return CONTROL.sub(_escape, text)


class JsonFormatter(logging.Formatter):
    def format(self, record: LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        out.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        # json escapes C0 itself; what it leaves raw (DEL, C1, U+2028/9) can only stand inside a string
        return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(out, ensure_ascii=False))


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class TextFormatter(logging.Formatter):
    """TEXT_FORMAT on one escaped line; a traceback or stack follows on lines indented by four spaces."""

    def __init__(self, fmt: str | None = TEXT_FORMAT, **kwargs: Any) -> None:
        super().__init__(fmt, **kwargs)

    def format(self, record: LogRecord) -> str:
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        lines = [escape_controls(self.formatMessage(record))]
        details = []
        if record.exc_info:
            details.append(self.formatException(record.exc_info))
        elif record.exc_text:
            details.append(record.exc_text)
        if record.stack_info:
            details.append(self.formatStack(record.stack_info))
        for detail in details:
            lines += ["    " + escape_controls(line) for line in detail.split("\n")]
        return "\n".join(lines)


def configure_logging(app: Flask) -> None:
    """The log handler (once per process; tests keep pytest's own) and the request id hooks."""
    if not app.testing:
        root = logging.getLogger()
        if not any(getattr(h, "_gk_handler", False) for h in root.handlers):
            handler = logging.StreamHandler()
            handler._gk_handler = True  # type: ignore[attr-defined]  # marks the handler as ours
            handler.addFilter(RequestIdFilter())
            handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter())
            root.addHandler(handler)
            root.setLevel(app.config["LOG_LEVEL"])

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _TOKEN.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id is None:
            return response
        response.headers["X-Request-Id"] = request_id
        if not request.path.startswith("/static/"):
            from flask_login import current_user
            user = current_user.get_id() if current_user and current_user.is_authenticated else None
            access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "request_id": request_id, "method": request.method, "path": request.path,
                "status": response.status_code, "user": user,
                "ms": round((time.perf_counter() - g.request_started) * 1000, 1)})
        return response
