"""Who may know the caller (issue 13), through the ticket page and the API alike: a confidential
(保密) caller cannot be re-identified by the department through duplicate hints, and an anonymous
(匿名) caller's recorded name is hidden from the department yet still masked in the public text."""
import pytest

from core.auth.service import create_token
from core.departments.models import Department
from hotline import handling, intake, reply
from public_log.models import PublicRecord
from tests.conftest import at, login, make_user

PHONE, NAME = "13955556666", "上官飞燕"


def _ticket(day, **changes):
    data = {"type": "complaint", "category_code": "030101", "caller_phone": PHONE, "caller_name": NAME,
            "content": "工地夜间施工噪声", "address": "亭湖区某路", **changes}
    t = intake.create_ticket(data, channel="phone", received_at=at(2026, 11, day, 9), now=at(2026, 11, day, 9),
                             actor="op")
    intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=at(2026, 11, day, 9, 5), actor="op")
    return t


def _views(app, user, t):
    """(ticket page HTML, API caller field) as this user sees them."""
    page_client = app.test_client()
    assert login(page_client, user.login_id).status_code == 302
    page = page_client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    token = create_token(user, now=user.created_at)[0]
    api = app.test_client().get(f"/api/v1/tickets/{t.id}", headers={"Authorization": f"Bearer {token}"}).get_json()
    return page, api["caller"]


@pytest.fixture
def people(hot):
    return {"staff": make_user("staff", "hbj@x.cn", department="sthjj"), "operator": make_user("operator", "op@x.cn"),
            "supervisor": make_user("supervisor", "sup@x.cn")}


def test_a_confidential_caller_is_not_reidentified_through_duplicate_hints(app, people):
    ordinary = _ticket(16)
    secret = _ticket(17, confidential="y")
    page, caller = _views(app, people["staff"], secret)
    assert caller is None and PHONE not in page and NAME not in page
    assert ordinary.number not in page  # no link to the same caller's ordinary ticket
    page, _ = _views(app, people["staff"], ordinary)
    assert secret.number not in page  # nor the other way round
    for role in ("operator", "supervisor"):
        page, caller = _views(app, people[role], secret)
        assert ordinary.number in page and caller["phone"] == PHONE, role
        page, _ = _views(app, people[role], ordinary)
        assert secret.number in page, role


def test_an_anonymous_callers_name_is_kept_hidden_and_still_masked(app, people):
    t = _ticket(16, anonymous="y", content=f"我叫{NAME}，工地夜间施工噪声扰民")
    assert t.anonymous and t.caller_name == NAME  # kept, so that masking can find it
    page, caller = _views(app, people["staff"], t)
    assert caller == {"phone": PHONE, "anonymous": True, "name": None}
    assert "匿名" in page
    for role in ("operator", "supervisor"):
        _, caller = _views(app, people[role], t)
        assert caller["name"] == NAME, role
    handling.sign(t, now=at(2026, 11, 16, 10), actor=people["staff"])
    reply.reply(t, text="已责令停工。", now=at(2026, 11, 16, 11), actor=people["staff"])
    record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
    assert NAME not in record.request_text and "我叫上***" in record.request_text
