"""The hotline dashboard's figures counted from the raw rows: the reference the daily roll-ups are tested
against (reports/rollups.py), and what the dashboard counts for the days not rolled up.

`figures(conds)` gives, per lead department, every additive figure of a cohort of tickets that does not
depend on `now` (counts, summed seconds, frozen clock verdicts, callbacks, returns): summed over days it
equals the figure of the whole period, so closed days can be rolled up and added. `open_late(conds, now)`
is the part that moves with `now` (open clocks past due) and is always counted from the rows.
The rules of each figure are in reports/hotline_measures.py and reports/hotline_assessment.py.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.calendar.service import local_zone
from core.clocks.models import Clock, ClockState
from core.db import seconds_between, utc_hour
from core.extensions import db
from hotline.common import VERDICTS
from hotline.models import CallbackAttempt, Return, Ticket
from hotline.no_contact import CLOSE_REASON as NO_CONTACT
from hotline.no_contact import STOP_REASON as NO_CONTACT_STOP

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from typing import Any

    from sqlalchemy import Select

Figures = dict[str, float]  # figure name -> value, for one department


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in local time as aware datetimes."""
    zone = local_zone()
    return (datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone))


def cohort(start: date, end: date, department_id: int | None = None) -> list[Any]:
    """Tickets received from `start` to `end` (local dates, inclusive), of one lead department if given."""
    lo, hi = bounds(start, end)
    conds = [Ticket.received_at >= lo, Ticket.received_at < hi]
    if department_id is not None:
        conds.append(Ticket.department_id == department_id)
    return conds


def within(runs: Iterable[tuple[date, date]]) -> list[Any]:
    """Tickets received on any of the runs of days (start, end), inclusive."""
    return [sa.or_(*(sa.and_(*cohort(a, b)) for a, b in runs))]


NOT_RATED_CLOSINGS = ("not_accepted", "referred_disclosure")  # 不予受理, 转依申请公开: not the hotline's work


def rated(conds: list[Any]) -> list[Any]:
    """The cohort without merged duplicates, transferred emergencies and the closings of NOT_RATED_CLOSINGS —
    unless a department's verdict was counted on the ticket first (hotline.common.stop): a sign-for, reply
    or first contact already late when the ticket was transferred or merged stays late in the rates."""
    left_out = sa.or_(Ticket.merged_into_id.is_not(None), Ticket.transferred_to.is_not(None),
                      sa.and_(Ticket.close_reason.is_not(None), Ticket.close_reason.in_(NOT_RATED_CLOSINGS)))
    counted = (Ticket.sign_verdicts + Ticket.done_verdicts + Ticket.contact_verdicts) > 0
    return conds + [sa.or_(sa.not_(left_out), counted)]


def select(group: Any, *columns: Any) -> Select[Any]:
    """SELECT group key, columns, grouped by the key."""
    return sa.select(group.label("g"), *columns).group_by(group)


