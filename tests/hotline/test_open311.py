"""Open311 GeoReport v2 driven over HTTP by a third-party client (georeport from PyPI), in JSON and
XML, with schema checks of every response; personal data never appears."""
import threading

import pytest
import requests
import xmltodict
from georeport import GeoReport
from jsonschema import validate
from werkzeug.serving import make_server

from core.auth.service import create_token
from hotline import intake
from tests.conftest import at, make_user

W3C = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"}
NULLABLE = {"type": ["string", "null"]}
SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type", "group"],
           "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                          "metadata": {"type": "boolean"}, "type": {"enum": ["realtime", "batch", "blackbox"]},
                          "group": {"type": "string"}, "description": {"type": "string"}, "keywords": {"type": "string"}}}
REQUEST = {"type": "object", "additionalProperties": False,
           "required": ["service_request_id", "status", "service_code", "requested_datetime"],
           "properties": {"service_request_id": {"type": "string"}, "status": {"enum": ["open", "closed"]},
                          "status_notes": NULLABLE, "service_name": NULLABLE, "service_code": {"type": "string"},
                          "description": NULLABLE, "agency_responsible": NULLABLE, "service_notice": NULLABLE,
                          "requested_datetime": W3C, "updated_datetime": W3C,
                          "expected_datetime": {"anyOf": [W3C, {"type": "null"}]}, "address": NULLABLE,
                          "address_id": NULLABLE, "zipcode": NULLABLE, "lat": {"type": ["number", "null"]},
                          "long": {"type": ["number", "null"]}, "media_url": NULLABLE}}
ERRORS = {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["code", "description"],
                                                      "properties": {"code": {"type": "integer"}}}}


@pytest.fixture
def live(app, hot, now):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/open311/v2"
    server.shutdown()


def _ticket(**changes):
    data = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
            "content": "李四反映：工地夜间噪声，电话 138 0000 1111", "address": "亭湖区某路 8 号", **changes}
    return intake.create_ticket(data, channel="phone", received_at=at(2026, 11, 20, 9), now=at(2026, 11, 20, 9),
                                actor="op")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_client_reads_services_definitions_and_requests(live, fmt):
    t = _ticket()
    _ticket(confidential="y", content="保密的诉求")
    client = GeoReport(live, output_format=fmt)
    services = client.get_service_list()
    if fmt == "xml":
        services = [{**s, "metadata": s["metadata"] == "true"} for s in services]
    for s in services:
        validate(s, SERVICE)
    noise = next(s for s in services if s["service_code"] == "030101")
    assert noise["group"] == "生态环境" and noise["metadata"] is True
    definition = client.get_service_definition("030101")
    assert definition["service_code"] == "030101"
    reqs = client.get_service_requests(start_date="2026-11-01T00:00:00+08:00", end_date="2026-11-28T00:00:00+08:00")
    reqs = reqs if isinstance(reqs, list) else [reqs]
    assert [r["service_request_id"] for r in reqs] == [t.number]  # the confidential one never leaves
    one = client.get_service_request(t.number)
    if fmt == "xml":
        one = {k: (None if v is None else (float(v) if k in ("lat", "long") and v else v)) for k, v in one.items()}
    validate(one, REQUEST)
    text = str(one)
    assert "13800001111" not in text and "138 0000 1111" not in text and "李四" not in text
    assert one["requested_datetime"] == "2026-11-20T09:00:00+08:00" and one["status"] == "open"


def test_post_request_form_encoded_with_api_key(live, now):
    op = make_user("operator", "op@x.cn")
    key = create_token(op, now=now)[0]
    form = {"api_key": key, "service_code": "030101", "address_string": "亭湖区某路 9 号", "attribute[noise_time]": "night",
            "description": "夜间施工", "first_name": "三", "last_name": "张", "phone": "13900001111"}
    r = requests.post(f"{live}/requests.json", data=form, timeout=10)
    assert r.status_code == 200, r.text
    rid = r.json()[0]["service_request_id"]
    assert rid.startswith("RX-")
    r = requests.post(f"{live}/requests.xml", data=form, timeout=10)
    assert xmltodict.parse(r.content)["service_requests"]["request"]["service_request_id"].startswith("RX-")
    back = GeoReport(live).get_service_request(rid)
    assert back["service_code"] == "030101" and "13900001111" not in str(back) and "张三" not in str(back)


@pytest.mark.parametrize("form, status", [
    ({"service_code": "030101", "address_string": "x", "attribute[noise_time]": "night"}, 403),
    ({"api_key": "bad", "service_code": "030101", "address_string": "x"}, 403),
    ({"service_code": "nope", "address_string": "x"}, 400),
    ({"service_code": "030101"}, 400),
    ({"service_code": "030101", "address_string": "x"}, 400),  # required attribute missing
])
def test_post_errors_in_the_spec_format(live, now, form, status):
    op = make_user("operator", "op@x.cn")
    key = create_token(op, now=now)[0]
    data = {"api_key": key, **form} if status != 403 else form
    for fmt in ("json", "xml"):
        r = requests.post(f"{live}/requests.{fmt}", data=data, timeout=10)
        assert r.status_code == status
        if fmt == "json":
            validate(r.json(), ERRORS)
            assert r.json()[0]["code"] == status
        else:
            assert xmltodict.parse(r.content)["errors"]["error"]["code"] == str(status)


def test_get_errors_and_limits(live):
    r = requests.get(f"{live}/requests.json", params={"start_date": "2026-01-01T00:00:00+08:00",
                                                      "end_date": "2026-11-01T00:00:00+08:00"}, timeout=10)
    assert r.status_code == 400 and "90 days" in r.json()[0]["description"]
    assert requests.get(f"{live}/requests/RX-0000-000000.json", timeout=10).status_code == 404
    assert requests.get(f"{live}/services/010101.xml", timeout=10).status_code == 404
    assert requests.get(f"{live}/tokens/abc.json", timeout=10).status_code == 404
    assert requests.get(f"{live}/requests.json", params={"status": "pending"}, timeout=10).status_code == 400
    for bad in ({"end_date": "0001-03-01T00:00:00+00:00"}, {"start_date": "9999-12-30T00:00:00-14:00",
                                                             "end_date": "9999-12-31T23:59:59-14:00"},
                {"start_date": "0001-01-01T00:00:00+14:00", "end_date": "0001-01-02T00:00:00+14:00"}):
        for fmt in ("json", "xml"):
            assert requests.get(f"{live}/requests.{fmt}", params=bad, timeout=10).status_code == 400, bad
    d = requests.get(f"{live}/discovery.json", timeout=10).json()
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    x = xmltodict.parse(requests.get(f"{live}/discovery.xml", timeout=10).content)
    assert x["discovery"]["endpoints"]["endpoint"]["formats"]["format"] == ["application/json", "text/xml"]
