"""Every action on a ticket, tried by every role through the page and through the API (issue 14): the
answers agree with each other and with the table below — written here independently of
hotline/access.py — whatever state the ticket is in (a permitted action may still be refused by the
transition table or by validation, but never as a matter of authority)."""
import pytest

from core.auth.service import create_token
from core.departments.models import Department
from hotline import intake
from hotline.seed import seed_categories
from tests.conftest import at, csrf_from, login, make_user

DESK = {"dispatch", "direct_close", "transfer", "urge", "callback", "merge"}
LEAD = {"sign", "return", "extension_request", "reply"}
EXPECTED = {  # who may do what on a ticket led by 民政局 (mzj) with 住建局 (zjj) co-handling
    "operator": DESK,
    "staff of the lead department": LEAD,
    "approver of the lead department": LEAD | {"sign_off"},
    "staff of a co-handling department": {"co_part"},
    "staff of another department": set(),
    "supervisor": DESK | LEAD | {"sign_off", "extension_decision", "review"},
    "admin": DESK | LEAD | {"extension_decision", "review"},
    "citizen": set(),
}
ACTIONS = sorted(DESK | LEAD | {"sign_off", "extension_decision", "review", "co_part"})
USERS = {
    "operator": ("operator", None), "staff of the lead department": ("staff", "mzj"),
    "approver of the lead department": ("approver", "mzj"), "staff of a co-handling department": ("staff", "zjj"),
    "staff of another department": ("staff", "hbj"), "supervisor": ("supervisor", None), "admin": ("admin", None),
    "citizen": ("citizen", None),
}


def _ticket():
    t = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13900001111",
                              "content": "工地夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                             received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="op")
    intake.dispatch(t, Department.query.filter_by(code="mzj").one(),
                    co_departments=[Department.query.filter_by(code="zjj").one()], now=at(2026, 11, 16, 9, 5),
                    actor="op")
    return t


def _authorised_on_page(status):
    return status == 302  # done or refused by the domain, with a message on the ticket page


def _authorised_in_api(status):
    return status in (200, 400, 409)  # done, or refused by validation or the transition table


@pytest.fixture
def people(seeded):
    seed_categories()
    out = {}
    for label, (role, dept) in USERS.items():
        login_id = f"{role}-{dept or 'x'}@m.cn" if role != "citizen" else "13800009999"
        out[label] = make_user(role, login_id, department=dept)
    return out


@pytest.mark.parametrize("label", list(USERS))
def test_every_action_as_every_role_pages_and_api_agree(app, people, label):
    user = people[label]
    page = app.test_client()
    assert login(page, user.login_id).status_code == 302
    token = csrf_from(page.get("/auth/password").get_data(as_text=True))
    headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]} if user.role.is_staff else {}
    api = app.test_client()
    disagreements, wrong = [], []
    for action in ACTIONS:
        on_page = page.post(f"/hotline/tickets/{_ticket().id}/{action}", data={"csrf_token": token}).status_code
        in_api = api.post(f"/api/v1/tickets/{_ticket().id}/{action.replace('_', '-')}", json={},
                          headers=headers).status_code
        allowed_page, allowed_api = _authorised_on_page(on_page), _authorised_in_api(in_api)
        if allowed_page != allowed_api:
            disagreements.append((action, on_page, in_api))
        if allowed_page != (action in EXPECTED[label]):
            wrong.append((action, on_page, in_api))
        for status in (on_page, in_api):
            assert status != 500, (label, action)
    assert disagreements == [], f"{label}: page and API disagree"
    assert wrong == [], f"{label}: not as the table says"
