"""Hotline measures for a period (DESIGN §3): the cohort is the tickets received in the period
(merged duplicates and emergencies transferred to 110/119/120/122 left out of the rates, unless a
department's step was already late when they left); `now` decides
which open work is already overdue.

* 按时签收率 — sign-for clocks signed in time / (signed + open and past due); returned ones don't count.
* 按时办结率 — handling clocks replied in time / (replied + open and past due): overdue open work
  counts against it; clocks ended by a return don't count.
* 回访率 — tickets with a reached callback / tickets answered at least once (replied, 直接办结, or
  reopened after an answer), less those closed as 无联系电话 (close_reason "no_contact").
* 满意率 — (满意 + 基本满意) / reached callbacks (every reached callback is one verdict; a reopened
  ticket keeps its earlier 不满意).
* 重办率 — tickets reopened at least once / tickets answered at least once.
* 直接办结率 — tickets answered directly from the knowledge base / tickets in the rates.
* 平均办理时长 — hours from receipt to reply, over replied tickets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.calendar.service import local_zone
from core.clocks.models import Clock, ClockState
from core.db import seconds_between, utc_hour
from core.extensions import db
from hotline.common import VERDICTS
from hotline.models import CallbackAttempt, Ticket
from hotline.no_contact import CLOSE_REASON as NO_CONTACT

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date
    from typing import Any

    from sqlalchemy import Select

MIN_SAMPLE = 20  # tickets a department needs in the period before it is ranked


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)

    def as_json(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "value": round(self.value, 4) if self.value is not None else None}


@dataclass
class Measures:
    received: int = 0
    rates: dict = field(default_factory=dict)  # name -> Rate
    avg_handling_hours: float = None
    by_day: dict = field(default_factory=dict)
    by_type: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    by_category: dict = field(default_factory=dict)  # level-1 category code -> count
    by_department: dict = field(default_factory=dict)  # department id -> count


RATE_LABELS = {"sign_on_time": "按时签收率", "done_on_time": "按时办结率", "callback": "回访率",
               "satisfaction": "满意率", "reopen": "重办率", "direct": "直接办结率"}


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in local time as aware datetimes."""
    zone = local_zone()
    return (datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone))


def _cohort(start: date, end: date, department_id: int | None = None) -> list[Any]:
    lo, hi = bounds(start, end)
    conds = [Ticket.received_at >= lo, Ticket.received_at < hi]
    if department_id is not None:
        conds.append(Ticket.department_id == department_id)
    return conds


NOT_RATED_CLOSINGS = ("not_accepted", "referred_disclosure")  # 不予受理, 转依申请公开: not the hotline's work


def _rated(conds: list[Any]) -> list[Any]:
    """The cohort without merged duplicates, transferred emergencies and the closings of NOT_RATED_CLOSINGS —
    unless a department's verdict was counted on the ticket first (hotline.common.stop): a sign-for, reply
    or first contact already late when the ticket was transferred or merged stays late in the rates."""
    left_out = sa.or_(Ticket.merged_into_id.is_not(None), Ticket.transferred_to.is_not(None),
                      sa.and_(Ticket.close_reason.is_not(None), Ticket.close_reason.in_(NOT_RATED_CLOSINGS)))
    counted = (Ticket.sign_verdicts + Ticket.done_verdicts + Ticket.contact_verdicts) > 0
    return conds + [sa.or_(sa.not_(left_out), counted)]


def _group(conds: list[Any], key: Any) -> dict[Any, int]:
    return {k: n for k, n in db.session.execute(sa.select(key, sa.func.count(Ticket.id)).where(*conds).group_by(key))}


def _select(group: Any, *columns: Any) -> Select[Any]:
    """SELECT group key, columns, grouped by the key."""
    return sa.select(group.label("g"), *columns).group_by(group)


