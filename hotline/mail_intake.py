"""Written intake (issue 20 item 2): inbound e-mail and SMS become items of the 待受理 inbox; an operator turns
one into a ticket (or marks it invalid), replies by mail or SMS in the ticket's conversation, and the citizen's
answer — recognised by the token in the subject, or for an SMS by its number and time (hotline/sms_thread.py) —
joins that ticket instead of making a new item.

When the clocks start: a message in the inbox is not yet accepted. It becomes a ticket when an operator has
read and classified it, and the dispatch clock starts then (DESIGN §3: "dispatch after intake"), as an online
disclosure application counts as received when staff confirm it (条例 Art. 31(3)). The arrival time is kept on
the message and in the ticket's audit trail, so the wait in the inbox stays visible.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from core import audit, uploads
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.inputs import parse_datetime
from core.workcounts import WorkCount
from hotline import cti, intake, sms_thread
from hotline.common import free_text, log_event
from hotline.mail_models import InboundAttachment, InboundMessage, MailThread, TicketMail
from hotline.mail_parse import ParsedMail, parse, thread_token
from hotline.models import Ticket
from hotline.replies import send_reply

if TYPE_CHECKING:
    from hotline.common import Actor

KIND = "inbound_message"  # the audit trail's entity kind
STATUS = {"received": "已接收（待解析）", "new": "待受理", "converted": "已转为工单", "threaded": "已并入工单",
          "invalid": "无效/垃圾", "ignored": "已忽略（自动邮件/循环/限频）", "bounce": "退信", "failed": "解析失败"}
CHANNEL_LABELS = {"email": "邮件", "sms": "短信"}


def own_address() -> str:
    return str(current_app.config["MAIL_FROM"]).strip().lower()


def own_domain() -> str:
    return own_address().rpartition("@")[2]


def store_raw(raw: bytes, *, envelope_from: str, envelope_to: Sequence[str], now: datetime) -> InboundMessage:
    """Keep an accepted message exactly as received before anything reads it: nothing is lost to a parser bug."""
    with unit_of_work():
        item = InboundMessage(channel="email", received_at=now, raw=raw, envelope_from=(envelope_from or "")[:254],
                              envelope_to=",".join(envelope_to)[:1000], sender=(envelope_from or "")[:254].lower(),
                              status="received")
        db.session.add(item)
    return item


def receive_mail(raw: bytes, *, envelope_from: str, envelope_to: Sequence[str], now: datetime) -> InboundMessage:
    """An e-mail handed over by the relay: stored raw, then read into the inbox, a ticket's thread, a bounce
    record or the ignored pile. A message that cannot be read stays stored, marked failed."""
    item = store_raw(raw, envelope_from=envelope_from, envelope_to=envelope_to, now=now)
    try:
        return process(item, now=now)
    except Exception as exc:  # noqa: BLE001 - the raw message is kept; the failure is shown to operators
        db.session.rollback()
        with unit_of_work():
            item.status, item.note = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        current_app.logger.exception("inbound message %s could not be processed", item.id)
        return item


def process(item: InboundMessage, *, now: datetime) -> InboundMessage:
    """Read a stored message and decide what it is (one unit of work)."""
    parsed = parse(item.raw or b"", own_address=own_address(), own_domain=own_domain())
    with unit_of_work():
        item.sender = parsed.sender or item.sender
        item.sender_name, item.subject, item.body = parsed.sender_name, parsed.subject, parsed.text
        duplicate = _duplicate("email", parsed.message_id, item.id)
        if duplicate is not None:
            item.status, item.note = "ignored", f"重复投递：同一 Message-ID 已于第 {duplicate.id} 号消息收到"
        else:
            item.external_id = parsed.message_id or None
            _classify(item, parsed, now)
        audit.log_change(now=now, actor="mail", entity_kind=KIND, entity_id=item.id, action=item.status,
                         after={"sender": item.sender, "subject": item.subject, "note": item.note})
    return item


def _duplicate(channel: str, external_id: str, own_id: int | None) -> InboundMessage | None:
    if not external_id:
        return None
    q = InboundMessage.query.filter_by(channel=channel, external_id=external_id)
    if own_id is not None:
        q = q.filter(InboundMessage.id != own_id)
    return q.first()


def _classify(item: InboundMessage, parsed: ParsedMail, now: datetime) -> None:
    if parsed.bounce is not None:
        _record_bounce(item, parsed, now)
    elif parsed.auto:
        item.status, item.note = "ignored", parsed.auto
    elif _over_rate(item, now):
        item.status, item.note = "ignored", f"同一发件人一小时内超过 {current_app.config['MAIL_INBOUND_PER_HOUR']} 封（限频）"
    else:
        _attachments(item, parsed.attachments)
        ticket = _threaded_ticket(parsed.subject)
        if ticket is None:
            item.status = "new"
            return
        _join(item, ticket, now)


JOINED = {"email": ("mail_in", "mail"), "sms": ("sms_in", "sms")}  # the ticket's event; who the audit trail names


def _join(item: InboundMessage, ticket: Ticket, now: datetime) -> None:
    """A citizen's answer joins their ticket's conversation (status threaded), not the 待受理 inbox: one incoming
    message of the conversation and the ticket's event mail_in / sms_in."""
    item.status, item.ticket_id = "threaded", ticket.id
    db.session.add(_incoming(item, ticket))
    event, actor = JOINED[item.channel]
    log_event(ticket, event, now=now, actor=actor, detail={"inbound": item.id, "from": item.sender})


