"""The inputs an outside attacker used to get a 500 (issue 14 review), on both databases: NaN amounts,
ids beyond 64 bits, digits that are not ASCII ('²'.isdigit() is true), huge ids in JSON lists."""
import pytest

from core.auth.service import create_token
from core.departments.models import Department
from hotline import intake as hotline_intake
from hotline.seed import seed_categories
from tests.conftest import at, csrf_from, login, make_user
from tests.requests.helpers import date, received

HUGE = "9" * 30


@pytest.fixture
def supervisor(app, seeded):
    seed_categories()
    user = make_user("supervisor", "sup@x.cn")
    page = app.test_client()
    assert login(page, user.login_id).status_code == 302
    token = csrf_from(page.get("/auth/password").get_data(as_text=True))
    return page, token, {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}


def test_numbers_that_are_not_numbers_answer_400_not_500(app, supervisor):
    page, token, headers = supervisor
    req = received(date(2026, 11, 2))
    ticket = hotline_intake.create_ticket({"type": "complaint", "category_code": "030101",
                                           "caller_phone": "13800001111", "content": "噪声", "address": "某路"},
                                          channel="phone", received_at=at(2026, 11, 2, 9), now=at(2026, 11, 2, 9),
                                          actor="op")
    hotline_intake.dispatch(ticket, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 2, 9, 5),
                            actor="op")
    api = app.test_client()
    for amount in ("NaN", "Infinity", "-1e999"):
        r = api.post(f"/api/v1/disclosure-requests/{req.id}/fee-notice", json={"amount": amount}, headers=headers)
        assert r.status_code == 400, (amount, r.status_code)
    r = api.post(f"/api/v1/disclosure-requests/{req.id}/fee-notice", data='{"amount": NaN}',
                 content_type="application/json", headers=headers)
    assert r.status_code == 400
    r = api.post(f"/api/v1/tickets/{ticket.id}/merge", data='{"duplicates": [%s]}' % HUGE,
                 content_type="application/json", headers=headers)
    assert r.status_code == 400
    for action, data in [("fee_notice", {"amount": "NaN"}), ("consult_answer", {"consultation": HUGE}),
                         ("dispute_result", {"dispute": HUGE}), ("extend", {"days": HUGE})]:
        r = page.post(f"/requests/staff/{req.id}/{action}", data={"csrf_token": token, **data})
        assert r.status_code < 500, (action, r.status_code)
    for value in ("²", HUGE, "-1", "١٢"):
        r = page.post("/hotline/queue/sign", data={"csrf_token": token, "ticket": value})
        assert r.status_code < 500, (value, r.status_code)
