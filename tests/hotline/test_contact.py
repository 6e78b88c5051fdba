"""首次联系诉求人 (hotline/contact.py): the first_contact clock from dispatch, stopped by the lead
department's contact or by the reply; who may record it, through the page and the API alike."""
import re

import pytest

from core.departments.models import Department
from core.extensions import db
from hotline import handling, intake, reply, returns
from hotline.common import clock
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "content": "夜间施工噪声"}


def _dispatched(received, urgency="normal", code="sthjj"):
    t = intake.create_ticket({**CALL, "urgency": urgency}, channel="phone", received_at=received, now=received,
                             actor="op")
    return intake.dispatch(t, Department.query.filter_by(code=code).one(), now=received, actor="op")


def test_clock_limits_and_verdicts(hot):
    from hotline.contact import record_contact
    t = _dispatched(at(2026, 11, 16, 9))  # one working day: due 11-17 09:00
    assert clock(t, "first_contact").due_at == at(2026, 11, 17, 9)
    record_contact(t, now=at(2026, 11, 16, 15), actor="s", note="已电话联系")
    assert t.first_contact_at == at(2026, 11, 16, 15) and (t.contact_verdicts, t.contact_in_time) == (1, 1)
    u = _dispatched(at(2026, 11, 16, 9), urgency="urgent")  # 2 wall hours
    assert clock(u, "first_contact").due_at == at(2026, 11, 16, 11)
    record_contact(u, now=at(2026, 11, 16, 11, 30), actor="s")
    assert (u.contact_verdicts, u.contact_in_time) == (1, 0)
    with pytest.raises(Exception, match="已记录过首次联系"):
        record_contact(u, now=at(2026, 11, 16, 12), actor="s")


def test_reply_stops_it_and_return_does_not_count(hot):
    t = _dispatched(at(2026, 11, 16, 9))
    handling.sign(t, now=at(2026, 11, 16, 9, 30), actor="s")
    reply.reply(t, text="已处理", now=at(2026, 11, 18, 10), actor="s")  # past the 11-17 09:00 due time
    assert (t.contact_verdicts, t.contact_in_time) == (1, 0) and t.first_contact_at is None
    r = _dispatched(at(2026, 11, 16, 9))
    returns.request_return(r, reason="不属本部门", now=at(2026, 11, 16, 10), actor="s")
    assert clock(r, "first_contact").state == "paused"  # while the 12345 centre reviews the return
    returns.review_return(r, upheld=True, note="", now=at(2026, 11, 16, 11), actor="op")
    c = clock(r, "first_contact")
    assert c.state == "stopped" and c.stop_reason == "returned" and r.contact_verdicts == 0


def test_admin_override_of_the_limit(hot):
    from hotline.models import SlaRule
    db.session.add(SlaRule(clock="first_contact", urgency="normal", unit="workhours", hours=2))
    db.session.commit()
    t = _dispatched(at(2026, 11, 16, 9))
    assert clock(t, "first_contact").due_at == at(2026, 11, 16, 11)


def _page_post(client, ticket_id, note, now):
    html = client.get(f"/hotline/tickets/{ticket_id}").get_data(as_text=True)
    with pinned(client.application, now):
        return client.post(f"/hotline/tickets/{ticket_id}/contact",
                           data={"csrf_token": csrf_from(html), "note": note}), html


def test_page_for_each_role(client, hot):
    t = _dispatched(at(2026, 11, 16, 9))
    now = at(2026, 11, 16, 10)
    for role, dep, status in (("operator", None, 403), ("supervisor", None, 403), ("staff", "mzj", 404)):
        user = make_user(role, department=dep)
        login(client, user.login_id)
        html = client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "记录首次联系" not in html
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        with pinned(client.application, now):
            r = client.post(f"/hotline/tickets/{t.id}/contact", data={"csrf_token": token.group(1) if token else ""})
        assert r.status_code == status, role
        client.get("/auth/logout")
    login(client, make_user("approver", department="sthjj").login_id)
    r, html = _page_post(client, t.id, "约定明日现场查看", now)
    assert "记录首次联系" in html and 'name="csrf_token"' in html
    assert r.status_code == 302
    t = db.session.get(Ticket, t.id)
    assert t.first_contact_at == now and (t.contact_verdicts, t.contact_in_time) == (1, 1)
    page = client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "首次联系诉求人" in page and "记录首次联系</button>" not in page


def test_page_bad_input(client, hot):
    """A NUL typed into the form is removed before the view (core/wellformed.py); an over-long note is refused."""
    t = _dispatched(at(2026, 11, 16, 9))
    login(client, make_user("staff", department="sthjj").login_id)
    r, _ = _page_post(client, t.id, "长" * 501, at(2026, 11, 16, 10))
    assert r.status_code == 400 and "不能超过 500 字" in r.get_data(as_text=True)
    assert db.session.get(Ticket, t.id).first_contact_at is None
    r, _ = _page_post(client, t.id, "a\x00b", at(2026, 11, 16, 10))
    assert r.status_code == 302 and db.session.get(Ticket, t.id).first_contact_at == at(2026, 11, 16, 10)


def test_api_for_each_role(api_as, hot):
    t = _dispatched(at(2026, 11, 16, 9))
    body = {"at": "2026-11-16T10:00:00+08:00", "note": "已联系"}
    assert api_as("operator").post(f"/tickets/{t.id}/contact", body, now=at(2026, 11, 16, 10, 1)).status_code == 403
    assert api_as("staff", "mzj").post(f"/tickets/{t.id}/contact", body, now=at(2026, 11, 16, 10, 1)).status_code == 404
    staff = api_as("staff", "sthjj")
    for bad in ({"note": 123}, {"note": "x\x00"}, {"note": "长" * 501}):
        r = staff.post(f"/tickets/{t.id}/contact", {**body, **bad}, now=at(2026, 11, 16, 10, 1))
        assert r.status_code == 400 and r.get_json()["error"], bad
    r = staff.post(f"/tickets/{t.id}/contact", body, now=at(2026, 11, 16, 10, 1))
    assert r.status_code == 200, r.get_json()
    got = r.get_json()
    assert got["first_contact_at"] == "2026-11-16T02:00:00+00:00"
    assert [c["on_time"] for c in got["clocks"] if c["name"] == "first_contact"] == [True]
    assert any(e["action"] == "contact" for e in got["timeline"])
    assert staff.post(f"/tickets/{t.id}/contact", body, now=at(2026, 11, 16, 10, 2)).status_code == 409