def _incoming(item: InboundMessage, ticket: Ticket) -> TicketMail:
    """An inbound message as a message of the ticket's conversation."""
    return TicketMail(ticket_id=ticket.id, channel=item.channel, direction="in", at=item.received_at,
                      address=item.sender, subject=item.subject, body=item.body,
                      header_id=item.external_id if item.channel == "email" else None, inbound_id=item.id)


def _over_rate(item: InboundMessage, now: datetime) -> bool:
    """A sender (or a loop we failed to spot) may not flood the inbox: at most MAIL_INBOUND_PER_HOUR an hour."""
    limit = current_app.config["MAIL_INBOUND_PER_HOUR"]
    recent = db.session.query(func.count(InboundMessage.id)).filter(
        InboundMessage.sender == item.sender, InboundMessage.channel == item.channel, InboundMessage.id != item.id,
        InboundMessage.received_at > now - timedelta(hours=1),
        InboundMessage.status.in_(("new", "threaded", "converted", "invalid"))).scalar()
    return bool(item.sender) and recent >= limit


def _attachments(item: InboundMessage, files: Sequence[tuple[str, bytes]]) -> None:
    """Checked as uploads are (core/uploads.py: content sniffing, size, count); a refused one is recorded."""
    most = current_app.config["UPLOAD_MAX_FILES"]
    for index, (name, data) in enumerate(files):
        row = InboundAttachment(message_id=item.id, filename=(name or "附件")[:200].replace("\x00", ""), size=len(data))
        if index >= most:
            row.refused = f"附件最多 {most} 个，其余未接收"
        else:
            try:
                checked = uploads.check_one(name, data)
            except ValidationError as err:
                row.refused = err.message
            else:
                row.content_type, row.sha256 = checked.content_type, checked.sha256
                row.stored_name = uploads.store(checked)
        db.session.add(row)


def _threaded_ticket(subject: str) -> Ticket | None:
    """The ticket whose token the subject carries, when its secret part is right (compared in constant time)."""
    token = thread_token(subject)
    if token is None:
        return None
    ticket = Ticket.query.filter_by(number=token[0]).first()
    thread = MailThread.of(ticket.id, "email") if ticket is not None else None
    if thread is None or not hmac.compare_digest(thread.secret.encode(), token[1].encode()):
        return None  # forged or unknown: a new inbox item, never someone else's ticket
    return ticket


def _record_bounce(item: InboundMessage, parsed: ParsedMail, now: datetime) -> None:
    """A delivery-status report (RFC 3464) is recorded against the mail it answers, shown on its ticket."""
    bounce = parsed.bounce
    assert bounce is not None
    item.status = "bounce"
    item.note = "；".join(x for x in (bounce.recipient, bounce.status, bounce.diagnostic) if x) or "退信"
    sent = TicketMail.query.filter_by(header_id=bounce.original_id, direction="out").first() \
        if bounce.original_id else None
    if sent is None:
        item.note += "（未找到对应的发出邮件）"
        return
    sent.bounced_at, sent.bounce_note, item.ticket_id = now, item.note, sent.ticket_id
    ticket = db.session.get(Ticket, sent.ticket_id)
    if ticket is not None:
        log_event(ticket, "mail_bounced", now=now, actor="mail", detail={"to": sent.address, "note": item.note})


