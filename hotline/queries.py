"""Read side of tickets: visibility by department, confidentiality of caller data, representation."""
from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, case, cast, or_

from core.audit import AuditEvent, history
from core.auth.models import Role
from core.clocks.models import Clock
from core.clocks.service import urgency_of
from core.formats import local_datetime
from core.handoff import Handoff
from core.listing import department_id, overdue_filter, status_filter
from core.workcounts import WorkCount, tally
from core.worktime import Urgency
from hotline import access, cti_console, rounds, supervision, tiers
from hotline.access import sees_callers
from hotline.common import ENTITY, clock
from hotline.cti_models import Call
from hotline.models import Answer, CallbackAttempt, CoHandler, Return, SupervisionOrder, Ticket, Transfer
from hotline.sla import TYPES
from hotline.states import Status

if TYPE_CHECKING:
    from sqlalchemy.orm import Query

    from core.auth.models import User


def caller_for(user: User, ticket: Ticket) -> dict[str, Any] | None:
    """The caller data this user may see, or None (issue 13). Confidential (保密) tickets show the caller
    only to operators and supervisors; so does the recorded name of an anonymous (匿名) caller, which is
    kept only so that masking still finds it wherever the caller wrote it."""
    privileged = sees_callers(user)
    if ticket.confidential and not privileged:
        return None
    return {"phone": ticket.caller_phone, "anonymous": ticket.anonymous,
            "name": ticket.caller_name if (privileged or not ticket.anonymous) else None}


def duplicate_hints(user: User, ticket: Ticket, now: datetime) -> list[Ticket]:
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


def visible(user: User, *, status: str | None = None, department: str | None = None, overdue: bool | None = None,
            now: datetime, limit: int = 500) -> list[Ticket]:
    """Tickets the user may see, filtered; department staff see their lead and co-handled tickets."""
    q = status_filter(Ticket.query, Ticket.status, status, {s.value for s in Status})
    if department:
        q = q.filter(Ticket.department_id == department_id(department))
    q = access.visible(q, user)
    q = overdue_filter(q, Ticket.id, entity_kind=ENTITY, overdue=overdue, now=now)
    return q.order_by(Ticket.id.desc()).limit(limit).all()


CLOCK_OF_STATUS = {"new": "dispatch", "dispatched": "sign_for", "signed": "handling", "awaiting_signoff": "handling",
                   "replied": "callback", "subcentre_review": "sub_handling"}
# The desk's and the departments' queues (hotline/staff_views.py), by state
DISPATCH_QUEUE = ("new",)
CALLBACK_QUEUE = ("replied", "callback_review")
DEPARTMENT_QUEUE = ("dispatched", "signed", "awaiting_signoff", "return_review", "subcentre_review")
# What a district sub-centre does on a ticket one of its departments has (hotline/tiers.py): review its 退单, its reply
SUBCENTRE_QUEUE = ("return_review", "subcentre_review")


def _clock_of(ticket: Ticket) -> str | None:
    name = CLOCK_OF_STATUS.get(ticket.status)
    return tiers.clock_name(ticket, name) if name else None


def current_clock(ticket: Ticket) -> Clock | None:
    """The clock that matters now: dispatch, sign-for, handling or callback (a sub-centre's own while it holds
    the ticket in a two-level dispatch)."""
    name = _clock_of(ticket)
    return clock(ticket, name) if name else None


def in_queue(statuses: Collection[str], user: User | None = None) -> Query[Any]:
    """The tickets of a queue; with a department's staff member or approver, only their department's — for a
    district sub-centre also its departments' 退单 and replies awaiting its review (hotline/tiers.py), never a
    reply that waits for its own sub-centre."""
    q = Ticket.query.filter(Ticket.status.in_(statuses))
    if user is not None and user.role in (Role.STAFF, Role.APPROVER):
        own = and_(Ticket.department_id == user.department_id, Ticket.status != "subcentre_review")
        above = and_(Ticket.subcentre_id == user.department_id, Ticket.department_id != user.department_id,
                     Ticket.status.in_(SUBCENTRE_QUEUE))
        q = q.filter(or_(own, above))
    return q


