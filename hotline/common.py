"""Helpers of the ticket use cases: clocks by SLA and audit events (status changes: core.workflow.transition)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from core import action_time, audit
from core.clocks.models import Clock
from core.clocks.service import start_clock, stop_clock
from core.errors import ValidationError
from core.extensions import db
from core.wellformed import NUL_MESSAGE
from hotline import sla
from hotline.models import SlaRule, Ticket
from hotline.states import ENTITY

if TYPE_CHECKING:
    from core.auth.models import User

Actor: TypeAlias = "User | str"  # who acts: a user, or a label the audit trail shows (e.g. "system")


def clock(ticket: Ticket, name: str) -> Clock | None:
    """The newest clock of that name (a reopened ticket has several handling clocks)."""
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(ticket.id), name=name)
            .order_by(Clock.id.desc()).first())


def start(ticket: Ticket, name: str, *, at: datetime, actor: Actor, department_id: int | None = None,
          on_receipt: bool = False) -> Clock:
    """Start the ticket's clock `name` for the step done `at`. A period that a staff step opens begins when
    the step is entered (core/action_time.py): a back-dated dispatch or reply must not leave the next party
    (the department, the callback desk) overdue before it could know — and back-dating gains nothing. The
    first clock (`on_receipt`) counts from the citizen's call, whenever it was logged."""
    with db.session.no_autoflush:  # the rules do not depend on the rows this unit of work has not flushed yet
        overrides = SlaRule.query.all()
    rule = sla.limit(sla.LEVEL_CLOCKS.get(name, name), type_=ticket.type, urgency=ticket.urgency,
                     category=ticket.category_code, overrides=overrides)
    begins = at if on_receipt else action_time.entry_time(at)
    return start_clock(entity_kind=ENTITY, entity_id=ticket.id, name=name, unit=rule.unit, length=rule.hours,
                       now=begins, actor=actor, label=f"{ticket.number} {sla.TYPES[ticket.type]}",
                       department_id=department_id if department_id is not None else ticket.department_id)


# The clocks of the work a transfer or a merge takes away: the desk's, the department's and, in a two-level
# dispatch, the sub-centre's own (hotline/tiers.py).
WORK_CLOCKS = ("dispatch", "sign_for", "handling", "first_contact", "sub_sign_for", "sub_handling")

# Clocks whose stop is a verdict on the step (the reason it stops), and the ticket's counters for it.
VERDICTS = {"sign_for": ("signed", "sign_verdicts", "sign_in_time"),
            "handling": ("replied", "done_verdicts", "done_in_time"),
            "first_contact": ("contacted", "contact_verdicts", "contact_in_time")}


def stop(ticket: Ticket, name: str, *, at: datetime, actor: Actor, reason: str | None,
         late_counts: bool = False) -> bool | None:
    """Stop the clock if it runs; returns its frozen verdict (None if there was none). A sign-for
    stopped by signing, or a handling clock by a reply, is also counted on the ticket (VERDICTS).
    `late_counts`: the step takes the work away from the department (a transfer, a merge) — no verdict,
    unless the clock had already run out: a late step stays late and is counted as such."""
    c = clock(ticket, name)
    if c is None or c.state == "stopped":
        return None
    on_time = stop_clock(c, now=at, actor=actor, reason=reason)
    if name in VERDICTS and late_counts and not on_time:
        _, verdicts, _in_time = VERDICTS[name]
        setattr(ticket, verdicts, (getattr(ticket, verdicts) or 0) + 1)
    elif name in VERDICTS and reason == VERDICTS[name][0]:
        _, verdicts, in_time = VERDICTS[name]
        setattr(ticket, verdicts, (getattr(ticket, verdicts) or 0) + 1)
        setattr(ticket, in_time, (getattr(ticket, in_time) or 0) + (1 if on_time else 0))
    return on_time


def log_event(ticket: Ticket, action: str, *, now: datetime, actor: Actor, detail: dict) -> None:
    audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=ticket.id, action=action, after=detail)


NOT_OVER = "{label}不能超过 {max_len} 字"  # the default wording of a too-long text
AT_MOST = "{label}最多 {max_len} 字"  # the wording of the linkage and scope forms


def free_text(value: Any, *, field: str, label: str, max_len: int, required: bool = False, missing: str | None = None,
              wrong_type: str | None = None, too_long: str = NOT_OVER, allow_none: bool = True,
              allow_nul: bool = True) -> str:
    """The one check of a free text of a form or JSON body: a string (None is "" unless `allow_none` is
    False), stripped, not blank if `required`, at most `max_len` characters (and no NUL unless
    `allow_nul`); bad types and sizes are a 400 on the field, never a 500. The messages: `wrong_type`
    (default "{label}应为文字"), `missing` (default "请填写{label}", a space before a number: 请填写 110 接警编号)
    and `too_long` (a template with {label} and {max_len})."""
    if value is None and allow_none:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(wrong_type or f"{label}应为文字", field=field)
    value = value.strip()
    if required and not value:
        raise ValidationError(missing or ("请填写" + (" " if label[:1].isascii() else "") + label), field=field)
    if not allow_nul and "\x00" in value:
        raise ValidationError(NUL_MESSAGE, field=field)  # not "too long": say what is wrong (core/wellformed.py)
    if len(value) > max_len:
        raise ValidationError(too_long.format(label=label, max_len=max_len), field=field)
    return value
