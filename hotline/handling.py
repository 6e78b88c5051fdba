"""Department handling: sign for, return, extension, co-handling, reply and sign-off, reminders."""
from core.auth.models import Role
from core.calendar.service import get_schedule
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.notifications.service import notify
from hotline import rounds, sla
from hotline.common import ENTITY, clock, log_event, start, stop, transition
from hotline.states import Status, TransitionError


def sign(ticket, *, now, actor):
    """签收: the sign-for verdict is frozen now."""
    with unit_of_work():
        transition(ticket, Status.SIGNED, {Status.DISPATCHED}, "sign", now=now, actor=actor)
        ticket.signed_at = now
        stop(ticket, "sign_for", at=now, actor=actor, reason="signed")
    return ticket


def return_ticket(ticket, *, reason, now, actor):
    """退单 of a misrouted ticket: reviewed by the 12345 centre before it counts (hotline/returns.py)."""
    from hotline.returns import request_return
    return request_return(ticket, reason=reason, now=now, actor=actor)


def request_extension(ticket, *, hours, reason, now, actor):
    """延期 request, only before the handling period expires (hotline/extensions.py)."""
    from hotline.extensions import request_extension as request
    return request(ticket, hours=hours, reason=reason, now=now, actor=actor)


def decide_extension(ticket, *, approve, now, actor, note=""):
    """A supervisor's decision on the 延期 request, approved only before expiry (hotline/extensions.py)."""
    from hotline.extensions import decide_extension as decide
    return decide(ticket, approve=approve, now=now, actor=actor, note=note)


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
        log_event(ticket, "co_part", now=now, actor=actor, detail={"department": department.code})
    return ticket


def _finish_reply(ticket, text, now, actor):
    from hotline.models import Ticket
    ticket.reply_text, ticket.replied_at = text, now
    stop(ticket, "handling", at=now, actor=actor, reason="replied")
    # a reply without a recorded first contact is the first contact (hotline/contact.py)
    stop(ticket, "first_contact", at=now, actor=actor, reason="contacted")
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
            # the caller may have no account: the SMS says how to read the answer (number + 查询码)
            notify("ticket_merged_answered", now=now, address=merged.caller_phone, channels=("sms",),
                   entity=(ENTITY, merged.id), context={"label": merged.number, "master": ticket.number})


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
    """催办: a trail and a reminder to the department. 督办 is no message but a written order with a
    deadline for the department's feedback (hotline/supervision.py, issue 16 item 5)."""
    from core.auth.models import User
    if kind == "supervise":
        raise ValidationError("督办请下发督办单（工单页“督办单”，由督办人员下发，部门须在时限内书面反馈）", field="kind")
    if kind not in (None, "", "remind"):
        raise ValidationError("kind 应为 remind（催办）", field="kind")
    kind = "remind"
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        raise ValidationError("催办说明应为不超过 500 字的文字", field="note")
    if ticket.status not in (Status.DISPATCHED.value, Status.SIGNED.value, Status.AWAITING_SIGNOFF.value):
        raise TransitionError("只有在办的工单可以催办")
    with unit_of_work():
        log_event(ticket, kind, now=now, actor=actor, detail={"note": (note or "").strip()})
        event = "clock_due_soon" if kind == "remind" else "clock_escalated"
        c = clock(ticket, "handling")
        for user in User.query.filter(User.department_id == ticket.department_id, User.active.is_(True),
                                      User.role.in_([Role.STAFF, Role.APPROVER])):
            notify(event, now=now, user=user, entity=(ENTITY, ticket.id), context={
                "label": ticket.number, "clock_name": "办理时限", "department": ticket.department.name,
                "due": c.due_at.astimezone(get_schedule().tz).strftime("%Y-%m-%d %H:%M") if c else ""})
    return ticket
