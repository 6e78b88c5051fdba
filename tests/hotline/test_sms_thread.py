"""A ticket's SMS conversation (issue 20 item 2): a ticket converted from an SMS is answered by SMS from its page
(through the outbox), and the citizen's SMS from that number joins the open ticket while the last reply is recent;
otherwise the 待受理 inbox as before."""
import pytest

from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.wellformed import NUL_MESSAGE
from hotline import callback, intake, mail_intake, sms_thread
from hotline.mail_models import InboundMessage, TicketMail
from hotline.models import Ticket
from hotline.queries import timeline
from tests.conftest import at, csrf_from, login, make_user, pinned

NOW = at(2026, 11, 20, 10, 0)  # a Friday morning in Shanghai
LATER = at(2026, 11, 23, 9, 0)  # the Monday after
SECRET = "gw-secret-0123456789"
PHONE = "13800002222"


def sms(text, sender=PHONE, now=NOW, **extra):
    item, _ = mail_intake.receive_sms({"from": sender, "text": text, **extra}, now=now)
    return db.session.get(InboundMessage, item.id)


def sms_ticket(operator, text="幸福小区电梯停运", sender=PHONE, confidential=False):
    """A ticket converted from an inbound SMS, as the desk does (mail_intake.convert)."""
    item = sms(text, sender=sender)
    data = {"type": "help", "category_code": "010101", "content": text, "caller_phone": item.sender}
    if confidential:
        data["confidential"] = "1"
    return mail_intake.convert(item, data, now=NOW, actor=operator)


@pytest.fixture
def desk_op(client, hot):
    """(test client signed in as an operator, the operator)."""
    user = make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    return client, user


def test_the_desk_replies_by_sms_and_the_answer_threads_back(client, hot, monkeypatch):
    monkeypatch.setitem(client.application.config, "SMS_WEBHOOK_TOKEN", SECRET)
    with pinned(client.application, NOW):
        first = client.post("/api/v1/sms/inbound", json={"from": f"+86{PHONE}", "text": "幸福小区电梯<b>停运</b>两天了",
                                                          "id": "gw-1"}, headers={"X-SMS-Token": SECRET})
    assert first.status_code == 201 and first.get_json()["status"] == "new"
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    item_id = first.get_json()["id"]
    page = client.get(f"/hotline/inbox/{item_id}").get_data(as_text=True)
    with pinned(client.application, NOW):
        resp = client.post(f"/hotline/inbox/{item_id}/convert", data={
            "csrf_token": csrf_from(page), "caller_phone": PHONE, "type": "help", "category": "010101",
            "content": "幸福小区电梯停运"})
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    shown = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert f"短信往来（{PHONE}）" in shown and "发送短信" in shown and "邮件往来" not in shown
    assert "电梯&lt;b&gt;停运&lt;/b&gt;" in shown and "<b>停运" not in shown  # the citizen's text, escaped

    with pinned(client.application, NOW):
        resp = client.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={
            "csrf_token": csrf_from(shown), "text": "您好，已联系物业今日维修。"})
    assert resp.status_code == 302
    sent = Notification.query.filter_by(channel="sms", event="ticket_sms_reply").one()
    assert sent.address == PHONE and sent.event == "ticket_sms_reply" and sent.entity_id == str(ticket.id)
    assert ticket.number in sent.body and "已联系物业今日维修" in sent.body and "直接回复本短信" in sent.body
    out = TicketMail.query.filter_by(direction="out").one()
    assert (out.channel, out.address, out.at, out.notification_id) == ("sms", PHONE, NOW, sent.id)
    assert out.body == sent.body
    assert [e.action for e in timeline(ticket)][-1] == "sms_out"

    answer = sms("物业还没来，电梯仍停运", now=LATER)
    assert answer.status == "threaded" and answer.ticket_id == ticket.id
    assert [e.action for e in timeline(ticket)][-1] == "sms_in"
    assert [(m.channel, m.direction) for m in TicketMail.query.order_by(TicketMail.id)] == \
        [("sms", "in"), ("sms", "out"), ("sms", "in")]
    assert InboundMessage.query.filter_by(status="new").count() == 0 and Ticket.query.count() == 1
    assert "物业还没来" in client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)

    stranger = sms("另一个号码的诉求", sender="13900003333", now=LATER)
    assert stranger.status == "new" and stranger.ticket_id is None


