"""What a caller sees of their own ticket (issue 16, item 7): the label of a merged duplicate, the master's
progress and reply without the master caller's data, the expected date, and whether they can be reached.

The master of a merged duplicate belongs to another caller: its reply reaches this caller only as the
public log published it after review (保密审查), or else as the masking engine masks it with the master
caller's names and phones — never raw, also for a confidential (保密) master. public_log is imported
inside the functions, as hotline/reply.py does, so that hotline does not import it at load time.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from core.extensions import db
from hotline import sla
from hotline.common import clock
from hotline.models import Ticket
from hotline.states import Status

MAX_CHAIN = 5  # a master may itself have been merged later; follow a few links, never a loop
ANSWERED = (Status.REPLIED.value, Status.CALLBACK_REVIEW.value, Status.CLOSED.value)

SOURCE_LABELS = {
    "published": "以下答复为经保密审查后在“办理结果公开”中发布的文本。",
    "masked": "以下答复已自动遮盖其他市民的姓名、电话等个人信息（尚未经人工审查）。",
}


def master_of(ticket: Ticket) -> Ticket | None:
    """The ticket this one was merged into, following later merges of the master (None if not merged)."""
    master, seen = ticket, {ticket.id}
    for _ in range(MAX_CHAIN):
        if master.merged_into_id is None or master.merged_into_id in seen:
            break
        master = db.session.get(Ticket, master.merged_into_id)
        seen.add(master.id)
    return None if master is ticket else master


def citizen_label(ticket: Ticket) -> str:
    """The status as its caller reads it: a merged duplicate is 已并入 the master, not plainly 已办结."""
    if ticket.close_reason == "merged":
        master = master_of(ticket)
        if master is not None:
            return f"已并入 {master.number} 办理"
    return CITIZEN_LABELS.get(ticket.status, ticket.status_label)


# Internal steps the caller reads in plain words: a return under the centre's review is still being handled.
CITIZEN_LABELS = {"return_review": "办理中", "awaiting_signoff": "办理中", "callback_review": "已答复，研判中"}


def expected(ticket: Ticket) -> tuple[str, datetime] | None:
    """(verb, due) of the running clock the caller waits on — 派单 while new, 答复 while with the
    department — or None once answered (DESIGN §3 clocks)."""
    name = {Status.NEW.value: "dispatch", Status.DISPATCHED.value: "handling", Status.SIGNED.value: "handling",
            Status.AWAITING_SIGNOFF.value: "handling"}.get(ticket.status)
    c = clock(ticket, name) if name else None
    if c is None or c.state != "running":
        return None
    return ("派单" if name == "dispatch" else "答复", c.due_at)


def master_reply(master: Ticket) -> tuple[str | None, str | None]:
    """(text, source) of the master's current reply for another caller: the published public text when
    the public record of this very reply is published, else the masked text; (None, None) if unanswered."""
    if master.status not in ANSWERED or not master.reply_text:
        return None, None
    from public_log.queries import record_of
    from public_log.review import public_version
    record = record_of("hotline", master.id)
    if record is not None and record.status == "published" and record.original_reply == master.reply_text:
        return record.reply_text, "published"
    # the one masking rule (public_log.review.public_version) with the master caller's own people; a
    # pending record also carries the reviewer's decisions so far; a 保密 master has no record at all
    known = record if record is not None else SimpleNamespace(known={
        "names": [n for n in (master.caller_name,) if n], "phones": [p for p in (master.caller_phone,) if p]})
    return public_version(known, master.reply_text)[0], "masked"


def merged_view(ticket: Ticket) -> dict[str, Any] | None:
    """What the caller of a merged duplicate sees of the master (None if the ticket was not merged)."""
    if ticket.close_reason != "merged":
        return None
    master = master_of(ticket)
    if master is None:
        return None
    text, source = master_reply(master)
    return {"number": master.number, "merged_at": ticket.closed_at, "status_label": citizen_label(master),
            "expected": expected(master), "reply": text, "reply_source": source,
            "source_label": SOURCE_LABELS.get(source), "replied_at": master.replied_at if text else None}


def reachable(ticket: Ticket) -> bool:
    """Whether the ticket can be followed by SMS and called back: only with the caller's phone."""
    return bool((ticket.caller_phone or "").strip())


def _phone_tail(phone):
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-4:]


def submitted_message(ticket: Ticket, *, logged_in: bool) -> str:
    """The confirmation after a web submission, true to how this caller can follow the ticket."""
    head = f"诉求已提交，工单编号：{ticket.number}。"
    if reachable(ticket):
        return (head + f"查询码已显示在下方，并以短信发送到尾号 {_phone_tail(ticket.caller_phone)} 的手机；"
                "办理结果将短信告知，回访时也会致电该号码。")
    if logged_in:
        return (head + "您没有填写手机号：不会收到短信，也不会有电话回访。登录后可在“我的诉求”中查看进度、"
                "答复并在线评价。")
    return (head + "您没有填写手机号：不会收到短信，也无法电话回访。只能凭工单编号和下方的查询码查询进度、"
            "查看答复并在线评价；查询码遗失后无法重新获取，请务必现在保存。")


def receipt_note(ticket: Ticket) -> str | None:
    """The receipt's sentence on how the access code was delivered and whether it can be resent."""
    if reachable(ticket):
        return None  # the receipt's standard wording (sent by SMS, can be resent) is true
    return ("您没有填写手机号，查询码没有以短信发送，遗失后也无法重新获取。请抄写、截图或打印本页保存，"
            "不要告诉他人；凭工单编号和查询码，不登录也能在本网站查询进度、查看答复和在线评价。")


def status_context(ticket: Ticket) -> dict[str, Any]:
    """Everything the caller's status page shows beyond the ticket itself."""
    from hotline.queries import citizen_steps
    return {"status_label": citizen_label(ticket), "merged": merged_view(ticket), "expected": expected(ticket),
            "steps": citizen_steps(ticket), "reachable": reachable(ticket), "receipt_note": receipt_note(ticket),
            "verdict": sla.handling_verdict(clock(ticket, "handling"))}
