"""Department handling: sign for, return, extension, co-handling, reply and sign-off, reminders."""
from core.auth.models import Role
from core.calendar.service import get_schedule
from core.clocks.service import extend_clock
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.notifications.service import notify
from hotline import rounds, sla
from hotline.common import ENTITY, clock, record, start, stop, transition
from hotline.states import Status, TransitionError


def sign(ticket, *, now, actor):
    """签收: the sign-for verdict is frozen now."""
    with unit_of_work():
        transition(ticket, Status.SIGNED, {Status.DISPATCHED}, "sign", now=now, actor=actor)
        ticket.signed_at = now
        stop(ticket, "sign_for", at=now, actor=actor, reason="signed")
    return ticket


def return_ticket(ticket, *, reason, now, actor):
    """退单 of a misrouted ticket, only inside the return window; it goes back to the dispatch queue."""
    if not (reason or "").strip():
        raise ValidationError("请写明退单理由", field="reason")
    if ticket.return_deadline is None or now > ticket.return_deadline:
        raise TransitionError("已超过退单时限，不能退单；如确属误派，请联系督办改派")
    with unit_of_work():
        transition(ticket, Status.NEW, {Status.DISPATCHED, Status.SIGNED}, "return", now=now, actor=actor,
                   detail={"reason": reason.strip(), "department": ticket.department.code})
        stop(ticket, "sign_for", at=now, actor=actor, reason="returned")
        stop(ticket, "handling", at=now, actor=actor, reason="returned")
        ticket.return_count += 1
        ticket.department, ticket.dispatched_at, ticket.return_deadline = None, None, None
        start(ticket, "dispatch", at=now, actor=actor, department_id=None)
    return ticket


def request_extension(ticket, *, hours, reason, now, actor):
    """Ask for more time once per dispatch, at most 10 working days; a supervisor decides."""
    if ticket.extension_used or ticket.extension_request_hours:
        raise TransitionError("本次派单已经申请过延期")
    if not isinstance(hours, (int, float)) or isinstance(hours, bool) or not 0 < hours <= sla.MAX_EXTENSION_HOURS:
        raise ValidationError(f"延期时长应在 0 到 {sla.MAX_EXTENSION_HOURS:g} 个工作小时之间", field="hours")
    if not (reason or "").strip():
        raise ValidationError("请写明延期理由", field="reason")
    if ticket.status != Status.SIGNED.value:
        raise TransitionError(f"工单当前状态为“{ticket.status_label}”，不能申请延期")
    with unit_of_work():
        ticket.extension_request_hours, ticket.extension_request_reason = float(hours), reason.strip()
        record(ticket, "extension_requested", now=now, actor=actor, detail={"hours": hours, "reason": reason.strip()})
    return ticket


def decide_extension(ticket, *, approve, now, actor, note=""):
    """A supervisor approves (the handling clock moves) or refuses the extension request."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise DomainError("延期须由督办批准")
    if not ticket.extension_request_hours:
        raise TransitionError("没有待审批的延期申请")
    with unit_of_work():
        hours = ticket.extension_request_hours
        if approve:
            c = clock(ticket, "handling")
            extend_clock(c, hours, now=now, actor=actor, reason=ticket.extension_request_reason,
                         maximum=sla.MAX_EXTENSION_HOURS)
            ticket.extension_used = True
        ticket.extension_request_hours = None
        record(ticket, "extension_approved" if approve else "extension_refused", now=now, actor=actor,
               detail={"hours": hours, "note": note})
    return ticket


def add_co_part(ticket, department, *, part, now, actor):
    """A co-handling department (协办) adds its part for the lead's reply."""
    co = next((c for c in ticket.co_handlers if c.department_id == department.id), None)
    if co is None:
        raise DomainError("该部门不是本工单的协办单位")
    if ticket.status not in (Status.DISPATCHED.value, Status.SIGNED.value):
        raise TransitionError("工单已答复，不能再提交协办意见")
    if not (part or "").strip():
        raise ValidationError("请填写协办意见", field="part")
    with unit_of_work():
        co.part, co.submitted_at = part.strip(), now
        record(ticket, "co_part", now=now, actor=actor, detail={"department": department.code})
    return ticket


