"""Issue 16 item 2: matters outside 12345's scope — 不予受理 / 告知其他渠道 with an SMS, and requests for
government information handed to a prefilled 依申请公开 form by a one-use, expiring token (条例 Art. 29)."""
import re
from datetime import timedelta

import pytest

from core import handoff
from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.workflow import TransitionError
from hotline import intake, scope
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "inquiry", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "我想要本区 2025 年低保对象名单", "address": "亭湖区某路 8 号"}


def new_ticket(received=None, **changes):
    received = received or at(2026, 11, 16, 9, 0)
    return intake.create_ticket({**CALL, **changes}, channel="phone", received_at=received, now=received,
                                actor="operator")


def sms(event):
    return Notification.query.filter_by(event=event, channel="sms", address="13800001111").all()


# A legal remedy is applied for (起诉, 申请仲裁, 申请行政复议), not 反映; 行政复议 names its 60-day limit
# (行政复议法 2023 第二十条) so that a caller does not lose it while waiting.
@pytest.mark.parametrize("channel, told", [("litigation", "向人民法院提起诉讼"), ("arbitration", "向仲裁机构申请仲裁"),
                                           ("discipline", "12388"),
                                           ("reconsideration", "申请行政复议（自知道或者应当知道该行政行为之日起六十日内提出"),
                                           ("petition", "信访工作机构")])
def test_not_accepted_tells_the_channel(hot, channel, told):
    t = new_ticket()
    scope.not_accept(t, channel=channel, now=at(2026, 11, 16, 9, 5), actor="op")
    assert t.status == "closed" and t.close_reason == "not_accepted" and told in t.close_note
    assert t.closed_at == at(2026, 11, 16, 9, 5)
    [n] = sms("ticket_not_accepted")
    assert told in n.body and t.number in n.body


def test_not_accepted_other_needs_the_channel_and_only_from_new(hot):
    t = new_ticket()
    for kwargs, field in (({"channel": "other"}, "other"), ({"channel": "bogus"}, "channel"),
                          ({"channel": None}, "channel"), ({"channel": "other", "other": "x" * 201}, "other"),
                          ({"channel": "other", "other": 5}, "other")):
        with pytest.raises(ValidationError) as err:
            scope.not_accept(t, now=at(2026, 11, 16, 9, 5), actor="op", **kwargs)
        assert field in err.value.fields
    scope.not_accept(t, channel="other", other="区市场监管局 12315", now=at(2026, 11, 16, 9, 5), actor="op")
    assert "12315" in t.close_note
    from core.departments.models import Department
    d = new_ticket()
    intake.dispatch(d, Department.query.filter_by(code="sthjj").one(), now=at(2026, 11, 16, 9, 10), actor="op")
    with pytest.raises(TransitionError):
        scope.not_accept(d, channel="litigation", now=at(2026, 11, 16, 9, 20), actor="op")
    db.session.rollback()


def test_referral_to_disclosure_and_the_one_use_token(app, client, hot):
    t = new_ticket()
    scope.refer_disclosure(t, now=at(2026, 11, 16, 9, 5), actor="op")
    assert t.status == "closed" and t.close_reason == "referred_disclosure"
    row = handoff.Handoff.query.one()
    [n] = sms("ticket_referred_disclosure")
    assert row.token in n.body and "/requests/new?handoff=" in n.body and "第二十九条" in n.body
    assert "李四" not in n.body and "13800001111" not in n.body.split("handoff=")[1]  # no personal data in the link
    assert "李四" in row.payload  # the payload stays on the server
    assert handoff.peek(row.token, handoff.DISCLOSURE_APPLICATION,
                        now=at(2026, 11, 16, 9, 5) + timedelta(days=30)) is None  # expired after 30 days
    with pinned(app, at(2026, 11, 17, 10, 0)):
        page = client.get(f"/requests/new?handoff={row.token}").get_data(as_text=True)
        assert 'value="李四"' in page and 'value="13800001111"' in page and "低保对象名单" in page
        assert "由您本人提交" in page
        data = {"applicant_type": "person", "name": "李四", "id_type": "resident_id",
                "id_number": "11010519491231002X", "phone": "13800001111", "email": "", "address": "亭湖区某路 8 号",
                "title": "2025年城乡低保对象名单", "description": "我想要本区 2025 年低保对象名单",
                "form": "electronic", "delivery": "online", "csrf_token": csrf_from(page)}
        resp = client.post(f"/requests/new?handoff={row.token}", data=data, content_type="multipart/form-data")
        assert resp.status_code == 302, resp.get_data(as_text=True)
        db.session.expire_all()
        row = handoff.Handoff.query.one()
        assert row.used_at is not None and row.payload == "{}" and row.used_ref
        again = client.get(f"/requests/new?handoff={row.token}").get_data(as_text=True)
        assert "该预填链接已失效" in again and "李四" not in again
        assert "该预填链接已失效" in client.get("/requests/new?handoff=nonsense").get_data(as_text=True)


