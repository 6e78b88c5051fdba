"""Read side: queues, filters and the JSON/page representation of an application."""
from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.audit import history
from core.auth.identity import normalize_number
from core.auth.lookup import code_matches, contact_matches
from core.clocks.models import Clock
from core.clocks.service import open_urgency, urgency_of
from core.listing import department_id, overdue_filter, status_filter
from core.workcounts import WorkCount, tally
from core.worktime import Urgency
from requests_module import documents, outcomes, third_party
from requests_module.access import issuing_department, visible
from requests_module.common import ENTITY, clock, today
from requests_module.models import CHANNELS, ORG_TYPES, DisclosureRequest
from requests_module.remedy import issuing_organ
from requests_module.states import Status

if TYPE_CHECKING:
    from core.audit import AuditEvent
    from core.departments.models import Department

OPEN = [s.value for s in Status if s is not Status.CLOSED]
INTAKE_STATUSES = ["submitted", "received"]  # the 公开办's 收件分办 queue; the handling queue holds the rest
HANDLING = [s for s in OPEN if s not in INTAKE_STATUSES]


def _answer_clocks(ids: Iterable[int], name: str = "answer") -> dict[int, Clock]:
    """{request id: newest clock of that name} in one query."""
    rows = Clock.query.filter(Clock.entity_kind == ENTITY, Clock.name == name,
                              Clock.entity_id.in_([str(i) for i in ids])).order_by(Clock.id).all()
    return {int(c.entity_id): c for c in rows}


def _code(dep: Department | None) -> str | None:
    return dep.code if dep is not None else None


def filtered(user: Any, *, status: str | None = None, department: str | None = None, overdue: bool | None = None,
             now: datetime, limit: int = 500) -> list[DisclosureRequest]:
    """Applications the user may see, filtered; staff and approvers only see their department's."""
    q = status_filter(DisclosureRequest.query, DisclosureRequest.status, status, {s.value for s in Status})
    if department:
        q = q.filter(DisclosureRequest.department_id == department_id(department))
    q = visible(q, DisclosureRequest, user)
    q = overdue_filter(q, DisclosureRequest.id, entity_kind=ENTITY, overdue=overdue, now=now, clock_name="answer")
    return q.order_by(DisclosureRequest.id.desc()).limit(limit).all()




def queue_filter(args: Any) -> dict[str, str]:
    """The staff queue's filter from query parameters, each checked (unknown values dropped): department (a
    department code), status (an open status past intake), urgency (正常/临期/超期). The queue page and the
    filters staff save (core/saved_filters.py) read it through this one function."""
    from core.departments.service import get_by_code

    out = {}
    dep = args.get("department") or ""
    if dep and len(dep) <= 40 and get_by_code(dep, active_only=False) is not None:
        out["department"] = dep
    if args.get("status") in HANDLING:
        out["status"] = args["status"]
    if args.get("urgency") in {u.value for u in Urgency}:
        out["urgency"] = args["urgency"]
    return out


def queue(*, user: Any = None, department_id: int | None = None, statuses: Collection[str] = OPEN, now: datetime,
          urgency_filter: str | None = None) -> list[tuple[DisclosureRequest, Clock | None, Urgency]]:
    """Open applications sorted by due date, each with its answer clock and 正常/临期/超期 badge; with `user`,
    only those they may see (access.visible)."""
    q = DisclosureRequest.query.filter(DisclosureRequest.status.in_(statuses))
    if user is not None:
        q = visible(q, DisclosureRequest, user)
    if department_id is not None:
        q = q.filter(DisclosureRequest.department_id == department_id)
    reqs = q.all()
    clocks = _answer_clocks([r.id for r in reqs])
    # Art. 31: before receipt is confirmed, the confirmation clock is the one that ranks and warns
    receipts = _answer_clocks([r.id for r in reqs if r.status == Status.SUBMITTED.value], "receipt")
    rows: list[tuple[DisclosureRequest, Clock | None, Urgency]] = []
    for r in reqs:
        c = clocks.get(r.id) or receipts.get(r.id)
        u = urgency_of(c, now) if c else Urgency.NORMAL
        if urgency_filter and u.value != urgency_filter:
            continue
        rows.append((r, c, u))
    rows.sort(key=lambda row: (row[1] is None, row[1].due_at if row[1] else row[0].submitted_at, row[0].id))
    return rows


def queue_count(*, user: Any = None, statuses: Collection[str], now: datetime, label: str = "待办") -> WorkCount:
    """How many applications `queue` lists, and how many of them are 临期 / 超期 (the home page, the header)."""
    return tally((level for _, _, level in queue(user=user, statuses=statuses, now=now)), label)


def mine(user: Any) -> list[DisclosureRequest]:
    return (DisclosureRequest.query.filter_by(citizen_id=user.id)
            .order_by(DisclosureRequest.submitted_at.desc()).all())


def lookup(number: str | None, code: str | None) -> DisclosureRequest | None:
    """The application with this tracking number whose access code is `code`, else None."""
    req = DisclosureRequest.query.filter_by(number=normalize_number(number)).first() if number else None
    if not code_matches(ENTITY, req.id if req else None, code) or req is None:
        return None
    return req


def by_contact(number: str | None, contact: str | None) -> DisclosureRequest | None:
    """The application with this tracking number whose phone or email is `contact`, else None."""
    req = DisclosureRequest.query.filter_by(number=normalize_number(number)).first() if number else None
    return req if req is not None and contact_matches(contact, req.phone, req.email) else None


def timeline(req: DisclosureRequest) -> list[AuditEvent]:
    """Audit events of the application and of its clocks, oldest first."""
    events = history(ENTITY, req.id)
    return sorted(events, key=lambda e: (e.at, e.id))


