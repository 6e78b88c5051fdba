"""The one API through which workflows start, pause, resume, extend and stop clocks.

These functions join the caller's unit of work: they change the clock and write the audit row,
and the workflow service that called them commits once.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from core import action_time, audit
from core.calendar.service import get_calendar, get_schedule, local_date
from core.clocks.compute import Leads, compute_deadlines, marks_that_hold
from core.clocks.models import TRANSITIONS, Clock, ClockState, ClockUnit
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.formats import local_datetime

if TYPE_CHECKING:
    from typing import Any

    from core.audit import Actor
    from core.worktime.hours import WorkSchedule
    from core.worktime.urgency import Urgency
    from core.worktime.workdays import WorkCalendar


class ClockStateError(DomainError):
    """A clock transition the transition table forbids."""


def leads() -> Leads:
    cfg = current_app.config
    return Leads(cfg["DUE_SOON_WORKDAYS"], cfg["DUE_SOON_WORK_HOURS"])


def _check(clock: Clock, target: ClockState) -> None:
    current = ClockState(clock.state)
    if target not in TRANSITIONS[current]:
        raise ClockStateError(f"计时“{clock.name}”处于{_STATE_LABELS[current]}状态，不能{_STATE_VERBS[target]}")


_STATE_LABELS = {ClockState.RUNNING: "计时中", ClockState.PAUSED: "暂停", ClockState.STOPPED: "已停止"}
_STATE_VERBS = {ClockState.RUNNING: "恢复", ClockState.PAUSED: "暂停", ClockState.STOPPED: "停止"}


def apply_deadlines(clock: Clock, cal: WorkCalendar, schedule: WorkSchedule, now: datetime,
                    lead: Leads | None = None) -> bool:
    """Recompute a clock's deadlines; warnings and overdue marks that no longer hold are cleared."""
    d = compute_deadlines(unit=clock.unit, length=clock.length, started_at=clock.started_at,
                          start_on=clock.start_on, pauses=clock.pauses, extension=clock.extension,
                          cal=cal, schedule=schedule, leads=lead or leads())
    changed = (d.due_at, d.warn_at, d.due_on, d.provisional) != (clock.due_at, clock.warn_at, clock.due_on,
                                                                  clock.provisional)
    clock.due_on, clock.due_at, clock.warn_at, clock.provisional = d.due_on, d.due_at, d.warn_at, d.provisional
    marks = marks_that_hold(d, now, warned_at=clock.warned_at, overdue_at=clock.overdue_at,
                            escalate_at=clock.escalate_at, escalated_at=clock.escalated_at)
    for name, value in marks.items():
        setattr(clock, name, value)
    return changed


def start_clock(*, entity_kind: str, entity_id: int | str, name: str, unit: ClockUnit | str, length: float,
                now: datetime, actor: Actor, start_on: date | None = None,
                department_id: int | None = None, owner_id: int | None = None, label: str = "") -> Clock:
    """Start a named clock; working-day clocks count from the day after `start_on` (Art. 31)."""
    unit = ClockUnit(unit).value
    if length is None or length <= 0 or length > 1000:
        raise ValidationError("时限应大于 0 且不超过 1000")
    if unit == "workdays" and int(length) != length:
        raise ValidationError("工作日时限必须是整数")
    clock = Clock(entity_kind=entity_kind, entity_id=str(entity_id), entity_label=label[:120], name=name,
                  unit=unit, length=float(length), department_id=department_id, owner_id=owner_id,
                  state=ClockState.RUNNING.value, started_at=now,
                  start_on=(start_on or local_date(now)) if unit == "workdays" else None,
                  pauses=[], extension=0)
    apply_deadlines(clock, get_calendar(), get_schedule(), now)
    db.session.add(clock)
    db.session.flush()
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="start",
                 after={"entity": f"{entity_kind}:{entity_id}", "name": name, "unit": unit, "length": length,
                        **clock.snapshot()})
    return clock


def _point(clock: Clock, now: datetime, on: Any) -> str:
    """The pause/resume point: a date for working-day clocks (given or today), else the moment."""
    if clock.unit == "workdays":
        day = on or local_date(now)
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError("暂停和恢复的日期必须是日期")
        return day.isoformat()
    return (on or now).astimezone(timezone.utc).isoformat()


def _no_push_after_due(clock: Clock, now: datetime, verb: str) -> None:
    """A step entered after the due moment may not move it later: an overdue verdict stays overdue, also
    when the step is dated inside the period (a 补录, core/action_time.py)."""
    if clock.state == ClockState.RUNNING.value and action_time.entry_time(now) > clock.due_at:
        due = (clock.due_on.isoformat() if clock.due_on
               else local_datetime(clock.due_at))
        raise ClockStateError(f"期限已于 {due} 届满，不能再{verb}：已超期的办理不会因事后登记变为按期；"
                              "如确已在期限内办理，请凭送达凭证联系督办部门更正")


def pause_clock(clock: Clock, *, now: datetime, actor: Actor, on: date | datetime | None = None,
                reason: str = "") -> None:
    """Stop the clock running (correction, consultation, fee notice): time from `on` is not counted."""
    _check(clock, ClockState.PAUSED)
    _no_push_after_due(clock, now, "登记暂停期限的步骤（补正、征求意见、收费）")
    before = clock.snapshot()
    clock.state = ClockState.PAUSED.value
    clock.paused_from = _point(clock, now, on)
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="pause",
                 before=before, after={**clock.snapshot(), "reason": reason})


