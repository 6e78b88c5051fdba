"""The 待受理 inbox and the SMS webhook as every role, and bad input: never a 500, typed work kept."""
import pytest

from core.extensions import db
from hotline import mail_intake
from hotline.mail_models import InboundMessage
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

NOW = at(2026, 11, 20, 10, 0)
SECRET = "gw-secret-0123456789"


@pytest.fixture
def gateway(client, hot, monkeypatch):
    monkeypatch.setitem(client.application.config, "SMS_WEBHOOK_TOKEN", SECRET)

    def post(body=None, token=SECRET, form=None):
        headers = {"X-SMS-Token": token} if token is not None else {}
        with pinned(client.application, NOW):
            if form is not None:
                return client.post("/api/v1/sms/inbound", data=form, headers=headers)
            if isinstance(body, str):
                return client.post("/api/v1/sms/inbound", data=body.encode(), headers=headers,
                                   content_type="application/json")
            return client.post("/api/v1/sms/inbound", json=body, headers=headers)
    return post


def test_sms_webhook_secret_idempotency_and_form(gateway):
    body = {"from": "+86 13800002222", "text": "幸福小区电梯停运两天了", "received_at": "2026-11-20T01:30:00Z",
            "id": "gw-1"}
    assert gateway(body, token=None).status_code == 403
    assert gateway(body, token="wrong").status_code == 403
    assert InboundMessage.query.count() == 0
    first = gateway(body)
    assert first.status_code == 201 and first.get_json()["status"] == "new"
    again = gateway(body)
    assert again.status_code == 200 and again.get_json() == {**first.get_json(), "duplicate": True}
    item = InboundMessage.query.one()
    assert item.channel == "sms" and item.sender == "13800002222" and item.received_at == at(2026, 11, 20, 9, 30)
    by_form = gateway(form={"from": "13800003333", "text": "路灯不亮", "id": "gw-2"})
    assert by_form.status_code == 201 and InboundMessage.query.count() == 2


@pytest.mark.parametrize("body", [
    {"from": "13800002222", "text": "有\x00空字符", "id": "a"},
    {"from": "13800002222", "text": "x" * 1001},
    {"from": "12", "text": "号码不对"},
    {"from": ["13800002222"], "text": "类型不对"},
    {"from": "13800002222", "text": 12345},
    {"from": "13800002222", "text": "id 类型", "id": ["x"]},
    {"from": "13800002222", "text": "id 过大", "id": 10 ** 400},
    {"from": "13800002222", "text": "年份", "received_at": "9999-01-01T00:00:00Z"},
    {"from": "13800002222", "text": "年份", "received_at": "0001-01-01T00:00:00Z"},
    {"from": "13800002222", "text": "时间类型", "received_at": 5},
    '{"from": "13800002222", "text": "\\ud800 a lone surrogate"}',  # sent as raw JSON text
    ["not", "an", "object"],
])
def test_sms_webhook_refuses_bad_input_with_400(gateway, body):
    resp = gateway(body)
    assert resp.status_code == 400 and resp.get_json()["message"]
    assert InboundMessage.query.count() == 0


def test_an_sms_is_converted_with_its_number_prefilled(client, gateway):
    item_id = gateway({"from": "13800002222", "text": "幸福小区电梯停运", "id": "gw-9"}).get_json()["id"]
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    page = client.get(f"/hotline/inbox/{item_id}").get_data(as_text=True)
    assert 'value="13800002222"' in page and "幸福小区电梯停运" in page
    with pinned(client.application, NOW):
        resp = client.post(f"/hotline/inbox/{item_id}/convert", data={
            "csrf_token": csrf_from(page), "caller_phone": "13800002222", "type": "help", "category": "010101",
            "content": "幸福小区电梯停运"})
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    assert ticket.channel == "sms" and ticket.caller_phone == "13800002222" and ticket.received_at == NOW


def _item(body="夜间施工噪声"):
    item, _ = mail_intake.receive_sms({"from": "13800002222", "text": body}, now=NOW)
    return item.id


@pytest.mark.parametrize("role,department,allowed", [
    ("operator", None, True), ("supervisor", None, True), ("admin", None, True),
    ("staff", "mzj", False), ("approver", "mzj", False), ("citizen", None, False)])
def test_inbox_pages_and_actions_by_role(client, hot, role, department, allowed):
    item_id = _item()
    user = make_user(role, department=department)
    login(client, user.login_id)
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    pages = [client.get("/hotline/inbox/"), client.get(f"/hotline/inbox/{item_id}")]
    actions = [client.post(f"/hotline/inbox/{item_id}/convert", data={"csrf_token": token, "type": "help",
                                                                     "category": "010101", "content": "噪声"}),
               client.post(f"/hotline/inbox/{item_id}/invalid", data={"csrf_token": token, "reason": "广告"})]
    if allowed:
        assert [r.status_code for r in pages] == [200, 200]
        assert actions[0].status_code == 302 and actions[1].status_code == 400  # already converted: told, not 500
        assert "已被处理" in actions[1].get_data(as_text=True)
    else:
        assert {r.status_code for r in pages + actions} == {403}
        assert db.session.get(InboundMessage, item_id).status == "new" and Ticket.query.count() == 0


def test_bad_input_on_the_inbox_forms_keeps_the_typed_text(client, hot):
    item_id = _item()
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    token = csrf_from(client.get(f"/hotline/inbox/{item_id}").get_data(as_text=True))
    resp = client.post(f"/hotline/inbox/{item_id}/convert", data={"csrf_token": token, "type": "bogus",
                                                                  "category": "99", "content": "我改写的内容\x00"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请选择诉求类型" in html and "我改写的内容" in html
    for reason in ("", "   ", "x" * 501):
        resp = client.post(f"/hotline/inbox/{item_id}/invalid", data={"csrf_token": token, "reason": reason})
        assert resp.status_code == 400, repr(reason)
    assert client.post("/hotline/inbox/99999999999999999999/invalid", data={"csrf_token": token}).status_code == 404
    resp = client.post(f"/hotline/inbox/{item_id}/invalid", data={"csrf_token": token, "reason": "推销广告"})
    assert resp.status_code == 302
    item = db.session.get(InboundMessage, item_id)
    assert item.status == "invalid" and item.note == "推销广告" and Ticket.query.count() == 0


def test_mail_reply_only_by_the_desk_and_only_on_a_mail_ticket(client, hot):
    item_id = _item()
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    token = csrf_from(client.get(f"/hotline/inbox/{item_id}").get_data(as_text=True))
    client.post(f"/hotline/inbox/{item_id}/convert", data={"csrf_token": token, "type": "help", "category": "010101",
                                                          "content": "噪声"})
    ticket = Ticket.query.one()
    resp = client.post(f"/hotline/tickets/{ticket.id}/mail_reply", data={"csrf_token": token, "text": "您好"})
    assert resp.status_code == 400 and "不是来自邮件" in resp.get_data(as_text=True)  # an SMS ticket has no thread
    from hotline import access
    staff = make_user("staff", department="mzj")
    assert not access.can_act(staff, ticket, "mail_reply")