def _finish_reply(ticket, text, now, actor):
    from hotline.models import Ticket
    ticket.reply_text, ticket.replied_at = text, now
    stop(ticket, "handling", at=now, actor=actor, reason="replied")
    rounds.record_answer(ticket, text=text, now=now, actor=actor, direct=False)
    if not ticket.confidential:  # 保密 tickets are never published
        # a reopened ticket's new answer replaces its earlier record and is reviewed again (hotline/rounds.py)
        from public_log.review import resubmit
        resubmit(kind="hotline", source_id=ticket.id, department_id=ticket.department_id, type_code=ticket.type,
               category_code=ticket.category_code, replied_on=now.astimezone(get_schedule().tz).date(),
               author_id=getattr(actor, "id", None), title=f"{sla.TYPES[ticket.type]}：{ticket.category.name}",
               request_text=ticket.content, reply_text=text, names=[ticket.caller_name],
               phones=[ticket.caller_phone], now=now, address=ticket.address, lat=ticket.lat, lng=ticket.lng)
    start(ticket, "callback", at=now, actor=actor)
    for merged in Ticket.query.filter_by(merged_into_id=ticket.id):
        if merged.caller_phone:
            notify("reply", now=now, address=merged.caller_phone, channels=("sms",), entity=(ENTITY, merged.id),
                   context={"label": merged.number, "kind": "12345 诉求"})


def reply(ticket, *, text, now, actor):
    """The lead department's reply; staff of a department that requires sign-off send it to the head."""
    if not (text or "").strip():
        raise ValidationError("请填写答复内容", field="text")
    needs_signoff = ticket.department is not None and ticket.department.requires_signoff and \
        getattr(actor, "role", None) is Role.STAFF
    with unit_of_work():
        if needs_signoff:
            transition(ticket, Status.AWAITING_SIGNOFF, {Status.SIGNED}, "reply_drafted", now=now, actor=actor)
            ticket.reply_text = text.strip()
        else:
            transition(ticket, Status.REPLIED, {Status.SIGNED}, "reply", now=now, actor=actor)
            _finish_reply(ticket, text.strip(), now, actor)
    return ticket


def sign_off(ticket, *, approve, now, actor, note=""):
    if actor.role not in (Role.APPROVER, Role.SUPERVISOR):
        raise DomainError("只有部门负责人可以签发答复")
    with unit_of_work():
        if approve:
            transition(ticket, Status.REPLIED, {Status.AWAITING_SIGNOFF}, "reply_signed_off", now=now, actor=actor)
            _finish_reply(ticket, ticket.reply_text, now, actor)
        else:
            if not (note or "").strip():
                raise ValidationError("退回时请写明修改意见", field="note")
            transition(ticket, Status.SIGNED, {Status.AWAITING_SIGNOFF}, "reply_returned", now=now, actor=actor,
                       detail={"note": note.strip()})
    return ticket


def urge(ticket, *, kind, note, now, actor):
    """催办 (before the due time) or 督办 (overdue): a trail and a notice to the department."""
    from core.auth.models import User
    if kind not in ("remind", "supervise"):
        raise ValidationError("kind 应为 remind 或 supervise", field="kind")
    if ticket.status not in (Status.DISPATCHED.value, Status.SIGNED.value, Status.AWAITING_SIGNOFF.value):
        raise TransitionError("只有在办的工单可以催办或督办")
    with unit_of_work():
        record(ticket, kind, now=now, actor=actor, detail={"note": (note or "").strip()})
        event = "clock_due_soon" if kind == "remind" else "clock_escalated"
        c = clock(ticket, "handling")
        for user in User.query.filter(User.department_id == ticket.department_id, User.active.is_(True),
                                      User.role.in_([Role.STAFF, Role.APPROVER])):
            notify(event, now=now, user=user, entity=(ENTITY, ticket.id), context={
                "label": ticket.number, "clock_name": "办理时限", "department": ticket.department.name,
                "due": c.due_at.astimezone(get_schedule().tz).strftime("%Y-%m-%d %H:%M") if c else ""})
    return ticket
