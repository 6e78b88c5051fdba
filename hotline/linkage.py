"""The two-way linkage of 12345 with 110/119/120/122 (issue 16 item 1).

国办发〔2020〕53号 names 110 (police), 119 (fire), 120 (ambulance) and 122 (traffic police) as the emergency
lines 12345 links with; 国办发〔2022〕12号 asks for two-way 12345–110 linkage: an emergency reaching 12345 is
handed to the service at once, and a non-emergency matter reaching 110 is handed over to 12345 — each side
records the other's incident number and feeds the result back. Every hand-over is a `Transfer` row.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.db import claim_once, unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.workflow import TransitionError, transition
from hotline.common import AT_MOST, WORK_CLOCKS, free_text, log_event, stop
from hotline.models import Ticket, Transfer
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor

# 国办发〔2020〕53号: the emergency services 12345 links with (122: road traffic accidents).
EMERGENCY = {"110": "110 报警", "119": "119 火警", "120": "120 急救", "122": "122 交通事故"}
# A transfer is possible until the matter is answered: brand-new, returned or reopened (new), and while a
# department holds it (dispatched, signed); the department's clocks then stop without a verdict.
# every state before an answer, also while the centre reviews a department's return (its clocks are paused)
TRANSFERABLE = {Status.NEW, Status.DISPATCHED, Status.SIGNED, Status.RETURN_REVIEW}
# The result of a 110 hand-over is fed back once the matter is answered or closed.


def transferable(ticket: Ticket) -> bool:
    """May the desk record a transfer now (the page shows the form only then): before an answer, or a
    further service after a transfer."""
    return Status(ticket.status) in TRANSFERABLE or _transferred(ticket)


def _transferred(ticket):
    return ticket.status == Status.CLOSED.value and ticket.close_reason == "transferred"


ANSWERED = {Status.REPLIED.value, Status.CALLBACK_REVIEW.value, Status.CLOSED.value}
REF_MAX, COUNTERPART_MAX, NOTE_MAX, FEEDBACK_MAX = 40, 60, 2000, 2000


def handover_ref(data: Mapping[str, Any]) -> str:
    """The 110 incident number a ticket of channel "110" must carry (国办发〔2022〕12号 two-way linkage)."""
    return free_text(data.get("handover_ref"), field="handover_ref", label="110 接警编号",
                     max_len=REF_MAX, too_long=AT_MOST, required=True)


def record_incoming(ticket: Ticket, *, at: datetime, actor: Actor, note: str | None = "") -> None:
    """Inside create_ticket's unit of work: the "in" Transfer of a matter 110 handed over."""
    db.session.add(Transfer(ticket_id=ticket.id, direction="in", service="110", at=at, reference=ticket.handover_ref,
                            note=note or None, actor_id=getattr(actor, "id", None)))


def transfer(ticket: Ticket, *, to: str | None, now: datetime, actor: Actor, note: str | None = "",
             reference: str | None = "", counterpart: str | None = "") -> Ticket:
    """Hand an emergency to 110/119/120/122 (国办发〔2020〕53号) and close the ticket; a department's
    sign-for and handling clocks stop with reason "transferred" — no verdict on the department."""
    to = str(to or "")
    if to not in EMERGENCY:
        raise ValidationError("请选择 110、119、120 或 122", field="to")
    note = free_text(note, field="note", label="说明", max_len=NOTE_MAX, too_long=AT_MOST)
    reference = free_text(reference, field="reference", label="接警编号", max_len=REF_MAX, too_long=AT_MOST)
    counterpart = free_text(counterpart, field="counterpart", label="接收人/工号", max_len=COUNTERPART_MAX, too_long=AT_MOST)
    if _transferred(ticket):
        return _also(ticket, to=to, now=now, actor=actor, note=note, reference=reference, counterpart=counterpart)
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.CLOSED, "transfer", now=now, actor=actor, allowed_from=TRANSFERABLE,
                   detail={"to": to, "reference": reference or None})
        ticket.transferred_to, ticket.close_reason, ticket.closed_at, ticket.close_note = to, "transferred", now, note
        ticket.extension_request_hours = None  # a pending extension request lapses with the department's clocks
        for name in WORK_CLOCKS:
            stop(ticket, name, at=now, actor=actor, reason="transferred", late_counts=True)
        from hotline.supervision import withdraw_open
        withdraw_open(ticket, now=now, actor=actor, why=f"转接 {to}")
        db.session.add(Transfer(ticket_id=ticket.id, direction="out", service=to, at=now, reference=reference or None,
                                counterpart=counterpart or None, note=note or None,
                                actor_id=getattr(actor, "id", None)))
    return ticket