def _sum(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


OPEN_STATES = (ClockState.RUNNING.value, ClockState.PAUSED.value)  # by ix_clocks_state_due


def _open_late(rated: list[Any], now: datetime, group: Any) -> dict[Any, dict[str, int]]:
    """Open sign-for and handling clocks already past due at `now`, per group: {g: {clock name: n}}.
    Only open work is read here (a small set, by the state index); the stopped clocks' verdicts are
    counted on the tickets (hotline.common.VERDICTS)."""
    # joined by the ticket's primary key: each open clock finds its ticket by index (ticket clocks'
    # entity ids are the tickets' integer ids)
    stmt = (_select(group, Clock.name, sa.func.count())
            .join(Ticket, sa.and_(Clock.entity_kind == "ticket", Ticket.id == sa.cast(Clock.entity_id, sa.Integer)))
            .where(*rated, Clock.name.in_(tuple(VERDICTS)), Clock.state.in_(OPEN_STATES), Clock.due_at < now)
            .group_by(Clock.name))
    out = {}
    for g, name, n in db.session.execute(stmt):
        out.setdefault(g, {})[name] = n
    return out


ANSWERED = sa.or_(Ticket.replied_at.is_not(None), Ticket.direct.is_(True), Ticket.reopen_count > 0)
# 回访率 counts the answered tickets that could be called back: not those closed because the caller left no
# phone and did not rate online (hotline/no_contact.py) — nobody could reach them.
CALLABLE = ANSWERED & sa.or_(Ticket.close_reason.is_(None), Ticket.close_reason != NO_CONTACT)


def _ticket_figures(rated: list[Any], group: Any) -> dict[Any, dict[str, int]]:
    """Per group: tickets in the rates, answered, reopened, direct, replied, the summed seconds from
    receipt to reply, and the counted clock verdicts."""
    replied = Ticket.replied_at.is_not(None)
    stmt = (_select(group, sa.func.count(Ticket.id), _sum(ANSWERED), _sum(Ticket.reopen_count > 0),
                    _sum(Ticket.direct.is_(True)), _sum(replied), _sum(CALLABLE),
                    # a reply recorded before the receipt (rows from before the action-time rule) counts 0
                    sa.func.sum(sa.case((replied & (Ticket.replied_at >= Ticket.received_at),
                                         seconds_between(Ticket.received_at, Ticket.replied_at)),
                                        (replied, sa.literal(0.0, sa.Float)))),
                    *(sa.func.sum(getattr(Ticket, column)) for column in
                      ("sign_verdicts", "sign_in_time", "done_verdicts", "done_in_time")))
            .where(*rated))
    names = ("rated", "answered", "reopened", "direct", "replied", "callable", "handling_seconds",
             "sign_verdicts", "sign_in_time", "done_verdicts", "done_in_time")
    return {row[0]: dict(zip(names, (v or 0 for v in row[1:]))) for row in db.session.execute(stmt)}


def _callbacks(rated: list[Any], group: Any) -> dict[Any, dict[str, int]]:
    """Per group, from the reached callbacks: answered tickets reached at least once, verdicts given,
    and verdicts 满意 or 基本满意."""
    stmt = (_select(group, sa.func.count(sa.distinct(sa.case((ANSWERED, Ticket.id)))),
                    _sum(CallbackAttempt.satisfaction.is_not(None)),
                    _sum(CallbackAttempt.satisfaction.in_(("satisfied", "basic"))))
            .join(Ticket, Ticket.id == CallbackAttempt.ticket_id)
            .where(*rated, CallbackAttempt.reached.is_(True)))
    return {g: {"reached": a or 0, "verdicts": v or 0, "good": good or 0}
            for g, a, v, good in db.session.execute(stmt)}


NO_RATES = {name: Rate(0, 0) for name in RATE_LABELS}


def _rates(conds: list[Any], now: datetime, group: Any) -> dict[Any, tuple[dict[str, Rate], float, int]]:
    """{g: (rates, summed seconds receipt→reply, replied tickets)} for the cohort grouped by `group`,
    in three grouped queries."""
    rated = _rated(conds)
    late, callbacks = _open_late(rated, now, group), _callbacks(rated, group)
    out = {}
    for g, f in _ticket_figures(rated, group).items():
        cb, open_late = callbacks.get(g, {"reached": 0, "verdicts": 0, "good": 0}), late.get(g, {})
        rates = {
            "sign_on_time": Rate(f["sign_in_time"], f["sign_verdicts"] + open_late.get("sign_for", 0)),
            "done_on_time": Rate(f["done_in_time"], f["done_verdicts"] + open_late.get("handling", 0)),
            "callback": Rate(cb["reached"], f["callable"]),
            "satisfaction": Rate(cb["good"], cb["verdicts"]),
            "reopen": Rate(f["reopened"], f["answered"]),
            "direct": Rate(f["direct"], f["rated"]),
        }
        out[g] = (rates, f["handling_seconds"], f["replied"])
    return out


def _hours(seconds: float | None, replied: int) -> float | None:
    return seconds / replied / 3600 if replied else None


def overview(start: date, end: date, *, now: datetime, department_id: int | None = None) -> tuple[Measures,
             dict[int | None, Measures]]:
    """Every measure for tickets received from `start` to `end` (local dates, inclusive), for the whole
    cohort and per lead department: (Measures, {department id: Measures}). Each kind of figure is one
    grouped query by department; the whole is their sum (so the two always agree)."""
    conds = _cohort(start, end, department_id)
    m = Measures()
    category = sa.func.substr(Ticket.category_code, 1, 2)
    keys = (Ticket.department_id, Ticket.type, Ticket.channel, category)
    for dept, type_, channel, cat, n in db.session.execute(
            sa.select(*keys, sa.func.count(Ticket.id)).where(*conds).group_by(*keys)):
        m.received += n
        for into, key in ((m.by_department, dept), (m.by_type, type_), (m.by_channel, channel),
                          (m.by_category, cat)):
            into[key] = into.get(key, 0) + n
    m.by_day = _by_day(conds)
    per, seconds, replied = {}, 0, 0
    m.rates = dict(NO_RATES)
    for dept, (rates, s, r) in _rates(conds, now, Ticket.department_id).items():
        m.rates = {name: m.rates[name] + rate for name, rate in rates.items()}
        seconds, replied = seconds + s, replied + r
        per[dept] = Measures(received=m.by_department.get(dept, 0), rates=rates, avg_handling_hours=_hours(s, r))
    m.avg_handling_hours = _hours(seconds, replied)
    return m, per


def measures(start: date, end: date, *, now: datetime, department_id: int | None = None) -> Measures:
    """Every measure for tickets received from `start` to `end` (local dates, inclusive)."""
    return overview(start, end, now=now, department_id=department_id)[0]


def _by_day(conds: list[Any]) -> dict[date, int]:
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


def rank(m: Measures, per: Mapping[int | None, Measures], min_sample: int = MIN_SAMPLE) -> tuple[list[Any], list[Any]]:
    """Departments with at least `min_sample` tickets, best 按时办结率 first (then 满意率, then id),
    as (department id, tickets, Measures); and the smaller ones, (department id, tickets), not ranked."""
    ranked, too_small = [], []
    for department_id, n in m.by_department.items():
        if department_id is None:
            continue
        if n < min_sample:
            too_small.append((department_id, n))
            continue
        ranked.append((department_id, n, per.get(department_id) or Measures(received=n, rates=dict(NO_RATES))))
    ranked.sort(key=lambda r: (-(r[2].rates["done_on_time"].value or 0), -(r[2].rates["satisfaction"].value or 0),
                               r[0]))
    return ranked, sorted(too_small)


def department_ranking(start: date, end: date, *, now: datetime, min_sample: int = MIN_SAMPLE) -> tuple[list[Any],
                       list[Any]]:
    """The ranking of all departments for tickets received from `start` to `end` (see rank)."""
    return rank(*overview(start, end, now=now), min_sample)


def rising_categories(end: date, *, limit: int = 5) -> list[Any]:
    """Level-1 categories whose tickets rose most in the week ending `end` against the week before."""
    this_week = _group(_cohort(end - timedelta(days=6), end), sa.func.substr(Ticket.category_code, 1, 2))
    last_week = _group(_cohort(end - timedelta(days=13), end - timedelta(days=7)),
                       sa.func.substr(Ticket.category_code, 1, 2))
    rises = [(code, n, last_week.get(code, 0)) for code, n in this_week.items() if n > last_week.get(code, 0)]
    rises.sort(key=lambda r: (-(r[1] - r[2]), r[0]))
    return rises[:limit]
