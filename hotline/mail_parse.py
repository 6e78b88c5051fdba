"""Reading an inbound e-mail (pure: bytes in, a ParsedMail out; nothing stored): the sender, the subject and
text in whatever charset the citizen's client chose (GB2312 mail often holds GBK characters, so the GB family is
read as GB18030), the attachments, the thread token, auto-replies (RFC 3834) and delivery reports (RFC 3464)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from typing import cast

# The GB family as one superset: a GB2312-labelled mail with a GBK-only character (镕, 喆) still reads.
CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030",
            "cp936": "gb18030", "x-euc-cn": "gb18030", "unknown-8bit": "utf-8", "us-ascii": "utf-8"}
TOKEN = re.compile(r"\[(RX-\d{4}-\d{6,})#([0-9a-z]{8,16})\]")
BULK = {"bulk", "junk", "list", "auto_reply"}
MAX_TEXT = 100_000  # characters of body kept for the inbox (the raw message keeps everything)


@dataclass
class Bounce:
    """A delivery-status report: whom it failed to reach, why, and the Message-ID of our mail it answers."""

    recipient: str
    status: str
    diagnostic: str
    original_id: str


@dataclass
class ParsedMail:
    sender: str
    sender_name: str
    subject: str
    text: str
    message_id: str
    in_reply_to: str
    references: list[str]
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    auto: str | None = None  # why this is an automatic message (no ticket, no answer)
    bounce: Bounce | None = None


def codec(charset: str | None) -> str:
    """The Python codec that reads a MIME charset label; unknown labels read as UTF-8 (errors replaced)."""
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSETS.get(name, name)
    try:
        "".encode(name)
    except (LookupError, ValueError):
        return "utf-8"
    return name


def decode_words(value: str | None) -> str:
    """An RFC 2047 header value as text, each encoded word in its charset (GB family as GB18030)."""
    if not value:
        return ""
    out = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, bytes):
            out.append(chunk.decode(codec(charset), "replace"))
        else:
            out.append(chunk)
    text = "".join(out).replace("\x00", "")
    return re.sub(r"\s+", " ", text).strip()


def _raw_header(msg: Message, name: str) -> str | None:
    """The header as it came on the wire (encoded words intact), so that we decode the charsets ourselves."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return payload.decode(codec(part.get_content_charset()), "replace").replace("\x00", "")


def _ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _auto(msg: Message, sender: str, own_address: str, own_domain: str, message_id: str) -> str | None:
    """Why the message is automatic and must get neither a ticket nor an answer (RFC 3834 §5, loops)."""
    auto_submitted = (msg.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"自动发送的邮件（Auto-Submitted: {auto_submitted[:40]}）"
    precedence = (msg.get("Precedence") or "").strip().lower()
    if precedence in BULK:
        return f"群发或自动邮件（Precedence: {precedence}）"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        if msg.get(name) is not None:
            return f"自动回复（{name}）"
    if sender and own_address and sender.lower() == own_address.lower():
        return "本系统自己发出的邮件（循环）"
    if own_domain and message_id.lower().endswith(f"@{own_domain.lower()}>"):
        return "本系统自己发出的邮件（循环）"
    if not sender or sender.split("@")[0].lower() in ("mailer-daemon", "postmaster"):
        return "无发件人或系统退信（非标准格式）"
    return None


def _bounce(msg: Message) -> Bounce | None:
    """multipart/report; report-type=delivery-status (RFC 3464): the failed recipient and our original's id."""
    if msg.get_content_type() != "multipart/report" or \
            (msg.get_param("report-type") or "").lower() != "delivery-status":
        return None
    recipient = status = diagnostic = original = ""
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                recipient = recipient or (block.get("Final-Recipient") or "").split(";")[-1].strip()
                status = status or (block.get("Status") or "").strip()
                diagnostic = diagnostic or (block.get("Diagnostic-Code") or "").split(";")[-1].strip()
        elif kind in ("message/rfc822", "text/rfc822-headers") and not original:
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                original = str(inner[0].get("Message-ID") or "")
            else:
                found = re.search(r"^Message-ID:\s*(<[^>]+>)", _text_of(part), re.I | re.M)
                original = found.group(1) if found else ""
    return Bounce(recipient[:254], status[:20], diagnostic[:500], original.strip()[:255])


def parse(raw: bytes, *, own_address: str = "", own_domain: str = "") -> ParsedMail:
    """The parts of an inbound message the inbox needs; never raises on a malformed message."""
    msg = cast(EmailMessage, message_from_bytes(raw, policy=policy.default))
    name, address = parseaddr(decode_words(_raw_header(msg, "From")))
    if not address:
        address = next((a for _, a in getaddresses([decode_words(_raw_header(msg, "Sender"))]) if a), "")
    message_id = (_ids(_raw_header(msg, "Message-ID")) or [""])[0]
    parsed = ParsedMail(sender=address.strip().lower()[:254], sender_name=name[:120],
                        subject=decode_words(_raw_header(msg, "Subject"))[:255], text="", message_id=message_id[:255],
                        in_reply_to=(_ids(_raw_header(msg, "In-Reply-To")) or [""])[0],
                        references=_ids(_raw_header(msg, "References")))
    parsed.bounce = _bounce(msg)
    if parsed.bounce is None:
        parsed.auto = _auto(msg, parsed.sender, own_address, own_domain, message_id)
    texts, htmls = [], []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type().startswith("message/"):
            continue
        filename = part.get_filename()
        disposition = (part.get_content_disposition() or "").lower()
        if filename or disposition == "attachment":
            data = part.get_payload(decode=True)
            parsed.attachments.append((decode_words(filename) or "附件", data if isinstance(data, bytes) else b""))
        elif part.get_content_type() == "text/plain":
            texts.append(_text_of(part))
        elif part.get_content_type() == "text/html":
            htmls.append(re.sub(r"<[^>]+>", " ", _text_of(part)))
    parsed.text = "\n".join(t.strip() for t in (texts or htmls)).strip()[:MAX_TEXT]
    return parsed


def thread_token(subject: str) -> tuple[str, str] | None:
    """(ticket number, secret) of the token "[RX-2026-000123#k7f3a9c2]" in a subject, else None."""
    found = TOKEN.search(subject or "")
    return (found.group(1), found.group(2)) if found else None
