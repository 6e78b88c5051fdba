"""Hotline measures for a period (DESIGN §3): the cohort is the tickets received in the period
(merged duplicates and emergencies transferred to 110/119/120 left out of the rates); `now` decides
which open work is already overdue.

* 按时签收率 — sign-for clocks signed in time / (signed + open and past due); returned ones don't count.
* 按时办结率 — handling clocks replied in time / (replied + open and past due): overdue open work
  counts against it; clocks ended by a return don't count.
* 回访率 — tickets with a reached callback / tickets answered at least once (replied, 直接办结, or
  reopened after an answer).
* 满意率 — (满意 + 基本满意) / reached callbacks (every reached callback is one verdict; a reopened
  ticket keeps its earlier 不满意).
* 重办率 — tickets reopened at least once / tickets answered at least once.
* 直接办结率 — tickets answered directly from the knowledge base / tickets in the rates.
* 平均办理时长 — hours from receipt to reply, over replied tickets.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from core.calendar.service import local_zone
from core.clocks.models import Clock
from core.extensions import db
from hotline.models import CallbackAttempt, Ticket

MIN_SAMPLE = 20  # tickets a department needs in the period before it is ranked


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self):
        return self.numerator / self.denominator if self.denominator else None

    def as_json(self):
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


def bounds(start, end):
    """[start 00:00, end+1 00:00) in local time as aware datetimes."""
    zone = local_zone()
    return (datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone))


def _cohort(start, end, department_id=None):
    lo, hi = bounds(start, end)
    conds = [Ticket.received_at >= lo, Ticket.received_at < hi]
    if department_id is not None:
        conds.append(Ticket.department_id == department_id)
    return conds


def _rated(conds):
    """The cohort without merged duplicates and transferred emergencies."""
    return conds + [Ticket.merged_into_id.is_(None), Ticket.transferred_to.is_(None)]


def _clock_rate(conds, name, finished_reason, now):
    clocks = (sa.select(Clock.on_time, Clock.state, Clock.stop_reason, Clock.due_at)
              .join(Ticket, sa.and_(Clock.entity_kind == "ticket", Clock.entity_id == sa.cast(Ticket.id, sa.String)))
              .where(*conds, Clock.name == name))
    in_time = total = 0
    for on_time, state, reason, due_at in db.session.execute(clocks):
        if state == "stopped":
            if reason != finished_reason:
                continue  # returned, merged, transferred: not a verdict on this step
            total += 1
            in_time += bool(on_time)
        elif due_at < now:
            total += 1  # open and already late
    return Rate(in_time, total)


def _count(conds, *where):
    return db.session.execute(sa.select(sa.func.count(Ticket.id)).where(*conds, *where)).scalar_one()


def _group(conds, key):
    return {k: n for k, n in db.session.execute(sa.select(key, sa.func.count(Ticket.id)).where(*conds).group_by(key))}


def measures(start, end, *, now, department_id=None):
    """Every measure for tickets received from `start` to `end` (local dates, inclusive)."""
    conds = _cohort(start, end, department_id)
    rated = _rated(conds)
    m = Measures(received=_count(conds))
    answered = sa.or_(Ticket.replied_at.is_not(None), Ticket.direct.is_(True), Ticket.reopen_count > 0)
    reached = sa.exists().where(CallbackAttempt.ticket_id == Ticket.id, CallbackAttempt.reached.is_(True))
    answered_count = _count(rated, answered)
    verdicts = dict(db.session.execute(
        sa.select(CallbackAttempt.satisfaction, sa.func.count()).join(Ticket, Ticket.id == CallbackAttempt.ticket_id)
        .where(*rated, CallbackAttempt.reached.is_(True), CallbackAttempt.satisfaction.is_not(None))
        .group_by(CallbackAttempt.satisfaction)).all())
    m.rates = {
        "sign_on_time": _clock_rate(rated, "sign_for", "signed", now),
        "done_on_time": _clock_rate(rated, "handling", "replied", now),
        "callback": Rate(_count(rated, answered, reached), answered_count),
        "satisfaction": Rate(verdicts.get("satisfied", 0) + verdicts.get("basic", 0), sum(verdicts.values())),
        "reopen": Rate(_count(rated, Ticket.reopen_count > 0), answered_count),
        "direct": Rate(_count(rated, Ticket.direct.is_(True)), _count(rated)),
    }
    spans = db.session.execute(sa.select(Ticket.received_at, Ticket.replied_at).where(
        *rated, Ticket.replied_at.is_not(None))).all()
    if spans:
        m.avg_handling_hours = sum((b - a).total_seconds() for a, b in spans) / len(spans) / 3600
    zone = local_zone()
    for (received_at,) in db.session.execute(sa.select(Ticket.received_at).where(*conds)):
        day = received_at.astimezone(zone).date()
        m.by_day[day] = m.by_day.get(day, 0) + 1
    m.by_type = _group(conds, Ticket.type)
    m.by_channel = _group(conds, Ticket.channel)
    m.by_category = _group(conds, sa.func.substr(Ticket.category_code, 1, 2))
    m.by_department = _group(conds, Ticket.department_id)
    return m


def department_ranking(start, end, *, now, min_sample=MIN_SAMPLE):
    """Departments with at least `min_sample` tickets in the period, best 按时办结率 first
    (then 满意率); the others are listed as not ranked."""
    ranked, too_small = [], []
    for department_id, n in measures(start, end, now=now).by_department.items():
        if department_id is None:
            continue
        if n < min_sample:
            too_small.append((department_id, n))
            continue
        m = measures(start, end, now=now, department_id=department_id)
        ranked.append((department_id, n, m))
    ranked.sort(key=lambda r: (-(r[2].rates["done_on_time"].value or 0), -(r[2].rates["satisfaction"].value or 0),
                               r[0]))
    return ranked, sorted(too_small)


def rising_categories(end, *, limit=5):
    """Level-1 categories whose tickets rose most in the week ending `end` against the week before."""
    this_week = _group(_cohort(end - timedelta(days=6), end), sa.func.substr(Ticket.category_code, 1, 2))
    last_week = _group(_cohort(end - timedelta(days=13), end - timedelta(days=7)),
                       sa.func.substr(Ticket.category_code, 1, 2))
    rises = [(code, n, last_week.get(code, 0)) for code, n in this_week.items() if n > last_week.get(code, 0)]
    rises.sort(key=lambda r: (-(r[1] - r[2]), r[0]))
    return rises[:limit]
