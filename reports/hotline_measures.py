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
from datetime import timedelta
from typing import TYPE_CHECKING

from reports import rollups

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime
    from typing import Any

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


def rates_of(f: Mapping[str, float], late: Mapping[str, int]) -> dict[str, Rate]:
    """The rates of one group from its figures (reports/ticket_figures.py) and its open clocks past due."""
    return {
        "sign_on_time": Rate(f.get("sign_in_time", 0), f.get("sign_verdicts", 0) + late.get("sign_for", 0)),
        "done_on_time": Rate(f.get("done_in_time", 0), f.get("done_verdicts", 0) + late.get("handling", 0)),
        "callback": Rate(f.get("reached", 0), f.get("callable", 0)),
        "satisfaction": Rate(f.get("good", 0), f.get("verdicts", 0)),
        "reopen": Rate(f.get("reopened", 0), f.get("answered", 0)),
        "direct": Rate(f.get("direct", 0), f.get("rated", 0)),
    }


NO_RATES = {name: Rate(0, 0) for name in RATE_LABELS}


def _hours(seconds: float | None, replied: int) -> float | None:
    return seconds / replied / 3600 if replied else None


def _breakdown(m: Measures, dept: Any, f: Mapping[str, float]) -> None:
    """Put a department's "type:…", "channel:…" and "category:…" counts into the period's breakdowns."""
    m.received += f.get("received", 0)
    if f.get("received"):
        m.by_department[dept] = f["received"]
    into = {"type": m.by_type, "channel": m.by_channel, "category": m.by_category}
    for name, n in f.items():
        kind, _, key = name.partition(":")
        if kind in into and key:
            into[kind][key] = into[kind].get(key, 0) + n


def overview(start: date, end: date, *, now: datetime, department_id: int | None = None,
             use_rollups: bool = True, collected: rollups.Collected | None = None) -> tuple[Measures,
             dict[int | None, Measures]]:
    """Every measure for tickets received from `start` to `end` (local dates, inclusive), for the whole
    cohort and per lead department: (Measures, {department id: Measures}). The closed days come from their
    daily roll-ups where current (reports/rollups.py), every other day from the rows; `use_rollups=False`
    counts everything from the rows (the reference). The whole is the departments' sum. `collected`: the
    period's figures when the caller already has them (the dashboard reads them once for every part)."""
    c = collected or rollups.collect(start, end, now=now, department_id=department_id, use_rollups=use_rollups)
    m = Measures(by_day=c.by_day, rates=dict(NO_RATES))
    per, seconds, replied = {}, 0.0, 0
    for dept, f in c.figures.items():
        _breakdown(m, dept, f)
        if not f.get("rated"):  # a department without tickets in the rates has no rates
            continue
        rates = rates_of(f, c.late.get(dept, {}))
        m.rates = {name: m.rates[name] + rate for name, rate in rates.items()}
        s, r = f.get("handling_seconds", 0.0), f.get("replied", 0)
        seconds, replied = seconds + s, replied + r
        per[dept] = Measures(received=f.get("received", 0), rates=rates, avg_handling_hours=_hours(s, r))
    m.avg_handling_hours = _hours(seconds, replied)
    return m, per


def measures(start: date, end: date, *, now: datetime, department_id: int | None = None,
             use_rollups: bool = True) -> Measures:
    """Every measure for tickets received from `start` to `end` (local dates, inclusive)."""
    return overview(start, end, now=now, department_id=department_id, use_rollups=use_rollups)[0]


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


def rising_categories(end: date, *, limit: int = 5, now: datetime | None = None) -> list[Any]:
    """Level-1 categories whose tickets rose most in the week ending `end` against the week before
    (from the current daily roll-ups when `now` is given)."""
    this_week = rollups.category_counts(end - timedelta(days=6), end, now=now)
    last_week = rollups.category_counts(end - timedelta(days=13), end - timedelta(days=7), now=now)
    rises = [(code, n, last_week.get(code, 0)) for code, n in this_week.items() if n > last_week.get(code, 0)]
    rises.sort(key=lambda r: (-(r[1] - r[2]), r[0]))
    return rises[:limit]
