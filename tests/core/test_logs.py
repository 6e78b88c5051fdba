"""Request ids and structured access logs; one record is one line in both formats."""
import json
import logging
import sys

import pytest

from core.logs import JsonFormatter, RequestIdFilter, TextFormatter


def test_request_id_is_echoed_or_made(client, seeded):
    assert client.get("/", headers={"X-Request-Id": "lb-42.a_b"}).headers["X-Request-Id"] == "lb-42.a_b"
    made = client.get("/", headers={"X-Request-Id": "bad id; <script>"}).headers["X-Request-Id"]
    assert len(made) == 32 and "\n" not in made and made != client.get("/").headers["X-Request-Id"]


def test_access_line_is_json_without_the_query_string(client, seeded, caplog):
    with caplog.at_level(logging.INFO, logger="access"):
        resp = client.get("/log/?q=张三 13800001111", headers={"X-Request-Id": "req-1"})
    record = next(r for r in caplog.records if r.name == "access")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-1" and line["path"] == "/log/" and line["status"] == resp.status_code
    assert line["method"] == "GET" and line["user"] is None and line["ms"] >= 0
    assert "13800001111" not in json.dumps(line, ensure_ascii=False) and "张三" not in line["message"]


FORGED = "2026-11-27 10:00:00,000 INFO access [x] POST /auth/login 302"
FORMATTERS = {"text": TextFormatter(), "json": JsonFormatter()}


def _record(message, *args, exc_info=None):
    record = logging.LogRecord("gk", logging.WARNING, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(record)  # as the handler does: "-" outside a request
    return record


def _one_line(out):
    """str.splitlines breaks at every line boundary any reader knows (LF, CR, NEL, U+2028, FS/GS/RS …)."""
    assert len(out.splitlines()) == 1, out
    assert "\x1b" not in out and "\x7f" not in out


@pytest.mark.parametrize("fmt", FORMATTERS)
def test_a_path_cannot_forge_an_access_line(client, seeded, caplog, fmt):
    """%0A, %0D and ESC in the path arrive decoded in request.path; the access line stays one line."""
    with caplog.at_level(logging.INFO, logger="access"):
        client.get("/log/x%0D%0A" + FORGED.replace(" ", "%20") + "%1B%5B2K")
    record = next(r for r in caplog.records if r.name == "access")
    assert "\n" in record.path and "\x1b" in record.path  # the attack really reached the logger
    out = FORMATTERS[fmt].format(record)
    _one_line(out)
    if fmt == "json":
        assert json.loads(out)["path"] == record.path  # escaped, not lost
    else:
        assert "/log/x\\r\\n2026-11-27" in out and "\\x1b[2K" in out


@pytest.mark.parametrize("fmt", FORMATTERS)
def test_a_message_with_any_line_break_stays_one_line(fmt):
    typed = "张三\r\n" + FORGED + "\u2028" + FORGED + "\x85\x1c\x1b[31m\x7f\x9b"
    out = FORMATTERS[fmt].format(_record("citizen typed %s", typed))
    _one_line(out)
    if fmt == "json":
        assert json.loads(out)["message"] == "citizen typed " + typed
    else:
        assert out.endswith("citizen typed 张三\\r\\n" + FORGED + "\\u2028" + FORGED + "\\x85\\x1c\\x1b[31m\\x7f\\x9b")


@pytest.mark.parametrize("fmt", FORMATTERS)
def test_a_traceback_cannot_start_a_record(fmt):
    try:
        raise ValueError("bad input\n" + FORGED)
    except ValueError:
        record = _record("failed", exc_info=sys.exc_info())
    out = FORMATTERS[fmt].format(record)
    if fmt == "json":
        _one_line(out)
        assert json.loads(out)["exception"].endswith("ValueError: bad input\n" + FORGED)
    else:
        first, *rest = out.split("\n")
        assert first.endswith("failed") and rest and all(line.startswith("    ") for line in rest)
        assert "    " + FORGED in rest  # shown, but indented under its record
