"""Written intake (issue 20 item 2) against real SMTP servers: our listener takes mail as a relay hands it over,
the outbox sends the operator's reply to a capturing aiosmtpd server, and the citizen's answer threads back."""
import re
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from core.extensions import db
from hotline.mail_listener import make_controller
from hotline.mail_models import InboundAttachment, InboundMessage, TicketMail
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.hotline.mail_helpers import dsn, free_port, gbk_mail, mail, send

NOW = at(2026, 11, 20, 10, 0)  # a Friday morning in Shanghai


class Sink:
    """The outbound SMTP server: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def servers(app, hot, monkeypatch):
    """(listener port, sink): both real aiosmtpd servers; the app sends through the sink."""
    sink, out_port, in_port = Sink(), free_port(), free_port()
    outbound = Controller(sink, hostname="127.0.0.1", port=out_port)
    listener = make_controller(app, "127.0.0.1", in_port)
    for key, value in {"NOTIFY_EMAIL_ADAPTER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": out_port,
                       "MAIL_FROM": "12345@tinghu.gov.cn"}.items():
        monkeypatch.setitem(app.config, key, value)
    outbound.start()
    listener.start()
    db.session.remove()
    try:
        with pinned(app, NOW):
            yield in_port, sink
    finally:
        listener.stop()
        outbound.stop()


def deliver(port, raw, **kw):
    send(port, raw, **kw)
    db.session.remove()  # the listener committed in its own session: read afresh
    return InboundMessage.query.order_by(InboundMessage.id.desc()).first()


def operator(app):
    client = app.test_client()
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    return client


def test_a_mail_becomes_a_ticket_the_reply_goes_out_and_the_answer_threads_back(app, servers):
    port, sink = servers
    item = deliver(port, mail("小区门口路灯坏了", "亭湖区文港路某小区门口路灯已坏一周，夜间很不安全。"))
    assert item.status == "new" and item.received_at == NOW and item.sender == "citizen@example.cn"
    assert item.sender_name == "张三" and b"\xe8\xb7\xaf\xe7\x81\xaf" in item.raw  # stored raw, as received

    desk = operator(app)
    queue = desk.get("/hotline/inbox/").get_data(as_text=True)
    assert "小区门口路灯坏了" in queue and "待受理" in queue
    page = desk.get(f"/hotline/inbox/{item.id}").get_data(as_text=True)
    assert "路灯已坏一周" in page and "转为工单" in page  # the form is prefilled with the text
    resp = desk.post(f"/hotline/inbox/{item.id}/convert", data={
        "csrf_token": csrf_from(page), "type": "help", "category": "010101", "urgency": "normal",
        "content": "文港路某小区门口路灯损坏", "address": "文港路"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    ticket = Ticket.query.one()
    assert ticket.channel == "email" and ticket.received_at == NOW and ticket.status == "new"
    item = db.session.get(InboundMessage, item.id)
    assert item.status == "converted" and item.ticket_id == ticket.id

    ticket_page = desk.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    token = re.search(r"\[RX-\d{4}-\d{6}#[0-9a-f]{10}\]", ticket_page).group(0)
    assert token.startswith(f"[{ticket.number}#")
    resp = desk.post(f"/hotline/tickets/{ticket.id}/mail_reply", data={
        "csrf_token": csrf_from(ticket_page), "text": "您好，已转交住建局核查维修。"})
    assert resp.status_code == 302
    assert len(sink.messages) == 1
    rcpt, sent = sink.messages[0]
    assert rcpt == ["citizen@example.cn"] and token in sent["Subject"] and "住建局核查维修" in sent.get_content()
    original = db.session.get(InboundMessage, item.id).external_id
    assert sent["In-Reply-To"] == original and original in sent["References"]
    assert sent["Message-ID"].endswith("@tinghu.gov.cn>")

    answer = deliver(port, mail("Re: " + sent["Subject"], "谢谢，另外旁边的井盖也松了。",
                                In_Reply_To=sent["Message-ID"], References=sent["Message-ID"]))
    assert answer.status == "threaded" and answer.ticket_id == ticket.id
    assert InboundMessage.query.filter_by(status="new").count() == 0 and Ticket.query.count() == 1
    thread = [(m.direction, m.body[:6]) for m in TicketMail.query.order_by(TicketMail.id)]
    assert [d for d, _ in thread] == ["in", "out", "in"]
    shown = desk.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "井盖也松了" in shown and "邮件往来" in shown


def test_gbk_mail_with_attachments_accepted_and_refused(app, servers):
    port, _ = servers
    item = deliver(port, gbk_mail("反映朱镕基路积水", "朱镕基路（測試）低洼处积水严重，喆"))
    assert item.status == "new" and item.subject == "反映朱镕基路积水" and "积水严重，喆" in item.body
    assert item.sender_name == "王镕"
    msg = mail("附件测试", "见附件")
    msg.add_attachment(b"%PDF-1.4 a scanned letter", maintype="application", subtype="pdf", filename="来信.pdf")
    msg.add_attachment(b"MZ\x90\x00 not a document", maintype="application", subtype="octet-stream",
                       filename="照片.exe")
    item = deliver(port, msg)
    files = {a.filename: a for a in InboundAttachment.query.filter_by(message_id=item.id)}
    assert files["来信.pdf"].content_type == "application/pdf" and files["来信.pdf"].stored_name
    assert files["照片.exe"].stored_name is None and "不是 PDF" in files["照片.exe"].refused  # recorded, not dropped
    desk = operator(app)
    page = desk.get(f"/hotline/inbox/{item.id}").get_data(as_text=True)
    assert "已拒收" in page and "照片.exe" in page
    pdf = desk.get(f"/hotline/inbox/{item.id}/attachments/{files['来信.pdf'].id}")
    assert pdf.status_code == 200 and pdf.data == b"%PDF-1.4 a scanned letter"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert desk.get(f"/hotline/inbox/{item.id}/attachments/{files['照片.exe'].id}").status_code == 404


def test_auto_replies_loops_duplicates_and_forged_tokens(app, servers, monkeypatch):
    port, _ = servers
    assert deliver(port, mail("自动回复：休假中", "我正在休假", msgid="<a1@example.cn>",
                              Auto_Submitted="auto-replied")).status == "ignored"
    assert deliver(port, mail("周报", "list", msgid="<a2@example.cn>", Precedence="bulk")).status == "ignored"
    assert deliver(port, mail("回复", "x", msgid="<a3@example.cn>", X_Autoreply="yes")).status == "ignored"
    looped = deliver(port, mail("我们自己", "loop", sender="12345@tinghu.gov.cn", msgid="<a4@example.cn>"))
    assert looped.status == "ignored" and "循环" in looped.note
    first = deliver(port, mail("噪声", "夜间施工", msgid="<same@example.cn>"))
    again = deliver(port, mail("噪声", "夜间施工", msgid="<same@example.cn>"))
    assert first.status == "new" and again.status == "ignored" and "重复投递" in again.note
    forged = deliver(port, mail("Re: [RX-2026-000001#0123456789] 回复", "伪造编号", msgid="<a5@example.cn>"))
    assert forged.status == "new" and forged.ticket_id is None  # never someone else's ticket
    monkeypatch.setitem(app.config, "MAIL_INBOUND_PER_HOUR", 2)
    flood = [deliver(port, mail(f"第{i}封", "刷屏", sender="flood@example.cn", msgid=f"<f{i}@example.cn>"))
             for i in range(3)]
    assert [m.status for m in flood] == ["new", "new", "ignored"] and "限频" in flood[2].note
    assert Ticket.query.count() == 0


def test_a_bounce_is_recorded_against_the_reply_and_shown(app, servers):
    port, sink = servers
    item = deliver(port, mail("咨询", "请问社保卡怎么补办"))
    desk = operator(app)
    page = desk.get(f"/hotline/inbox/{item.id}").get_data(as_text=True)
    desk.post(f"/hotline/inbox/{item.id}/convert", data={"csrf_token": csrf_from(page), "type": "inquiry",
                                                         "category": "010101", "content": "社保卡补办"})
    ticket = Ticket.query.one()
    desk.post(f"/hotline/tickets/{ticket.id}/mail_reply", data={"csrf_token": csrf_from(page), "text": "请带身份证到窗口办理"})
    out = TicketMail.query.filter_by(direction="out").one()
    bounce = deliver(port, dsn(out.header_id), sender="")
    assert bounce.status == "bounce" and bounce.ticket_id == ticket.id and "5.1.1" in bounce.note
    out = db.session.get(TicketMail, out.id)
    assert out.bounced_at == NOW and "user unknown" in out.bounce_note
    assert "退信" in desk.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert InboundMessage.query.filter_by(status="new").count() == 0


def test_an_unreadable_message_is_kept_and_marked_failed(app, hot, monkeypatch):
    from hotline import mail_intake

    def broken(*args, **kwargs):
        raise RuntimeError("parser bug")
    monkeypatch.setattr(mail_intake, "parse", broken)
    item = mail_intake.receive_mail(b"Subject: x\r\n\r\nbody", envelope_from="a@b.cn", envelope_to=["x@y.cn"], now=NOW)
    assert item.status == "failed" and item.raw == b"Subject: x\r\n\r\nbody" and "parser bug" in item.note


def test_parse_reads_quoted_printable_html_only_and_broken_mail():
    from hotline.mail_parse import parse, thread_token

    qp = ("From: =?utf-8?Q?=E6=9D=8E=E5=9B=9B?= <li@example.cn>\r\nSubject: =?utf-8?Q?=E5=99=AA?= =?utf-8?B?5aOw?=\r\n"
          "Message-ID: <qp@example.cn>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
          "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>=E5=A4=9C=E9=97=B4=E6=96=BD=E5=B7=A5</p>\r\n").encode()
    parsed = parse(qp)
    assert (parsed.sender_name, parsed.subject, parsed.text, parsed.auto) == ("李四", "噪声", "夜间施工", None)
    broken = parse(b"\x00\xff\xfe garbage without headers")
    assert broken.sender == "" and broken.auto  # no sender: never answered, never a ticket
    wrong_label = parse(b"From: a@b.cn\r\nSubject: x\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n\xe4\xbd\xa0")
    assert wrong_label.text == "你"  # an unknown label reads as UTF-8
    assert thread_token("Re: 【12345】回复 [RX-2026-000123#a1b2c3d4e5]") == ("RX-2026-000123", "a1b2c3d4e5")
    assert thread_token("Re: [RX-2026-000123#短]") is None and thread_token("") is None


def test_the_department_sees_the_ticket_but_not_the_citizens_mail_thread(app, hot):
    from core.departments.models import Department
    from hotline import intake, mail_intake

    item = mail_intake.receive_mail(mail("噪声", "夜间施工噪声", sender="secret.citizen@example.cn").as_bytes(),
                                    envelope_from="secret.citizen@example.cn", envelope_to=["12345@tinghu.gov.cn"],
                                    now=NOW)
    desk_user = make_user("operator", "op@x.cn")
    ticket = mail_intake.convert(item, {"type": "complaint", "category_code": "030101", "content": "夜间施工噪声"},
                                 now=NOW, actor=desk_user)
    intake.dispatch(ticket, Department.query.filter_by(code="sthjj").one(), now=NOW, actor=desk_user)
    staff = app.test_client()
    make_user("staff", "s@x.cn", department="sthjj")
    login(staff, "s@x.cn")
    page = staff.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "夜间施工噪声" in page and "secret.citizen" not in page and "邮件往来" not in page
    token = csrf_from(page)
    assert staff.post(f"/hotline/tickets/{ticket.id}/mail_reply", data={"csrf_token": token, "text": "x"}).status_code == 403
    desk = app.test_client()
    login(desk, "op@x.cn")
    assert "secret.citizen@example.cn" in desk.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