def resume_clock(clock: Clock, *, now: datetime, actor: Actor, on: date | datetime | None = None,
                 reason: str = "") -> None:
    """Close the open pause at `on` and move the due date by the working time paused."""
    _check(clock, ClockState.RUNNING)
    before = clock.snapshot()
    end = _point(clock, now, on)
    parse = date.fromisoformat if clock.unit == "workdays" else datetime.fromisoformat
    if parse(end) < parse(clock.paused_from):
        raise ValidationError("恢复日期不能早于暂停日期")
    clock.pauses = list(clock.pauses or []) + [[clock.paused_from, end]]
    clock.paused_from = None
    clock.state = ClockState.RUNNING.value
    apply_deadlines(clock, get_calendar(), get_schedule(), now)
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="resume",
                 before=before, after={**clock.snapshot(), "reason": reason})


def restart_clock(clock: Clock, *, now: datetime, actor: Actor, start_on: date | None = None, reason: str = "") -> None:
    """Start the period again from `start_on` (correction received on day C: due = C + n, Art. 30)."""
    _check(clock, ClockState.RUNNING)
    before = clock.snapshot()
    clock.state = ClockState.RUNNING.value
    clock.paused_from = None
    clock.pauses = []
    clock.started_at = now
    if clock.unit == "workdays":
        clock.start_on = start_on or local_date(now)
    apply_deadlines(clock, get_calendar(), get_schedule(), now)
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="restart",
                 before=before, after={**clock.snapshot(), "reason": reason})


def extend_clock(clock: Clock, amount: float, *, now: datetime, actor: Actor, reason: str = "",
                 maximum: float | None = None) -> None:
    """Add `amount` units after the current due date (an approved extension)."""
    if clock.state == ClockState.STOPPED.value:
        raise ClockStateError("计时已停止，不能延期")
    if amount <= 0 or (clock.unit == "workdays" and int(amount) != amount):
        raise ValidationError("延期时长必须为正数（工作日须为整数）")
    if maximum is not None and clock.extension + amount > maximum:
        raise ValidationError(f"延期合计不能超过 {maximum:g}{ClockUnit(clock.unit).label}")
    _no_push_after_due(clock, now, "延长期限")
    before = clock.snapshot()
    clock.extension = clock.extension + amount
    apply_deadlines(clock, get_calendar(), get_schedule(), now)
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="extend",
                 before=before, after={**clock.snapshot(), "amount": amount, "reason": reason})


def withdraw_extension(clock: Clock, amount: float, *, now: datetime, actor: Actor, reason: str = "") -> bool | None:
    """Take back an extension that did not take effect (条例 Art. 33 para. 2: an extension not told to the
    applicant in time; requests_module/notice_timing.py). Also on a stopped clock: its verdict is taken
    again against the earlier due moment, and can only turn late — a late verdict stays late."""
    amount = min(amount, clock.extension)
    if amount <= 0:
        return clock.on_time
    before = clock.snapshot()
    clock.extension = clock.extension - amount
    apply_deadlines(clock, get_calendar(), get_schedule(), now)
    if clock.state == ClockState.STOPPED.value:
        clock.on_time = bool(clock.on_time) and clock.stopped_at <= clock.due_at
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="withdraw_extension",
                 before=before, after={**clock.snapshot(), "amount": amount, "reason": reason})
    return clock.on_time


def stop_clock(clock: Clock, *, now: datetime, actor: Actor, reason: str = "") -> bool | None:
    """Stop the clock and freeze the verdict: in time when stopped no later than the due moment."""
    _check(clock, ClockState.STOPPED)
    before = clock.snapshot()
    if clock.state == ClockState.PAUSED.value:
        # Stopped while paused (a reply while a consultation is open): the pause ends here and is not
        # counted (Art. 33 (3)); the due moment moves by it before the verdict is taken.
        clock.pauses = list(clock.pauses or []) + [[clock.paused_from, _point(clock, now, None)]]
        clock.paused_from = None
        apply_deadlines(clock, get_calendar(), get_schedule(), now)
    clock.state = ClockState.STOPPED.value
    clock.stopped_at = now
    clock.on_time = action_time.on_time(now, clock.due_at)  # a late 补录 stays late
    clock.stop_reason = (reason or "")[:60] or None
    audit.log_change(now=now, actor=actor, entity_kind="clock", entity_id=clock.id, action="stop",
                 before=before, after={**clock.snapshot(), "reason": reason})
    return clock.on_time


def urgency_expression(now: datetime) -> Any:
    """urgency_of in SQL, to count many clocks at once (the same rules; no clock: 正常)."""
    return sa.case((Clock.state != ClockState.RUNNING.value, "normal"), (Clock.due_at < now, "overdue"),
                   (Clock.warn_at <= now, "due_soon"), else_="normal")


def open_urgency(clock: Clock | None, now: datetime) -> Urgency | None:
    """The urgency an item's page shows: None once its clock stopped (a closed item shows its verdict instead,
    core/clocks/verdict.py — a late reply must not read 正常) or when it has none."""
    if clock is None or clock.state != ClockState.RUNNING.value:
        return None
    return urgency_of(clock, now)


def urgency_of(clock: Clock, now: datetime) -> Urgency:
    """正常 / 临期 / 超期 of an open clock, computed from its stored deadlines when read."""
    from core.worktime import Urgency
    if clock.state != ClockState.RUNNING.value:
        return Urgency.NORMAL
    if now > clock.due_at:
        return Urgency.OVERDUE
    if now >= clock.warn_at:
        return Urgency.DUE_SOON
    return Urgency.NORMAL