def test_no_reply_yet_an_expired_window_or_a_closed_ticket_means_the_inbox(app, hot, monkeypatch):
    operator = make_user("operator", "op@x.cn")
    ticket = sms_ticket(operator)
    assert sms("没人回复我", now=LATER).status == "new"  # no SMS sent to the citizen yet: nothing to answer
    sms_thread.reply_by_sms(ticket, text="已转交住建局", now=NOW, actor=operator)
    assert sms("超过七天才回", now=at(2026, 11, 27, 10, 1)).status == "new"  # SMS_THREAD_DAYS = 7
    assert sms("七天内回复", now=at(2026, 11, 27, 9, 59)).status == "threaded"
    monkeypatch.setitem(app.config, "SMS_THREAD_DAYS", 30)
    assert sms("配置为 30 天", now=at(2026, 12, 10, 10, 0)).status == "threaded"
    monkeypatch.setitem(app.config, "MAIL_INBOUND_PER_HOUR", 1)  # the rate limit is checked first
    flood = sms("一小时内第二条", now=at(2026, 12, 10, 10, 30))
    assert flood.status == "ignored" and flood.ticket_id is None
    monkeypatch.setitem(app.config, "MAIL_INBOUND_PER_HOUR", 20)

    intake.direct_close(ticket, answer="电梯已修复", now=NOW, actor=operator)
    callback.record_callback(ticket, reached=True, resolved=True, satisfaction="satisfied", now=NOW, actor=operator)
    assert db.session.get(Ticket, ticket.id).status == "closed"
    late = sms("又坏了", now=at(2026, 12, 11, 10, 0))
    assert late.status == "new" and late.ticket_id is None  # a closed ticket: a new matter for the inbox


def test_of_two_open_tickets_the_one_replied_to_most_recently(app, hot):
    operator = make_user("operator", "op@x.cn")
    older, newer = sms_ticket(operator, "电梯停运"), sms_ticket(operator, "路灯不亮")
    sms_thread.reply_by_sms(newer, text="路灯已报修", now=at(2026, 11, 20, 11, 0), actor=operator)
    sms_thread.reply_by_sms(older, text="电梯已报修", now=at(2026, 11, 21, 9, 0), actor=operator)
    assert sms("谢谢", now=LATER).ticket_id == older.id
    sms_thread.reply_by_sms(newer, text="路灯明天修", now=at(2026, 11, 23, 10, 0), actor=operator)
    assert sms("好的", now=at(2026, 11, 23, 11, 0)).ticket_id == newer.id
    assert sms("另一号码", sender="13900003333", now=LATER).status == "new"


@pytest.mark.parametrize("text,message", [
    ("", "请填写短信回复内容"), ("   ", "请填写短信回复内容"), (None, "请填写短信回复内容"),
    ("很" * 501, "不能超过 500 字"),
])
def test_a_bad_reply_is_refused_with_400_nothing_sent_and_the_text_kept(desk_op, text, message):
    client, operator = desk_op
    ticket = sms_ticket(operator)
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page)} | ({"text": text} if text is not None else {})
    resp = client.post(f"/hotline/tickets/{ticket.id}/sms_reply", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and message in html
    if text and text.strip():
        assert "很" * 501 in html  # what was typed comes back (kept_form.js)
    assert Notification.query.filter_by(channel="sms", event="ticket_sms_reply").count() == 0
    assert TicketMail.query.filter_by(direction="out").count() == 0


def test_a_nul_byte_is_refused_by_the_service_and_removed_from_the_page_form(desk_op):
    """core/wellformed.py: a NUL typed into a page's form is removed and the person told (nothing typed is lost);
    the service itself never sends one."""
    client, operator = desk_op
    ticket = sms_ticket(operator)
    with pytest.raises(ValidationError) as refused:
        sms_thread.reply_by_sms(ticket, text="有\x00空字符", now=NOW, actor=operator)
    assert set(refused.value.fields) == {"text"} and refused.value.fields["text"] == NUL_MESSAGE  # not "too long"
    assert Notification.query.filter_by(event="ticket_sms_reply").count() == 0
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    resp = client.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={"csrf_token": csrf_from(page),
                                                                         "text": "有\x00空字符"})
    assert resp.status_code == 302
    assert "已自动删除" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert Notification.query.filter_by(event="ticket_sms_reply").one().body.count("有空字符") == 1


