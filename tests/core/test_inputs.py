"""The input ranges of core/inputs.py, and the API layer that applies them to every /api/v1 request."""
from datetime import date

import pytest

from core.inputs import parse_date, parse_datetime, parse_decimal, parse_int


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "20261120", "2026-02-30"])
def test_dates_outside_1900_2100_or_malformed_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_dates_and_times_inside_the_range_parse():
    assert parse_date("1900-01-01") == date(1900, 1, 1) and parse_date("2100-12-31") == date(2100, 12, 31)
    assert parse_datetime("2026-11-20T10:00:00+08:00").utcoffset().total_seconds() == 8 * 3600
    for bad in ("2026-11-20T10:00:00", "9999-12-31T00:00:00Z", "yesterday"):
        with pytest.raises(ValueError):
            parse_datetime(bad)


def test_integers_and_amounts_keep_their_range():
    assert parse_int("42") == 42
    for bad in (str(2**70), str(-2**70), "9" * 5000, "1.5", "١٢"):
        with pytest.raises(ValueError):
            parse_int(bad)
    for bad in ("NaN", "Infinity", "-1", "1e999", "abc"):
        with pytest.raises(ValueError):
            parse_decimal(bad, 0, 100000)


def test_the_api_answers_400_naming_each_bad_field(api_as, seeded):
    from tests.requests.helpers import received
    req = received(date(2026, 11, 2))
    sup = api_as("supervisor", login="sup.inputs@x.cn")
    r = sup.post(f"/disclosure-requests/{req.id}/fee-notice", {"method": "pages", "quantity": 33, "amount": "NaN", "on": "9999-12-31"})
    body = r.get_json()
    assert r.status_code == 400 and body["error"] == "invalid" and set(body["fields"]) == {"amount", "on"}
    assert "年份应在 1900 到 2100 之间" in body["fields"]["on"]
    head = api_as("approver", department="zfb", login="head.inputs@x.cn")  # extensions: the issuing organ's head
    r = head.post(f"/disclosure-requests/{req.id}/extension", {"days": 2**70, "reason": "x", "sneaky": 1})
    assert r.status_code == 400 and r.get_json()["fields"] == {"days": "应在 1 到 1000 之间", "sneaky": "不接受此字段"}
    assert sup.get("/log?per_page=" + str(2**70)).status_code == 400
    assert sup.get(f"/disclosure-requests/{2**70}").status_code == 404


def test_nan_and_infinity_in_a_json_body_are_refused(client, api_as, seeded):
    from datetime import datetime, timezone

    from core.auth.service import create_token
    from tests.conftest import make_user
    token = create_token(make_user("operator", "op.nan@x.cn"), now=datetime(2026, 11, 1, tzinfo=timezone.utc))[0]
    for raw in ('{"type": "complaint", "category_code": "x", "content": "x", "lat": NaN}',
                '{"type": "complaint", "category_code": "x", "content": "x", "lng": 1e999}'):
        r = client.post("/api/v1/tickets", data=raw, content_type="application/json",
                        headers={"Authorization": "Bearer " + token})
        assert r.status_code == 400 and r.get_json()["fields"] == {"body": r.get_json()["fields"]["body"]}
