"""首次联系诉求人: the lead department records when it first reached the caller. The "first_contact"
clock starts at dispatch (hotline/sla.py: the district's configurable default, 1 working day, 2 wall hours
when urgent) and its frozen verdict is the 响应率 of the assessment (reports/hotline_assessment.py),
after 国办发〔2020〕53号 (接诉即办: 及时响应诉求) — a reply without a recorded contact stops it too."""
from core.db import unit_of_work
from core.errors import ValidationError
from core.workflow import TransitionError
from hotline.common import clock, log_event, stop
from hotline.states import Status

IN_HAND = (Status.DISPATCHED.value, Status.SIGNED.value, Status.AWAITING_SIGNOFF.value)
MAX_NOTE = 500


def record_contact(ticket, *, now, actor, note=""):
    """Record the department's first contact with the caller for the current dispatch: the clock's
    verdict is frozen now (counted on the ticket: contact_verdicts / contact_in_time)."""
    if not isinstance(note, str):
        raise ValidationError("联系情况应为文字", field="note")
    note = note.strip()
    if "\x00" in note or len(note) > MAX_NOTE:
        raise ValidationError(f"联系情况不能超过 {MAX_NOTE} 字，且不能含控制字符", field="note")
    if ticket.status not in IN_HAND:
        raise TransitionError(f"工单当前状态为“{ticket.status_label}”，不能记录首次联系")
    c = clock(ticket, "first_contact")
    if c is None or c.state == "stopped":
        raise TransitionError("本次派单已记录过首次联系")
    with unit_of_work():
        ticket.first_contact_at = now
        on_time = stop(ticket, "first_contact", at=now, actor=actor, reason="contacted")
        log_event(ticket, "contact", now=now, actor=actor, detail={"on_time": on_time, "note": note})
    return ticket