def count_if(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


GROUP = Ticket.department_id
OPEN_STATES = (ClockState.RUNNING.value, ClockState.PAUSED.value)  # by ix_clocks_state_due
LATE_CLOCKS = (*VERDICTS, "callback")  # sign_for, handling, first_contact: their verdicts are on the ticket


def open_late(conds: list[Any], now: datetime) -> dict[Any, dict[str, int]]:
    """Open sign-for, handling, first-contact and callback clocks of the rated cohort already past due at
    `now`, per lead department: {g: {clock name: n}}. Only open work is read here: the open clocks past due
    by the state index, then their tickets by primary key (a join let PostgreSQL hash the year's two million
    tickets: 2.4 s against 0.1 s); the stopped clocks' verdicts are in `figures`. An open clock has no stop
    reason, so the callback clocks closed for want of a phone (hotline/no_contact.py) are not among them."""
    late = db.session.execute(sa.select(Clock.entity_id, Clock.name).where(
        Clock.state.in_(OPEN_STATES), Clock.due_at < now, Clock.entity_kind == "ticket",
        Clock.name.in_(LATE_CLOCKS))).all()
    by_ticket: dict[int, list[str]] = {}
    for entity_id, name in late:
        if str(entity_id).isdigit():  # ticket clocks' entity ids are the tickets' integer ids
            by_ticket.setdefault(int(entity_id), []).append(name)
    ids, out = sorted(by_ticket), {}
    for i in range(0, len(ids), 5000):
        for ticket_id, g in db.session.execute(sa.select(Ticket.id, GROUP).where(
                Ticket.id.in_(ids[i:i + 5000]), *rated(conds))):
            for name in by_ticket[ticket_id]:
                row = out.setdefault(g, {})
                row[name] = row.get(name, 0) + 1
    return out


ANSWERED = sa.or_(Ticket.replied_at.is_not(None), Ticket.direct.is_(True), Ticket.reopen_count > 0)
# 回访率 counts the answered tickets that could be called back: not those closed because the caller left no
# phone and did not rate online (hotline/no_contact.py) — nobody could reach them.
CALLABLE = ANSWERED & sa.or_(Ticket.close_reason.is_(None), Ticket.close_reason != NO_CONTACT)


def _rows(stmt: Select[Any], names: tuple[str, ...]) -> Iterable[tuple[Any, Figures]]:
    for row in db.session.execute(stmt):
        yield row[0], dict(zip(names, (float(v or 0) for v in row[1:])))


def _received(conds: list[Any]) -> Iterable[tuple[Any, Figures]]:
    """Tickets received, and per type, channel and level-1 category ("type:complaint" …): every ticket."""
    keys = (Ticket.type, Ticket.channel, sa.func.substr(Ticket.category_code, 1, 2))
    for dept, type_, channel, category, n in db.session.execute(
            sa.select(GROUP, *keys, sa.func.count(Ticket.id)).where(*conds).group_by(GROUP, *keys)):
        yield dept, {"received": n, f"type:{type_}": n, f"channel:{channel}": n, f"category:{category}": n}


def _tickets(rated_: list[Any]) -> Iterable[tuple[Any, Figures]]:
    """Tickets in the rates, answered, reopened, direct, replied, callable, the summed whole seconds from
    receipt to reply, and the verdicts counted on the tickets (sign-for, handling, first contact)."""
    replied = Ticket.replied_at.is_not(None)
    stmt = select(GROUP, sa.func.count(Ticket.id), count_if(ANSWERED), count_if(Ticket.reopen_count > 0),
                  count_if(Ticket.direct.is_(True)), count_if(replied), count_if(CALLABLE),
                  # a reply recorded before the receipt (rows from before the action-time rule) counts 0; whole
                  # seconds, so that sums over days and over the period are the same number on every database
                  sa.func.sum(sa.case((replied & (Ticket.replied_at >= Ticket.received_at),
                                       sa.func.round(seconds_between(Ticket.received_at, Ticket.replied_at))),
                                      (replied, sa.literal(0.0, sa.Float)))),
                  *(sa.func.sum(getattr(Ticket, column)) for column in
                    ("sign_verdicts", "sign_in_time", "done_verdicts", "done_in_time",
                     "contact_verdicts", "contact_in_time"))).where(*rated_)
    return _rows(stmt, ("rated", "answered", "reopened", "direct", "replied", "callable", "handling_seconds",
                        "sign_verdicts", "sign_in_time", "done_verdicts", "done_in_time",
                        "contact_verdicts", "contact_in_time"))


def _callbacks(rated_: list[Any]) -> Iterable[tuple[Any, Figures]]:
    """From the reached callbacks: answered tickets reached at least once, verdicts given, verdicts 满意 or
    基本满意, and the callbacks that recorded 已解决 / whether it was solved."""
    stmt = (select(GROUP, sa.func.count(sa.distinct(sa.case((ANSWERED, Ticket.id)))),
                   count_if(CallbackAttempt.satisfaction.is_not(None)),
                   count_if(CallbackAttempt.satisfaction.in_(("satisfied", "basic"))),
                   count_if(CallbackAttempt.resolved.is_(True)), count_if(CallbackAttempt.resolved.is_not(None)))
            .join(Ticket, Ticket.id == CallbackAttempt.ticket_id)
            .where(*rated_, CallbackAttempt.reached.is_(True)))
    return _rows(stmt, ("reached", "verdicts", "good", "resolved_yes", "resolved_known"))


def _callback_clocks(rated_: list[Any]) -> Iterable[tuple[Any, Figures]]:
    """Stopped callback clocks (the verdicts) and those stopped in time."""
    stopped = Clock.state == ClockState.STOPPED.value
    stmt = (select(GROUP, count_if(stopped & Clock.on_time.is_(True)), count_if(stopped))
            # from the cohort's tickets to their clocks by ix_clocks_entity: the ticket's id cast to the
            # clocks' text entity id, not the other way round (that would scan every callback clock)
            .select_from(Ticket)
            .join(Clock, sa.and_(Clock.entity_kind == "ticket", Clock.entity_id == sa.cast(Ticket.id, sa.String)))
            .where(*rated_, Clock.name == "callback",
                   sa.or_(Clock.stop_reason.is_(None), Clock.stop_reason != NO_CONTACT_STOP)))
    return _rows(stmt, ("callback_in_time", "callback_stopped"))


def _returns(rated_: list[Any]) -> Iterable[tuple[Any, Figures]]:
    """Per department that was sent the tickets: dispatched = distinct tickets it leads (dispatched) or
    returned; its 退单 and those judged 不成立."""
    led = sa.select(Ticket.id.label("t"), Ticket.department_id.label("d")).where(
        *rated_, Ticket.department_id.is_not(None), Ticket.dispatched_at.is_not(None))
    returned = sa.select(Return.ticket_id.label("t"), Return.department_id.label("d")).join(
        Ticket, Ticket.id == Return.ticket_id).where(*rated_)
    pairs = sa.union(led, returned).subquery()
    for d, n in db.session.execute(sa.select(pairs.c.d, sa.func.count()).group_by(pairs.c.d)):
        yield d, {"dispatched": n}
    stmt = (sa.select(Return.department_id, sa.func.count(Return.id), count_if(Return.decision == "rejected"))
            .join(Ticket, Ticket.id == Return.ticket_id).where(*rated_).group_by(Return.department_id))
    yield from _rows(stmt, ("returns", "returns_rejected"))


def figures(conds: list[Any], department_id: int | None = None) -> dict[Any, Figures]:
    """Every additive, `now`-independent figure of the tickets matching `conds`, per department (the lead
    department; for returns the department sent the ticket): {department id: {name: value}}, zeros left out.
    `department_id`: only that department's figures (a ticket led by another but returned by it included)."""
    mine = conds + ([Ticket.department_id == department_id] if department_id is not None else [])
    out: dict[Any, Figures] = {}
    parts = (_received(mine), _tickets(rated(mine)), _callbacks(rated(mine)), _callback_clocks(rated(mine)),
             _returns(rated(conds)))
    for part in parts:
        for g, values in part:
            if department_id is not None and g != department_id:
                continue
            into = out.setdefault(g, {})
            for name, value in values.items():
                if value:
                    into[name] = into.get(name, 0) + value
    return {g: f for g, f in out.items() if f}


def add(into: dict[Any, Figures], more: dict[Any, Figures]) -> dict[Any, Figures]:
    """Add the figures of `more` into `into` (both {department: {name: value}})."""
    for g, values in more.items():
        target = into.setdefault(g, {})
        for name, value in values.items():
            target[name] = target.get(name, 0) + value
    return into


def category_counts(conds: list[Any]) -> dict[str, int]:
    """Tickets per level-1 category."""
    key = sa.func.substr(Ticket.category_code, 1, 2)
    return {k: n for k, n in db.session.execute(sa.select(key, sa.func.count(Ticket.id)).where(*conds).group_by(key))}


def by_day(conds: list[Any]) -> dict[date, int]:
    """Tickets per local day: counted per UTC hour in the database, the hours then put on local days
    (exact for every zone whose offset is whole hours, as China's is)."""
    zone, days = local_zone(), {}
    hour = utc_hour(Ticket.received_at)
    for value, n in db.session.execute(sa.select(hour, sa.func.count()).where(*conds).group_by(hour)):
        if isinstance(value, str):
            value = datetime.strptime(value, "%Y-%m-%d %H")
        day = value.replace(tzinfo=timezone.utc).astimezone(zone).date()
        days[day] = days.get(day, 0) + n
    return days