def queue_count(query: Query[Any], now: datetime, label: str = "待办") -> WorkCount:
    """How many tickets a queue holds and how many are 临期 / 超期, each by its current_clock — in one query."""
    held = Ticket.subcentre_id == Ticket.department_id  # a sub-centre's own clocks (hotline/tiers.py clock_name)
    name = case((and_(held, Ticket.status == "dispatched"), "sub_sign_for"),
                (and_(held, Ticket.status == "signed"), "sub_handling"),
                else_=case(CLOCK_OF_STATUS, value=Ticket.status))
    rows = (query.outerjoin(Clock, and_(Clock.entity_kind == ENTITY, Clock.entity_id == cast(Ticket.id, String),
                                        Clock.name == name))
            .with_entities(Ticket.id, Clock).order_by(Clock.id).all())
    clocks: dict[int, Clock | None] = {}
    for ticket_id, c in rows:
        clocks[ticket_id] = c  # the newest of that name last, as `clock` picks it
    return tally((urgency_of(c, now) if c is not None else Urgency.NORMAL for c in clocks.values()), label)


STEP_LABELS = {
    "created": "受理", "dispatch": "派单", "transfer": "转 110/119/120/122", "direct_close": "直接办结", "sign": "签收",
    "return": "退回", "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_refused": "不批准延期", "co_part": "协办意见", "reply": "答复", "reply_drafted": "答复待签发",
    "reply_signed_off": "签发答复", "reply_returned": "退回答复", "urge": "催办", "remind": "催办", "supervise": "督办（通知）", "attempt": "回访",
    "callback_failed": "回访未接通", "callback_unsatisfied": "回访不满意", "close_after_callback": "回访后办结",
    "close_by_supervisor": "研判后办结", "close_unreachable": "无法联系办结", "reopen": "重办",
    "merged": "合并", "merged_in": "并入", "ticket_merged": "合并工单",
    "close_no_contact": "无联系电话办结",
    "return_upheld": "退单成立", "return_rejected": "退单不成立",
    "transfer_feedback": "登记转接反馈", "handover_feedback": "向 110 反馈结果", "not_accepted": "不予受理（告知其他渠道）",
    "referred_disclosure": "转为政府信息公开申请",
    "contact": "首次联系诉求人",
    "redispatch": "二次派单", "subcentre_passed": "分中心审核通过答复", "subcentre_sent_back": "分中心退回答复",
}
STEP_LABELS.update({"call_linked": "关联来电", "supervision_issued": "下发督办单", "supervision_feedback": "督办书面反馈",
                    "supervision_escalated": "督办升级"})
STEP_LABELS.update({"from_inbox": "由待受理消息转为工单", "mail_out": "邮件回复诉求人", "mail_in": "诉求人来信并入",
                    "mail_bounced": "邮件退信", "sms_out": "短信回复诉求人", "sms_in": "诉求人短信并入"})


def timeline(ticket: Ticket) -> list[AuditEvent]:
    """The ticket's audit trail, oldest first (no details: they may hold a confidential caller's data)."""
    return history(ENTITY, ticket.id)


def _transfers(ticket):
    from hotline import linkage
    return linkage.represent(ticket)


def _disclosure_link(user, ticket, now):
    """The link to the prefilled 依申请公开 form opens the caller's data: the desk only (issue 13)."""
    from hotline import scope
    found = scope.disclosure_link(ticket, now) if sees_callers(user) else None
    return None if found is None else {"link": found["link"], "usable": found["usable"],
                                       "expires_at": found["expires_at"].isoformat()}


def _clocks(ticket: Ticket) -> list[Clock]:
    return Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(ticket.id)).order_by(Clock.id).all()