def _also(ticket, *, to, now, actor, note, reference, counterpart):
    """One call may need several services (a road accident with injuries: 122 and 120): a ticket closed by a
    transfer records a further one, once per service, without changing state."""
    if Transfer.query.filter_by(ticket_id=ticket.id, direction="out", service=to).first() is not None:
        raise ValidationError(f"本工单已转接过 {to}", field="to")
    with unit_of_work():
        log_event(ticket, "transfer", now=now, actor=actor, detail={"to": to, "reference": reference or None,
                                                                 "also": True})
        db.session.add(Transfer(ticket_id=ticket.id, direction="out", service=to, at=now, reference=reference or None,
                                counterpart=counterpart or None, note=note or None,
                                actor_id=getattr(actor, "id", None)))
    return ticket


def transfers(ticket: Ticket) -> list[Transfer]:
    return Transfer.query.filter_by(ticket_id=ticket.id).order_by(Transfer.id).all()


def _one(ticket, direction, transfer_id=None):
    q = Transfer.query.filter_by(ticket_id=ticket.id, direction=direction)
    if transfer_id is not None:
        if isinstance(transfer_id, bool) or not isinstance(transfer_id, (int, str)) or \
                not str(transfer_id).isdigit() or len(str(transfer_id)) > 12:
            raise ValidationError("请选择转接记录", field="transfer")
        q = q.filter(Transfer.id == int(transfer_id))
    found = q.order_by(Transfer.id.desc()).first()
    if found is None:
        raise ValidationError("本工单没有这条转接记录" if direction == "out" else "本工单不是 110 转来的",
                              field="transfer")
    return found


def record_service_feedback(ticket: Ticket, *, transfer_id: int | str | None = None, feedback: str | None,
                            now: datetime, actor: Actor) -> Ticket:
    """The emergency service's feedback on an outgoing transfer (国办发〔2022〕12号: results fed back)."""
    feedback = free_text(feedback, field="feedback", label="反馈情况",
                         max_len=FEEDBACK_MAX, too_long=AT_MOST, required=True)
    row = _one(ticket, "out", transfer_id)
    if row.feedback_at is not None:
        raise TransitionError("该转接已登记反馈")
    with unit_of_work():
        if not claim_once(row, "feedback_at", now):  # two clerks at once: one records, the other is told
            raise TransitionError("该转接已登记反馈")
        row.feedback = feedback
        log_event(ticket, "transfer_feedback", now=now, actor=actor, detail={"service": row.service})
    return ticket


def feed_back_to_110(ticket: Ticket, *, feedback: str | None, now: datetime, actor: Actor) -> Ticket:
    """The result of a matter 110 handed over, fed back to 110 once answered or closed (国办发〔2022〕12号)."""
    feedback = free_text(feedback, field="feedback", label="反馈 110 的办理结果",
                         max_len=FEEDBACK_MAX, too_long=AT_MOST, required=True)
    row = _one(ticket, "in")
    if ticket.status not in ANSWERED:
        raise TransitionError(f"工单当前状态为“{ticket.status_label}”，答复或办结后才能向 110 反馈结果")
    if row.feedback_at is not None:
        raise TransitionError("已向 110 反馈过办理结果")
    with unit_of_work():
        if not claim_once(row, "feedback_at", now):
            raise TransitionError("已向 110 反馈过办理结果")
        row.feedback = feedback
        log_event(ticket, "handover_feedback", now=now, actor=actor, detail={"reference": row.reference})
    return ticket


def awaiting(limit: int = 500) -> tuple[list[tuple[Transfer, Ticket]], list[tuple[Transfer, Ticket]]]:
    """The linkage desk's list: outgoing transfers without the service's feedback, and 110 hand-overs whose
    result has not yet been fed back to 110 (answered ones first: they can be fed back now)."""
    out = (db.session.query(Transfer, Ticket).join(Ticket, Ticket.id == Transfer.ticket_id)
           .filter(Transfer.direction == "out", Transfer.feedback_at.is_(None))
           .order_by(Transfer.at, Transfer.id).limit(limit).all())
    incoming = (db.session.query(Transfer, Ticket).join(Ticket, Ticket.id == Transfer.ticket_id)
                .filter(Transfer.direction == "in", Transfer.feedback_at.is_(None))
                .order_by(Transfer.at, Transfer.id).limit(limit).all())
    incoming.sort(key=lambda r: (r[1].status not in ANSWERED, r[0].at, r[0].id))
    return out, incoming


def represent(ticket: Ticket) -> list[dict[str, Any]]:
    """The ticket's transfers for the API."""
    def iso(v):
        return v.isoformat() if v else None
    return [{"id": r.id, "direction": r.direction, "service": r.service, "at": iso(r.at), "reference": r.reference,
             "counterpart": r.counterpart, "note": r.note, "feedback": r.feedback, "feedback_at": iso(r.feedback_at)}
            for r in transfers(ticket)]