def represent(req: DisclosureRequest, now: datetime, brief: bool = False) -> dict[str, Any]:
    c = clock(req)
    out: dict[str, Any] = {
        "id": req.id, "number": req.number, "status": req.status, "status_label": Status(req.status).label,
        "channel": req.channel, "title": req.title, "applicant_type": req.applicant_type,
        "org_type": req.org_type, "department": req.department.code if req.department else None,
        "received_on": req.received_on.isoformat() if req.received_on else None,
        "due_on": c.due_on.isoformat() if c and c.due_on else None,
        "due_provisional": bool(c and c.provisional),
        "urgency": u.value if (u := open_urgency(c, now)) else None,  # closed: the verdict instead
        # Art. 35: the due date is the 延迟答复合理期限 the organ set, not the plain Art. 33 period
        "due_basis": ("art35_delay" if c and c.due_on and req.reason_delay_due_on
                      and c.due_on >= req.reason_delay_due_on else "art33") if c else None,
        "outcome": req.outcome,
    }
    from requests_module.extensions import as_json as extension_json
    from requests_module.extensions import history as extension_history
    from requests_module.intake import latest_receipt_day, receipt_note

    receipt = clock(req, "receipt")
    out["receipt_confirmation"] = None if receipt is None else {  # Art. 31: staff confirm online receipt in time
        "due_on": _iso(receipt.due_on), "state": receipt.state, "on_time": receipt.on_time,
        "urgency": urgency_of(receipt, now).value,
        # Art. 31 (3): never received later than this day; a later confirmation was capped to it (receipt_rule)
        "latest_received_on": _iso(latest_receipt_day(req)[0])}
    if brief:
        return out
    if receipt is not None:
        out["receipt_confirmation"]["receipt_rule"] = receipt_note(req)
    out.update({
        "applicant": {"name": req.name, "org_type_label": ORG_TYPES.get(req.org_type), "phone": req.phone,
                      "email": req.email, "address": req.address, "id_type": req.id_type},
        "channel_label": CHANNELS.get(req.channel), "description": req.description, "doc_number": req.doc_number,
        "form": req.form, "delivery": req.delivery, "publish_consent": req.publish_consent,
        "repeat_of": req.repeat_of_id,
        "outcome_label": outcomes.get(req.outcome).label if req.outcome else None,
        "receiving_organ": issuing_organ(req)[0],
        "receiving_department": req.receiving_department.code if req.receiving_department else None,
        "issuing_department": _code(issuing_department(req)),
        "legal_ground": req.legal_ground, "holder_organ": req.holder_organ, "holder_contact": req.holder_contact,
        "not_held_basis": req.not_held_basis, "not_ours_reason": req.not_ours_reason,  # 条例 Art. 36 (4)/(5)
        # 条例 Art. 36 (1)/(2), 37: which disclosing answer, and how, where and when the information is obtained
        "disclosure_basis": req.disclosure_basis, "disclosure_access": req.disclosure_access,
        "reply_text": req.reply_text,
        "extension_requests": [extension_json(x) for x in extension_history(req)],
        "reply_doc_number": req.reply_doc_number,
        "reply_paper_number": req.reply_paper_number,
        "replied_on": req.replied_on.isoformat() if req.replied_on else None,
        "correction": {"notice_on": _iso(req.correction_notice_on), "items": req.correction_items,
                       "due_on": _iso(req.correction_due_on), "received_on": _iso(req.correction_received_on)},
        "fee": {"notice_on": _iso(req.fee_notice_on), "amount": str(req.fee_amount) if req.fee_amount else None,
                "due_on": _iso(req.fee_due_on), "paid_on": _iso(req.fee_paid_on), "method": req.fee_method,
                "units": req.fee_units, "calculation": req.fee_calculation,
                "refund": None if req.fee_refunded_on is None else {
                    "refunded_on": _iso(req.fee_refunded_on), "amount": str(req.fee_refund_amount),
                    "method": req.fee_refund_method, "note": req.fee_refund_note}},
        "reasons": {"requested_on": _iso(req.reason_requested_on), "items": req.reason_items,
                    "due_on": _iso(req.reason_due_on), "received_on": _iso(req.reason_received_on),
                    "text": req.reason_text, "decided_on": _iso(req.reason_decided_on),
                    "accepted": req.reason_accepted, "delay_due_on": _iso(req.reason_delay_due_on)},
        "extension_days": req.extension_days,
        "extension_approver": (req.extension_approver.name or req.extension_approver.email or req.extension_approver.phone)
        if req.extension_approver else None,
        "consultations": [{"id": x.id, "kind": x.kind, "party": x.party, "party_type": x.party_type,
                           "sent_on": _iso(x.sent_on),
                           "deadline_on": _iso(x.deadline_on), "answered_on": _iso(x.answered_on),
                           "opinion": x.opinion, "answer": x.answer, "answer_label": third_party.label(x) or None}
                          for x in req.consultations],
        "clocks": [{"name": k.name, "unit": k.unit, "state": k.state, "start_on": _iso(k.start_on),
                    "due_on": _iso(k.due_on), "due_at": k.due_at.isoformat(), "provisional": k.provisional,
                    "on_time": k.on_time}
                   for k in Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(req.id)).order_by(Clock.id)],
        "timeline": [{"at": e.at.isoformat(), "action": e.action, "actor": e.actor_label, "detail": e.after_data,
                      "entered_at": e.entered_at.isoformat() if e.entered_at else None}
                     for e in timeline(req)],
        "attachments": [{"id": a.id, "kind": a.kind, "filename": a.filename, "size": a.size}
                        for a in req.attachments],
        "documents": [documents.represent(d, today(now)) for d in req.documents],
    })
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None

