"""Read side of tickets: visibility by department, confidentiality of caller data, representation."""
from core.audit import history
from core.clocks.models import Clock
from core.clocks.service import urgency_of
from core.listing import department_id, overdue_filter, status_filter
from hotline import access, rounds, supervision
from hotline.access import sees_callers
from hotline.common import ENTITY, clock
from hotline.models import Ticket
from hotline.sla import TYPES
from hotline.states import Status



def caller_for(user, ticket):
    """The caller data this user may see, or None (issue 13). Confidential (保密) tickets show the caller
    only to operators and supervisors; so does the recorded name of an anonymous (匿名) caller, which is
    kept only so that masking still finds it wherever the caller wrote it."""
    privileged = sees_callers(user)
    if ticket.confidential and not privileged:
        return None
    return {"phone": ticket.caller_phone, "anonymous": ticket.anonymous,
            "name": ticket.caller_name if (privileged or not ticket.anonymous) else None}


def duplicate_hints(user, ticket, now):
    """Possible duplicates shown on a ticket. Across a confidential ticket — this one or the other —
    only operators and supervisors see them: a link from a confidential ticket to the same caller's
    ordinary one would name the caller to the department (issue 13)."""
    from hotline.suggest import duplicates
    privileged = sees_callers(user)
    if ticket.confidential and not privileged:
        return []
    found = duplicates(phone=ticket.caller_phone, category_code=ticket.category_code, address=ticket.address,
                       now=now, exclude_id=ticket.id)
    return found if privileged else [d for d in found if not d.confidential]


def visible(user, *, status=None, department=None, overdue=None, now, limit=500):
    """Tickets the user may see, filtered; department staff see their lead and co-handled tickets."""
    q = status_filter(Ticket.query, Ticket.status, status, {s.value for s in Status})
    if department:
        q = q.filter(Ticket.department_id == department_id(department))
    q = access.visible(q, user)
    q = overdue_filter(q, Ticket.id, entity_kind=ENTITY, overdue=overdue, now=now)
    return q.order_by(Ticket.id.desc()).limit(limit).all()


def current_clock(ticket):
    """The clock that matters now: dispatch, sign-for, handling or callback."""
    name = {"new": "dispatch", "dispatched": "sign_for", "signed": "handling", "awaiting_signoff": "handling",
            "replied": "callback"}.get(ticket.status)
    return clock(ticket, name) if name else None


STEP_LABELS = {
    "created": "受理", "dispatch": "派单", "transfer": "转 110/119/120", "direct_close": "直接办结", "sign": "签收",
    "return": "退回", "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_refused": "不批准延期", "co_part": "协办意见", "reply": "答复", "reply_drafted": "答复待签发",
    "reply_signed_off": "签发答复", "reply_returned": "退回答复", "urge": "催办", "attempt": "回访",
    "callback_failed": "回访未接通", "callback_unsatisfied": "回访不满意", "close_after_callback": "回访后办结",
    "close_by_supervisor": "研判后办结", "close_unreachable": "无法联系办结", "reopen": "重办",
    "merged": "合并", "merged_in": "并入", "ticket_merged": "合并工单",
}
STEP_LABELS.update({"supervision_issued": "下发督办单", "supervision_feedback": "督办书面反馈",
                    "supervision_escalated": "督办升级"})


def timeline(ticket):
    """The ticket's audit trail, oldest first (no details: they may hold a confidential caller's data)."""
    return history(ENTITY, ticket.id)


def represent(ticket, user, now, brief=False):
    c = current_clock(ticket)
    out = {"id": ticket.id, "number": ticket.number, "status": ticket.status, "status_label": ticket.status_label,
           "type": ticket.type, "type_label": TYPES[ticket.type], "category": ticket.category_code,
           "category_name": ticket.category.name if ticket.category else None, "urgency": ticket.urgency,
           "department": ticket.department.code if ticket.department else None,
           "due_at": c.due_at.isoformat() if c else None, "urgency_badge": urgency_of(c, now).value if c else None,
           "confidential": ticket.confidential}
    out["caller"] = caller_for(user, ticket)
    if brief:
        return out
    out.update({
        "channel": ticket.channel, "address": ticket.address, "lat": ticket.lat, "lng": ticket.lng,
        "content": ticket.content, "summary": ticket.summary,
        "received_at": ticket.received_at.isoformat(),
        "dispatched_at": ticket.dispatched_at.isoformat() if ticket.dispatched_at else None,
        "return_deadline": ticket.return_deadline.isoformat() if ticket.return_deadline else None,
        "signed_at": ticket.signed_at.isoformat() if ticket.signed_at else None,
        "reply_text": ticket.reply_text, "replied_at": ticket.replied_at.isoformat() if ticket.replied_at else None,
        "direct": ticket.direct, "satisfaction": ticket.satisfaction, "resolved": ticket.resolved,
        "close_reason": ticket.close_reason, "reopen_count": ticket.reopen_count, "return_count": ticket.return_count,
        "merged_into": ticket.merged_into_id, "transferred_to": ticket.transferred_to,
        "extension_request_hours": ticket.extension_request_hours, "extension_used": ticket.extension_used,
        "co_handlers": [{"department": ch.department.code, "part": ch.part} for ch in ticket.co_handlers],
        "callbacks": [{"at": a.at.isoformat(), "reached": a.reached, "resolved": a.resolved,
                       "satisfaction": a.satisfaction} for a in ticket.callbacks],
        "clocks": [{"name": k.name, "unit": k.unit, "state": k.state, "started_at": k.started_at.isoformat(),
                    "due_at": k.due_at.isoformat(), "stopped_at": k.stopped_at.isoformat() if k.stopped_at else None,
                    "on_time": k.on_time}
                   for k in Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(ticket.id)).order_by(Clock.id)],
        "answers": [rounds.view(a) for a in rounds.of_ticket(ticket)],  # every round (重办 keeps them)
        "supervision_orders": [supervision.view(o, now) for o in supervision.of_ticket(ticket)],
        "timeline": [{"at": e.at.isoformat(), "action": e.action, "actor": e.actor_label,
                      "entered_at": e.entered_at.isoformat() if e.entered_at else None} for e in timeline(ticket)],
    })
    return out