def test_no_sms_reply_on_a_ticket_without_an_sms_conversation(desk_op):
    client, operator = desk_op
    ticket = intake.create_ticket({"type": "help", "category_code": "010101", "content": "电话反映噪声",
                                   "caller_phone": PHONE}, channel="phone", received_at=NOW, now=NOW, actor=operator)
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "短信往来" not in page
    resp = client.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={"csrf_token": csrf_from(page), "text": "您好"})
    assert resp.status_code == 400 and "不是来自短信" in resp.get_data(as_text=True)
    assert Notification.query.filter_by(channel="sms", event="ticket_sms_reply").count() == 0


@pytest.mark.parametrize("confidential", [False, True])
def test_the_conversation_is_the_desks_as_the_mail_thread_and_the_department_cannot_reply(app, hot, confidential):
    """The department sees the ticket (and the caller's phone unless confidential), never the SMS conversation:
    the desk converses with the citizen, as in the mail thread (hotline/staff_views.py `_page`, one rule)."""
    operator = make_user("operator", "op@x.cn")
    ticket = sms_ticket(operator, confidential=confidential)
    sms_thread.reply_by_sms(ticket, text="已转交民政局", now=NOW, actor=operator)
    intake.dispatch(ticket, Department.query.filter_by(code="mzj").one(), now=NOW, actor=operator)
    staff = app.test_client()
    make_user("staff", "s@x.cn", department="mzj")
    login(staff, "s@x.cn")
    page = staff.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "幸福小区电梯停运" in page and "发送短信" not in page
    assert "短信往来" not in page and "已转交民政局" not in page and (PHONE in page) is (not confidential)
    resp = staff.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={"csrf_token": csrf_from(page), "text": "x"})
    assert resp.status_code == 403
    citizen = app.test_client()
    make_user("citizen", "c@x.cn")
    login(citizen, "c@x.cn")
    token = csrf_from(citizen.get("/auth/password").get_data(as_text=True))
    assert citizen.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={"csrf_token": token, "text": "x"}
                        ).status_code == 403
    assert Notification.query.filter_by(channel="sms", event="ticket_sms_reply").count() == 1


