"""Chart series cover every day and month of the period (issue 18 item 9): days without tickets and
months without replies are zeros, not gaps."""
from datetime import date

from hotline.seed import seed_categories
from reports.series import daily, monthly, months
from requests_module import reply as request_reply
from requests_module.outcomes import GROUPS
from tests.conftest import at, make_user
from tests.reports.hotline_helpers import new
from tests.requests.helpers import answer_fields, noon, received


def test_daily_fills_every_day_of_the_range():
    assert daily({date(2026, 11, 2): 3}, date(2026, 10, 31), date(2026, 11, 3)) == [
        (date(2026, 10, 31), 0), (date(2026, 11, 1), 0), (date(2026, 11, 2), 3), (date(2026, 11, 3), 0)]
    assert daily({}, date(2026, 11, 1), date(2026, 11, 1)) == [(date(2026, 11, 1), 0)]


def test_monthly_fills_every_month_across_a_year_end():
    assert months(date(2026, 11, 15), date(2027, 2, 1)) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert monthly({"2026-12": {"a": 2}}, date(2026, 11, 30), date(2027, 1, 1), lambda: {"a": 0}) == [
        ("2026-11", {"a": 0}), ("2026-12", {"a": 2}), ("2027-01", {"a": 0})]


def test_hotline_daily_series_has_all_thirty_days(client, as_role):
    seed_categories()
    new(at(2026, 11, 16, 9))
    new(at(2026, 11, 16, 15))
    new(at(2026, 11, 20, 9))
    as_role("supervisor")
    body = client.get("/reports/hotline.json?from=2026-11-01&to=2026-11-30").get_json()
    assert len(body["by_day"]) == 30
    assert body["by_day"][0] == {"day": "2026-11-01", "count": 0}
    assert body["by_day"][-1] == {"day": "2026-11-30", "count": 0}
    counted = {r["day"]: r["count"] for r in body["by_day"] if r["count"]}
    assert counted == {"2026-11-16": 2, "2026-11-20": 1}
    html = client.get("/reports/hotline?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert html.count('<th scope="col">11-') == 30  # the table beside the chart lists every day too


def test_disclosure_monthly_series_has_months_without_replies(client, as_role):
    staff = make_user("staff", "s@x.cn", department="mzj")
    head = make_user("approver", "h@x.cn", department="zfb")
    for got, on in ((date(2026, 8, 3), date(2026, 8, 10)), (date(2026, 11, 2), date(2026, 11, 9))):
        req = received(got)
        request_reply.reply(req, outcome="disclosed", text="答复如下。", on=on, now=noon(on), actor=staff,
                            **answer_fields("disclosed"))
        request_reply.sign_off(req, approve=True, now=noon(on), actor=head)
    as_role("supervisor")
    body = client.get("/reports/disclosure/dashboard.json?from=2026-07-15&to=2026-12-31").get_json()
    assert [r["month"] for r in body["by_month"]] == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert [r["total"] for r in body["by_month"]] == [0, 1, 0, 0, 1, 0]
    assert body["by_month"][2] == {"month": "2026-09", **dict.fromkeys(GROUPS, 0), "total": 0}