def represent(ticket: Ticket, user: User, now: datetime, brief: bool = False,
              written: list[Any] | None = None) -> dict[str, Any]:
    """The ticket for the API. `written`: the ticket was created in this request and these are the rows its unit of
    work wrote (core/db.py keep_written); its related lists are picked from them, with the same criteria and order
    as the reads, and nothing is read back (nothing else can refer to a ticket that did not exist before that
    commit) — the 201 of an intake. tests/hotline/test_intake_answer.py checks it equals a later GET."""
    def related(read: Callable[[], Any], model: type, order: tuple[str, ...] = ("id",), **criteria: Any) -> Any:
        if written is None:
            return read()
        rows = {id(r): r for r in written if isinstance(r, model)
                and all(getattr(r, k) == v for k, v in criteria.items())}
        return sorted(rows.values(), key=lambda r: tuple(getattr(r, k) for k in order))

    def read_if_written(read: Callable[[], Any], model: type, empty: Any) -> Any:  # rare at intake: read them
        if written is not None and not any(isinstance(r, model) for r in written):
            return empty
        return read()

    mine = {"ticket_id": ticket.id}
    # the full form lists the clocks: its current clock is among them
    clocks = None if brief else related(lambda: _clocks(ticket), Clock, entity_kind=ENTITY, entity_id=str(ticket.id))
    if clocks is None:
        c = current_clock(ticket)
    else:
        name = _clock_of(ticket)
        c = next((k for k in reversed(clocks) if k.name == name), None)  # the newest of that name, as `clock`
    out = {"id": ticket.id, "number": ticket.number, "status": ticket.status, "status_label": ticket.status_label,
           "type": ticket.type, "type_label": TYPES[ticket.type], "category": ticket.category_code,
           "category_name": ticket.category.name if ticket.category else None, "urgency": ticket.urgency,
           "department": ticket.department.code if ticket.department else None,
           "subcentre": ticket.subcentre.code if ticket.subcentre else None,
           "due_at": c.due_at.isoformat() if c else None, "urgency_badge": urgency_of(c, now).value if c else None,
           "confidential": ticket.confidential}
    out["caller"] = caller_for(user, ticket)
    if brief:
        return out
    returns = related(lambda: Return.query.filter_by(ticket_id=ticket.id).order_by(Return.id).all(), Return, **mine)
    out.update({
        "channel": ticket.channel, "address": ticket.address, "lat": ticket.lat, "lng": ticket.lng,
        "content": ticket.content, "summary": ticket.summary,
        "received_at": ticket.received_at.isoformat(),
        "dispatched_at": ticket.dispatched_at.isoformat() if ticket.dispatched_at else None,
        "return_deadline": ticket.return_deadline.isoformat() if ticket.return_deadline else None,
        "signed_at": ticket.signed_at.isoformat() if ticket.signed_at else None,
        "reply_text": ticket.reply_text, "replied_at": ticket.replied_at.isoformat() if ticket.replied_at else None,
        "first_contact_at": ticket.first_contact_at.isoformat() if ticket.first_contact_at else None,
        "direct": ticket.direct, "satisfaction": ticket.satisfaction, "resolved": ticket.resolved,
        "close_reason": ticket.close_reason, "reopen_count": ticket.reopen_count, "return_count": ticket.return_count,
        "merged_into": ticket.merged_into_id, "transferred_to": ticket.transferred_to,
        "handover_ref": ticket.handover_ref, "close_note": ticket.close_note,
        "transfers": read_if_written(lambda: _transfers(ticket), Transfer, []),
        "disclosure_link": read_if_written(lambda: _disclosure_link(user, ticket, now), Handoff, None),
        "extension_request_hours": ticket.extension_request_hours, "extension_used": ticket.extension_used,
        "returns": [{"department": r.department.code, "reason": r.reason, "requested_at": r.requested_at.isoformat(),
                     "decision": r.decision, "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                     "note": r.note} for r in returns],
        "co_handlers": [{"department": ch.department.code, "part": ch.part}
                        for ch in related(lambda: ticket.co_handlers, CoHandler, **mine)],
        "callbacks": [{"at": a.at.isoformat(), "reached": a.reached, "resolved": a.resolved,
                       "satisfaction": a.satisfaction} for a in related(lambda: ticket.callbacks, CallbackAttempt, **mine)],
        "clocks": [{"name": k.name, "unit": k.unit, "state": k.state, "started_at": k.started_at.isoformat(),
                    "due_at": k.due_at.isoformat(), "stopped_at": k.stopped_at.isoformat() if k.stopped_at else None,
                    "on_time": k.on_time}
                   for k in clocks or ()],
        # every round (重办 keeps them)
        "answers": [rounds.view(a) for a in related(lambda: rounds.of_ticket(ticket), Answer, ("round", "id"), **mine)],
        "supervision_orders": [supervision.view(o, now)
                               for o in related(lambda: supervision.of_ticket(ticket), SupervisionOrder, **mine)],
        "calls": [{"id": c.id, "call_id": c.call_id, "at": c.created_at.isoformat(), "status": c.status,
                   "extension": c.extension} for c in related(lambda: cti_console.calls_of(ticket), Call, **mine)],
        "timeline": [{"at": e.at.isoformat(), "action": e.action, "actor": e.actor_label,
                      "entered_at": e.entered_at.isoformat() if e.entered_at else None}
                     for e in related(lambda: timeline(ticket), AuditEvent, ("at", "id"), entity_kind=ENTITY,
                                          entity_id=str(ticket.id))],
    })
    return out


# The caller's timeline (issue 16, item 7): only these audit actions, each as a citizen-safe label and
# text; never the actor (staff names), notes, reasons or other callers' data. Anything else is left out.
CITIZEN_STEPS = {
    "created": ("受理", None), "dispatch": ("派单", None), "sign": ("签收", "承办单位已签收"),
    "redispatch": ("派单", None), "subcentre_passed": ("答复", "承办单位已答复"),
    "extension_approved": ("延期", None), "reply": ("答复", "承办单位已答复"),
    "reply_signed_off": ("答复", "承办单位已答复"), "direct_close": ("答复", "已直接答复"),
    "callback_failed": ("回访", "回访电话未接通"), "callback_unsatisfied": ("回访", "回访评价：不满意，转督办研判"),
    "close_after_callback": ("办结", "回访后办结"), "close_unreachable": ("办结", "多次回访未能联系上，办结"),
    "close_no_contact": ("办结", "未留联系电话，无法回访，办结"), "close_by_supervisor": ("办结", "经研判办结"),
    "transfer": ("办结", None), "merged": ("合并", None),
    "merged_in": ("合并", "其他市民反映的相同诉求已并入本工单一并办理"), "reopen": ("重办", "已安排重新办理"),
}


def citizen_steps(ticket: Ticket) -> list[dict[str, Any]]:
    """The citizen-safe timeline of a ticket from its audit trail, oldest first: [{at, label, text}]."""
    from core.departments.models import Department
    from hotline.callback import SATISFACTION
    # a department's reply to its sub-centre (two-level dispatch) is the caller's 答复 only once passed up
    events = [e for e in timeline(ticket) if e.action in CITIZEN_STEPS
              and (e.after_data or {}).get("status") != "subcentre_review"]
    extended = {}  # the handling clock's new due time, by the time an extension was approved
    if any(e.action == "extension_approved" for e in events):
        ids = [str(c.id) for c in Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(ticket.id), name="handling")]
        for row in AuditEvent.query.filter(AuditEvent.entity_kind == "clock", AuditEvent.entity_id.in_(ids),
                                           AuditEvent.action == "extend"):
            extended[row.at] = (row.after_data or {}).get("due_at")
    names = {d.code: d.name for d in Department.query}
    steps = []
    for e in events:
        label, text = CITIZEN_STEPS[e.action]
        detail = e.after_data or {}
        if e.action in ("dispatch", "redispatch"):
            text = f"派单至{names.get(detail.get('department'), '承办单位')}"
        elif e.action == "extension_approved":
            due = extended.get(e.at)
            text = "经批准延期" + (f"至 {_local(due)}" if due else "")
        elif e.action == "close_after_callback":
            steps.append({"at": e.at, "label": "回访", "text": "回访评价：" + SATISFACTION.get(
                detail.get("satisfaction"), "已评价")})
            text = "回访后办结"
        elif e.action == "transfer":
            text = f"已转 {detail.get('to', '110/119/120/122')} 处理，办结"
        elif e.action == "merged":
            text = f"与工单 {detail.get('into', '')} 为同一事项，并入该工单办理"
        elif e.action == "created":
            text = "诉求已受理"
        steps.append({"at": e.at, "label": label, "text": text})
    return steps


def _local(value):
    from datetime import datetime

    return local_datetime(datetime.fromisoformat(value) if isinstance(value, str) else value)