def test_a_closed_ticket_is_not_answered_by_sms_promising_that_the_answer_joins_it(desk_op):
    """The reply SMS says the citizen's answer joins the ticket; a closed ticket takes none (its answers go to the
    待受理 inbox), so the desk is told instead of sending a promise that is not kept."""
    client, operator = desk_op
    ticket = sms_ticket(operator)
    intake.direct_close(ticket, answer="电梯已修复", now=NOW, actor=operator)
    callback.record_callback(ticket, reached=True, resolved=True, satisfaction="satisfied", now=NOW, actor=operator)
    assert db.session.get(Ticket, ticket.id).status == "closed"
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "短信往来" in page and "发送短信" not in page  # the conversation stays readable, no reply form
    resp = client.post(f"/hotline/tickets/{ticket.id}/sms_reply", data={"csrf_token": csrf_from(page),
                                                                         "text": "请问还有问题吗"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "已办结" in html and "请问还有问题吗" in html
    assert Notification.query.filter_by(channel="sms", event="ticket_sms_reply").count() == 0


@pytest.mark.parametrize("first,answer", [
    ("+86 138 0000 2222", "8613800002222"), ("13800002222", "0086-138-0000-2222"),
    ("0515-88888888", "051588888888"), ("+86 515 8888 8888", "0515-8888-8888"),
])
def test_the_gateways_ways_of_writing_a_number_are_one_conversation(app, hot, first, answer):
    """A gateway writes a number as +86…, 86…, 0086…, with spaces or dashes: one number, one conversation (the
    CTI's citizen_number), and none of these is refused (a refused webhook loses the citizen's SMS)."""
    operator = make_user("operator", "op@x.cn")
    ticket = sms_ticket(operator, sender=first)
    sms_thread.reply_by_sms(ticket, text="已转交住建局", now=NOW, actor=operator)
    joined = sms("还没修好", sender=answer, now=LATER)
    assert joined.status == "threaded" and joined.ticket_id == ticket.id


def test_an_sms_sent_before_the_reply_is_not_an_answer_to_it(app, hot):
    """The gateway may hand an SMS over late, with its own received_at: one written before our reply is a
    message of its own, not the citizen's answer."""
    operator = make_user("operator", "op@x.cn")
    ticket = sms_ticket(operator)
    sms_thread.reply_by_sms(ticket, text="已转交住建局", now=at(2026, 11, 21, 10, 0), actor=operator)
    early = sms("另一件事：路灯不亮", now=at(2026, 11, 21, 10, 5), received_at="2026-11-21T09:00:00+08:00")
    assert early.status == "new" and early.ticket_id is None
    assert sms("谢谢", now=at(2026, 11, 21, 10, 6)).ticket_id == ticket.id


def test_an_answer_to_a_closed_tickets_sms_does_not_land_on_an_older_open_ticket(app, hot):
    """The citizen answers the last SMS they were sent. When its ticket has been closed since, the answer is a new
    inbox item for an operator to read — not a message on another, older ticket of the same number."""
    operator = make_user("operator", "op@x.cn")
    older, newer = sms_ticket(operator, "电梯停运"), sms_ticket(operator, "路灯不亮")
    sms_thread.reply_by_sms(older, text="电梯已报修", now=at(2026, 11, 20, 11, 0), actor=operator)
    sms_thread.reply_by_sms(newer, text="路灯已修好", now=at(2026, 11, 21, 9, 0), actor=operator)
    intake.direct_close(newer, answer="路灯已修好", now=at(2026, 11, 21, 9, 5), actor=operator)
    callback.record_callback(newer, reached=True, resolved=True, satisfaction="satisfied",
                             now=at(2026, 11, 21, 9, 10), actor=operator)
    answer = sms("好的谢谢，路灯亮了", now=LATER)
    assert answer.status == "new" and answer.ticket_id is None
    assert not TicketMail.query.filter_by(ticket_id=older.id, direction="in", inbound_id=answer.id).count()


def test_the_desk_sees_whether_each_sms_reply_was_sent(desk_op):
    """A reply the gateway refused (a landline, an unreachable number) reads 发送失败 on the ticket page, not as a
    plain 回复 the citizen is assumed to have got."""
    client, operator = desk_op
    ticket = sms_ticket(operator)
    sms_thread.reply_by_sms(ticket, text="已转交住建局", now=NOW, actor=operator)
    sms_thread.reply_by_sms(ticket, text="明天上门维修", now=LATER, actor=operator)
    first, second = TicketMail.query.filter_by(direction="out").order_by(TicketMail.id).all()
    db.session.get(Notification, first.notification_id).status = "failed"
    db.session.get(Notification, second.notification_id).status = "sent"
    db.session.commit()
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert page.count("发送失败") == 1 and page.count("已发送") == 1
    assert page.index("发送失败") < page.index("已转交住建局") < page.index("已发送") < page.index("明天上门维修")