def test_hotline_and_requests_module_never_import_each_other():
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    for pkg, other in (("hotline", "requests_module"), ("requests_module", "hotline"), ("core", "hotline"),
                       ("core", "requests_module")):
        for f in (root / pkg).rglob("*.py"):
            assert not re.search(rf"^\s*(from|import)\s+{other}\b", f.read_text(), re.M), f


# ---- pages ----------------------------------------------------------------------------------------------

def test_pages_not_accept_and_refer(app, desk):
    a, b = new_ticket(), new_ticket(caller_phone="13900002222")
    with pinned(app, at(2026, 11, 16, 9, 30)):
        page = desk.get(f"/hotline/tickets/{a.id}").get_data(as_text=True)
        assert "不予受理（告知其他渠道）" in page and "转为政府信息公开申请" in page
        resp = desk.post(f"/hotline/tickets/{a.id}/not_accept", data={"channel": "other", "csrf_token": csrf_from(page)},
                         follow_redirects=True)
        assert "请写明应当告知的渠道" in resp.get_data(as_text=True) and db.session.get(Ticket, a.id).status == "new"
        desk.post(f"/hotline/tickets/{a.id}/not_accept", data={"channel": "petition", "csrf_token": csrf_from(page)})
        desk.post(f"/hotline/tickets/{b.id}/refer_disclosure", data={"csrf_token": csrf_from(page)})
        tp = desk.get(f"/hotline/tickets/{b.id}").get_data(as_text=True)
    assert db.session.get(Ticket, a.id).close_reason == "not_accepted"
    assert db.session.get(Ticket, b.id).close_reason == "referred_disclosure"
    token = handoff.Handoff.query.one().token
    assert f"/requests/new?handoff={token}" in tp and "政府信息公开申请表链接" in tp
    with pinned(app, at(2026, 11, 16, 9, 40)):
        closed = desk.get(f"/hotline/tickets/{a.id}").get_data(as_text=True)
    assert "信访事项，告知其向信访工作机构" in closed


def test_department_staff_may_not_close_out_of_scope(app, client, hot):
    t = new_ticket()
    make_user("staff", "s@x.cn", department="sthjj")
    login(client, "s@x.cn")
    token = csrf_from(client.get("/hotline/queue").get_data(as_text=True))
    assert client.post(f"/hotline/tickets/{t.id}/refer_disclosure", data={"csrf_token": token}).status_code == 404
    assert db.session.get(Ticket, t.id).status == "new"


# ---- API ------------------------------------------------------------------------------------------------

def test_api_not_accept_refer_and_bad_input(api):
    op = api("operator", login="op@x.cn")
    sup = api("supervisor", login="sup@x.cn")
    a, b = new_ticket(), new_ticket()
    for body in ({}, {"channel": "bogus"}, {"channel": 1}, {"channel": "other"}, {"channel": "other", "other": "x" * 201},
                 {"channel": "litigation", "other": "\u0000"}):
        r = op.post(f"/tickets/{a.id}/not-accept", body, now=at(2026, 11, 16, 9, 30))
        assert r.status_code == 400, (body, r.get_json())
    r = op.post(f"/tickets/{a.id}/not-accept", {"channel": "discipline", "at": "2026-11-16T09:20:00+08:00"},
                now=at(2026, 11, 16, 9, 30))
    assert r.status_code == 200 and r.get_json()["close_reason"] == "not_accepted"
    assert "12388" in r.get_json()["close_note"]
    assert op.post(f"/tickets/{a.id}/refer-disclosure", {}, now=at(2026, 11, 16, 9, 31)).status_code == 409
    r = sup.post(f"/tickets/{b.id}/refer-disclosure", {}, now=at(2026, 11, 16, 9, 31))
    assert r.status_code == 200 and r.get_json()["close_reason"] == "referred_disclosure"
    assert "/requests/new?handoff=" in r.get_json()["disclosure_link"]["link"]


def test_api_department_staff_refused(api):
    t = new_ticket()
    staff = api("staff", "sthjj", login="s@x.cn")
    assert staff.post(f"/tickets/{t.id}/not-accept", {"channel": "litigation"},
                      now=at(2026, 11, 16, 9, 30)).status_code == 404  # not theirs: not even visible


def test_out_of_scope_closings_stay_out_of_the_rates(hot):
    from datetime import date

    from reports.hotline_measures import measures
    direct = new_ticket()
    intake.direct_close(direct, answer="按知识库答复", now=at(2026, 11, 16, 9, 10), actor="op")
    scope.not_accept(new_ticket(), channel="litigation", now=at(2026, 11, 16, 9, 20), actor="op")
    scope.refer_disclosure(new_ticket(), now=at(2026, 11, 16, 9, 30), actor="op")
    m = measures(date(2026, 11, 16), date(2026, 11, 22), now=at(2026, 11, 20, 9))
    assert m.received == 3  # in the volume
    assert (m.rates["direct"].numerator, m.rates["direct"].denominator) == (1, 1)  # not in the rates
