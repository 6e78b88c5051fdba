"""Real SMTP servers for the written-intake tests: our listener (hotline/mail_listener.py) on a free port, and an
aiosmtpd sink that captures what the outbox sends; mails built as citizens' clients build them."""
import base64
import smtplib
import socket
from email.message import EmailMessage

INBOX = "12345@tinghu.gov.cn"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port, raw, sender="citizen@example.cn", to=INBOX):
    """Hand `raw` (bytes or an EmailMessage) to the SMTP server on `port`, as a relay does."""
    data = raw.as_bytes() if isinstance(raw, EmailMessage) else raw
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        return smtp.sendmail(sender, [to], data)


def mail(subject, body, sender="张三 <citizen@example.cn>", msgid=None, **headers):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, INBOX, subject
    msg["Message-ID"] = msgid or f"<{abs(hash((subject, body, sender)))}@example.cn>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def gbk_mail(subject, body, msgid="<gbk-1@example.cn>"):
    """A GB2312-labelled mail holding GBK-only characters (as some Chinese clients send), base64 parts."""
    def word(text):
        return "=?gb2312?B?" + base64.b64encode(text.encode("gbk")).decode() + "?="
    return (f"From: {word('王镕')} <wang@example.cn>\r\nTo: {INBOX}\r\nSubject: {word(subject)}\r\n"
            f"Message-ID: {msgid}\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(body.encode("gbk")).decode().replace("\n", "\r\n")).encode("ascii")


def dsn(original_id, recipient="citizen@example.cn"):
    """A delivery-status report (RFC 3464) about our message `original_id`."""
    return (f"From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>\r\nTo: {INBOX}\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.cn>\r\n"
            "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
            "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\n"
            f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
            f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {original_id}\r\nSubject: x\r\n\r\n--B--\r\n"
            ).encode("ascii")