def receive_sms(data: Mapping[str, Any], *, now: datetime) -> tuple[InboundMessage, bool]:
    """An SMS from the gateway's webhook into the inbox; a repeated gateway message id is the same message
    (returns it, False)."""
    errors: dict[str, str] = {}
    for key in ("from", "text", "id", "message_id", "received_at"):
        if isinstance(data.get(key), str) and not _encodable(data[key]):
            raise ValidationError("短信内容含有无法识别的字符（孤立的代理码位）", field=key)
    # one number however the gateway writes it (+86…, 86…, 0086…, spaces, dashes): the conversation's key
    sender = (cti.citizen_number(data["from"]) if isinstance(data.get("from"), str) else None) or ""
    if not sender:
        errors["from"] = "发送号码应为 11 位手机号或带区号的固定电话"
    try:
        text = free_text(data.get("text"), field="text", label="短信内容", max_len=1000, required=True,
                         allow_nul=False)
    except ValidationError as err:
        errors.update(err.fields)
    message_id = data.get("id", data.get("message_id"))
    if message_id is not None and (not isinstance(message_id, (str, int)) or isinstance(message_id, bool)
                                   or not str(message_id).strip() or len(str(message_id)) > 100
                                   or "\x00" in str(message_id)):
        errors["id"] = "短信编号应为不超过 100 字符的文本"
    received = now
    if data.get("received_at") not in (None, ""):
        try:
            received = min(parse_datetime(data.get("received_at")), now)
        except ValueError as err:  # parse_datetime's refusal says what was wrong, in Chinese
            errors["received_at"] = str(err)
    if errors:
        raise ValidationError("短信内容有误：" + "；".join(errors.values()), fields=errors)
    external = str(message_id).strip() if message_id is not None else None
    existing = _duplicate("sms", external or "", None)
    if existing is not None:
        return existing, False
    try:
        with unit_of_work():
            item = InboundMessage(channel="sms", received_at=received, sender=sender, body=text,
                                  subject=text[:40], external_id=external, status="new")
            db.session.add(item)
            db.session.flush()
            if _over_rate(item, now):
                item.status, item.note = "ignored", "同一号码一小时内短信过多（限频）"
            else:
                ticket = sms_thread.threaded_ticket(sender, at=received)  # the citizen answering our SMS reply
                if ticket is not None:
                    _join(item, ticket, now)
            audit.log_change(now=now, actor="sms", entity_kind=KIND, entity_id=item.id, action=item.status,
                             after={"sender": sender, "ticket": item.ticket_id})
    except IntegrityError:  # the same id arrived at the same moment through another worker
        db.session.rollback()
        again = _duplicate("sms", external or "", None)
        if again is None:
            raise
        return again, False
    return item, True


def _encodable(text: str) -> bool:
    """A JSON string may carry a lone surrogate (\\ud800), which no database can store: a 400, not a 500."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def prefill(item: InboundMessage) -> dict[str, str]:
    """The intake form's first values for an inbox item: its text, and the phone of an SMS."""
    content = item.body.strip() or item.subject
    if item.channel == "email" and item.subject and item.subject not in content:
        content = f"{item.subject}\n{content}"
    return {"content": content[:5000], "caller_phone": item.sender if item.channel == "sms" else "",
            "caller_name": item.sender_name, "type": "", "category_code": "", "address": "", "urgency": "normal"}


def _decide(item: InboundMessage, status: str, *, now: datetime, actor: Actor, **values: Any) -> None:
    """Move a 待受理 item on, in one conditional UPDATE: two operators deciding at once — one wins, the other
    is told."""
    done = db.session.execute(update(InboundMessage).where(InboundMessage.id == item.id, InboundMessage.status == "new")
                              .values(status=status, decided_at=now, decided_by_id=getattr(actor, "id", None),
                                      **values), execution_options={"synchronize_session": False}).rowcount  # type: ignore[attr-defined]
    if not done:
        raise ValidationError(f"该消息已被处理（{STATUS.get(item.status, item.status)}），请刷新")
    db.session.refresh(item)


