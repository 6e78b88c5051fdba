"""Every action on a ticket, tried by every role through the page and through the API (issue 14): the
answers agree with each other and with the table below — written here independently of
hotline/access.py — whatever state the ticket is in (a permitted action may still be refused by the
transition table or by validation, but never as a matter of authority)."""
import pytest

from core.departments.models import Department
from hotline import intake
from hotline.seed import seed_categories
from tests.access_matrix import Visitor, check, make_people
from tests.conftest import at

DESK = {"dispatch", "direct_close", "transfer", "urge", "callback", "merge", "return_review"}
LEAD = {"sign", "return", "extension_request", "reply"}
EXPECTED = {  # who may do what on a ticket led by 民政局 (mzj) with 住建局 (zjj) co-handling
    "operator": DESK,
    "staff of the lead department": LEAD | {"contact"},  # 首次联系诉求人: the lead department itself only
    "approver of the lead department": LEAD | {"sign_off", "contact"},
    "staff of a co-handling department": {"co_part"},
    "staff of another department": set(),
    "supervisor": DESK | LEAD | {"sign_off", "extension_decision", "review"},
    "admin": DESK | LEAD | {"extension_decision", "review"},
    "citizen": set(),
}
ACTIONS = sorted(DESK | LEAD | {"sign_off", "extension_decision", "review", "co_part", "contact"})
USERS = {
    "operator": ("operator", None), "staff of the lead department": ("staff", "mzj"),
    "approver of the lead department": ("approver", "mzj"), "staff of a co-handling department": ("staff", "zjj"),
    "staff of another department": ("staff", "sthjj"), "supervisor": ("supervisor", None), "admin": ("admin", None),
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


@pytest.fixture
def people(seeded):
    seed_categories()
    return make_people(USERS)


@pytest.mark.parametrize("label", list(USERS))
def test_every_action_as_every_role_pages_and_api_agree(app, people, label):
    visitor = Visitor(app, people[label])
    check(label, EXPECTED[label], [
        (action, visitor.post_page(f"/hotline/tickets/{_ticket().id}/{action}"),
         visitor.post_api(f"/api/v1/tickets/{_ticket().id}/{action.replace('_', '-')}", {}))
        for action in ACTIONS])


@pytest.mark.parametrize("label", list(USERS))
def test_the_list_shows_what_the_item_check_allows(app, people, label):
    """hotline.access.visible (the SQL of lists) agrees with can_view (pages and API items)."""
    ticket, visitor = _ticket(), Visitor(app, people[label])
    sees = visitor.page.get(f"/hotline/tickets/{ticket.id}").status_code == 200
    assert sees is (label != "citizen" and label != "staff of another department")
    if visitor.headers:
        assert (visitor.api.get(f"/api/v1/tickets/{ticket.id}", headers=visitor.headers).status_code == 200) is sees
        listed = visitor.api.get("/api/v1/tickets", headers=visitor.headers).get_json()["items"]
        assert (ticket.id in [i["id"] for i in listed]) is sees
