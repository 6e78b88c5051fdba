"""Request ids and structured access logs."""
import json
import logging

from core.logs import JsonFormatter


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