def convert(item: InboundMessage, data: Mapping[str, Any], *, now: datetime, actor: Actor) -> Ticket:
    """转为工单: the operator's classified intake form becomes a ticket linked to the message; its sender gets
    the ticket's conversation: an e-mail's its mail thread (its subject token), an SMS's its SMS conversation."""
    if item.status != "new":
        raise ValidationError(f"该消息已被处理（{STATUS.get(item.status, item.status)}）")

    def link(ticket: Ticket) -> None:
        _decide(item, "converted", now=now, actor=actor, ticket_id=ticket.id)
        if item.sender:  # an SMS has no token: it threads by number and time (hotline/sms_thread.py)
            db.session.add(MailThread(ticket_id=ticket.id, channel=item.channel, address=item.sender,
                                      secret=secrets.token_hex(5) if item.channel == "email" else ""))
            db.session.add(_incoming(item, ticket))
        log_event(ticket, "from_inbox", now=now, actor=actor,
                  detail={"inbound": item.id, "channel": item.channel, "arrived": item.received_at.isoformat()})
        audit.log_change(now=now, actor=actor, entity_kind=KIND, entity_id=item.id, action="converted",
                         after={"ticket": ticket.number})
    user = actor if not isinstance(actor, str) else None
    return intake.create_ticket(data, channel=item.channel, received_at=now, now=now, actor=actor, operator=user,
                                on_created=link)


def mark_invalid(item: InboundMessage, *, reason: Any, now: datetime, actor: Actor) -> InboundMessage:
    """标记为无效/垃圾, with the reason (kept; the message stays stored)."""
    text = free_text(reason, field="reason", label="原因", max_len=500, required=True, allow_nul=False,
                     missing="请填写标记为无效的原因")
    with unit_of_work():
        _decide(item, "invalid", now=now, actor=actor, note=text)
        audit.log_change(now=now, actor=actor, entity_kind=KIND, entity_id=item.id, action="invalid",
                         after={"reason": text})
    return item


def thread_of(ticket: Ticket) -> MailThread | None:
    """The ticket's mail thread (an SMS conversation is hotline/sms_thread.py's), or None."""
    return MailThread.of(ticket.id, "email")


def token_of(ticket: Ticket, thread: MailThread) -> str:
    """The subject token of a ticket's mail thread, e.g. [RX-2026-000123#5f0c9a1b2e]."""
    return f"[{ticket.number}#{thread.secret}]"


def mails_of(ticket: Ticket, channel: str = "email") -> list[TicketMail]:
    """The messages of the ticket's conversation on `channel`, oldest first."""
    return TicketMail.query.filter_by(ticket_id=ticket.id, channel=channel).order_by(TicketMail.at, TicketMail.id).all()


def reply_by_mail(ticket: Ticket, *, text: Any, now: datetime, actor: Actor) -> TicketMail:
    """The operator's reply in the ticket's mail thread: through the outbox (core/notifications), the token in
    the subject, In-Reply-To/References to the citizen's last message."""
    thread = thread_of(ticket)
    if thread is None:
        raise ValidationError("该工单不是来自邮件，没有可回复的邮件往来", field="text")
    body = free_text(text, field="text", label="回复内容", max_len=5000, required=True, allow_nul=False,
                     missing="请填写回复内容")
    mails = mails_of(ticket)
    ids = [m.header_id for m in mails if m.header_id]
    last_in = next((m.header_id for m in reversed(mails) if m.direction == "in" and m.header_id), None)
    header_id = make_msgid(idstring=ticket.number or str(ticket.id), domain=own_domain())
    headers = {"Message-ID": header_id, "In-Reply-To": last_in or (ids[-1] if ids else ""),
               "References": " ".join(ids[-10:])}
    return send_reply(ticket, thread, event="ticket_mail_reply", now=now, actor=actor, headers=headers,
                      header_id=header_id,
                      context={"label": ticket.number, "token": token_of(ticket, thread), "text": body})


def queue(statuses: Sequence[str] = ("new",), limit: int = 200) -> list[InboundMessage]:
    """The 待受理 inbox (or another status), oldest first: the longest wait is handled first."""
    return (InboundMessage.query.filter(InboundMessage.status.in_(statuses))
            .order_by(InboundMessage.received_at, InboundMessage.id).limit(limit).all())


def counts() -> dict[str, int]:
    rows = db.session.query(InboundMessage.status, func.count(InboundMessage.id)).group_by(InboundMessage.status)
    return {status: n for status, n in rows}


def queue_count() -> WorkCount:
    """The work menu's count of the 待受理 inbox (no clock runs before a message is accepted)."""
    total = db.session.query(func.count(InboundMessage.id)).filter(InboundMessage.status == "new").scalar()
    return WorkCount(total or 0, label="待受理")
