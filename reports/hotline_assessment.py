"""The 12345 assessment (考核) of departments for a period, usually a month (issue 16 item 8).

The cohort is the tickets received in the period, less merged duplicates, emergencies transferred to
110/119/120/122 and the closings of hotline_measures.NOT_RATED_CLOSINGS; each ticket counts for its lead
department. `now` decides which open work is already overdue (it counts against the department).

* 响应率 — first-contact clocks stopped in time / (stopped + open past due). The clock starts at
  dispatch (hotline/sla.py, 1 working day, 2 hours urgent: the district's configurable default) and stops
  at 首次联系诉求人 or else at the reply (hotline/contact.py); 国办发〔2020〕53号 "及时响应".
* 解决率 — reached callbacks recording 已解决 / reached callbacks recording 已解决 or 未解决 (every reached
  CallbackAttempt is one verdict, as for 满意率; Ticket.resolved is cleared by a 重办, so it is not used).
* 满意率, 按时签收率, 按时办结率, 重办率 — as in reports/hotline_measures.py (DESIGN §3).
* 回访及时率 — callback clocks stopped in time / (stopped + open past due) (GB/T 33358-2016 回访); a clock
  stopped because the caller left no phone (hotline/no_contact.py) is no verdict and left out.
* 退单率 — the department's 退单 (Return rows) / tickets dispatched to it (tickets it leads now plus
  tickets it returned); 退单不成立率 — those returns judged 不成立 (decision "rejected") over the same.
* 督办反馈及时率 — 督办单 issued to the department in the period with feedback on time / (orders with
  feedback + orders without feedback whose "supervision_feedback" clock is past due).

综合考核得分 = 100 × Σ wᵢ·vᵢ / Σ wᵢ over the measures with a weight and a value (vᵢ = the rate, or 1 − rate
for 退单率, 退单不成立率 and 重办率, where less is better), minus HOTLINE_ASSESSMENT_REJECTED_RETURN_POINTS
per 退单不成立 (not below 0). Weights: config HOTLINE_ASSESSMENT_WEIGHTS, default the Beijing 接诉即办
三率 考评 split (响应率 10%, 解决率 45%, 满意率 45%), which the district may change. Ranked: departments with at least
HOTLINE_ASSESSMENT_MIN_SAMPLE tickets dispatched to them and a score.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from core.clocks.models import Clock
from core.errors import ValidationError
from core.extensions import db
from hotline.models import SupervisionOrder, Ticket
from reports import hotline_measures as hm
from reports import rollups
from reports import ticket_figures as tf
from reports.hotline_measures import Rate

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from typing import Any

MEASURES = {  # key: (label, formula as printed on the page, the XLSX and the PDF)
    "contact": ("响应率", "按时首次联系 ÷（已联系 + 超时未联系）"),
    "resolved": ("解决率", "回访已解决 ÷ 回访记录了是否解决"),
    "satisfaction": ("满意率", "（满意 + 基本满意）÷ 回访联系上"),
    "sign_on_time": ("按时签收率", "按时签收 ÷（已签收 + 超时未签收）"),
    "done_on_time": ("按时办结率", "按时答复 ÷（已答复 + 超时未答复）"),
    "callback_on_time": ("回访及时率", "按时回访 ÷（已回访 + 超时未回访）"),
    "returns": ("退单率", "退单 ÷ 派给本部门的工单"),
    "returns_rejected": ("退单不成立率", "退单不成立 ÷ 派给本部门的工单"),
    "reopen": ("重办率", "重办 ÷ 已答复"),
    "supervision": ("督办反馈及时率", "按时反馈的督办单 ÷（已反馈 + 超时未反馈）"),
}
LOWER_IS_BETTER = {"returns", "returns_rejected", "reopen"}


def weights_from(text: str) -> dict[str, float]:
    """Parse "name=weight,…" (config HOTLINE_ASSESSMENT_WEIGHTS); unknown names or negative weights raise."""
    out = {key: 0.0 for key in MEASURES}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r} in HOTLINE_ASSESSMENT_WEIGHTS")
        out[name] = float(value)
        if not 0 <= out[name] <= 1000:
            raise ValueError(f"weight of {name} must be between 0 and 1000")
    if not any(out.values()):
        raise ValueError("HOTLINE_ASSESSMENT_WEIGHTS gives no measure a weight")
    return out


def settings() -> tuple[dict[str, float], int, float]:
    """(weights, minimum sample, points per 退单不成立) from the app's config."""
    cfg = current_app.config
    return (weights_from(cfg.get("HOTLINE_ASSESSMENT_WEIGHTS", "contact=10,resolved=45,satisfaction=45")),
            int(cfg.get("HOTLINE_ASSESSMENT_MIN_SAMPLE", 20)), float(cfg.get("HOTLINE_ASSESSMENT_REJECTED_RETURN_POINTS", 1)))


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def month_bounds(text: str | None) -> tuple[date, date]:
    """'2026-11' → (date(2026, 11, 1), date(2026, 11, 30)); anything else a ValidationError (400)."""
    m = _MONTH.fullmatch((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100 or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError("月份格式应为 YYYY-MM，例如 2026-11", field="month")
    year, month = int(m.group(1)), int(m.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Row:
    department_id: int
    sample: int = 0  # tickets dispatched to the department (led now, or returned by it)
    rates: dict = field(default_factory=dict)
    rejected_returns: int = 0
    score: float = None
    rank: int = None


@dataclass
class Assessment:
    start: date
    end: date
    weights: dict
    min_sample: int
    penalty: float
    ranked: list  # Rows, best first, with rank
    not_ranked: list  # Rows below the sample size (or without any weighted value)
    total: dict  # the district's rates (every department and the unassigned tickets)


def _open_late(clock: str, entity_kind: str, entity_id: Any, now: datetime) -> Any:
    return sa.exists().where(Clock.entity_kind == entity_kind, Clock.entity_id == entity_id, Clock.name == clock,
                             Clock.state.in_(tf.OPEN_STATES), Clock.due_at < now)


def _supervision(lo: datetime, hi: datetime, now: datetime) -> dict[Any, Rate]:
    """{department: Rate} of the 督办单 issued in [lo, hi) on tickets in the rates (a few rows: always counted
    from the rows)."""
    entity = sa.cast(SupervisionOrder.id, sa.String)
    answered = SupervisionOrder.feedback_at.is_not(None)
    overdue = SupervisionOrder.feedback_at.is_(None) & _open_late("supervision_feedback", "supervision_order",
                                                                  entity, now)
    stmt = (sa.select(SupervisionOrder.department_id,
                      tf.count_if(answered & SupervisionOrder.feedback_on_time.is_(True)),
                      tf.count_if(answered | overdue))
            .join(Ticket, Ticket.id == SupervisionOrder.ticket_id)
            .where(*tf.rated([SupervisionOrder.issued_at >= lo, SupervisionOrder.issued_at < hi]))
            .group_by(SupervisionOrder.department_id))
    return {d: Rate(a or 0, n or 0) for d, a, n in db.session.execute(stmt)}


def _rates(f: Mapping[str, float], late: Mapping[str, int], supervision: Rate) -> dict[str, Rate]:
    """One department's assessment rates from its figures (reports/ticket_figures.py), its open clocks past
    due and its 督办单."""
    base = hm.rates_of(f, late) if f.get("rated") else {}
    dispatched = f.get("dispatched", 0)
    return {"contact": Rate(f.get("contact_in_time", 0), f.get("contact_verdicts", 0) + late.get("first_contact", 0)),
            "resolved": Rate(f.get("resolved_yes", 0), f.get("resolved_known", 0)),
            "satisfaction": base.get("satisfaction", Rate(0, 0)), "sign_on_time": base.get("sign_on_time", Rate(0, 0)),
            "done_on_time": base.get("done_on_time", Rate(0, 0)),
            "callback_on_time": Rate(f.get("callback_in_time", 0),
                                     f.get("callback_stopped", 0) + late.get("callback", 0)),
            "returns": Rate(f.get("returns", 0), dispatched),
            "returns_rejected": Rate(f.get("returns_rejected", 0), dispatched),
            "reopen": base.get("reopen", Rate(0, 0)), "supervision": supervision}


def score(rates: Mapping[str, Rate], rejected: int, weights: Mapping[str, float], penalty: float) -> float | None:
    """综合考核得分 (see the module's docstring), None when no weighted measure has a value."""
    total = weight = 0.0
    for key, w in weights.items():
        value = rates[key].value if key in rates else None
        if not w or value is None:
            continue
        total += w * ((1 - value) if key in LOWER_IS_BETTER else value)
        weight += w
    if not weight:
        return None
    return max(0.0, round(100 * total / weight - penalty * rejected, 2))


def assess(start: date, end: date, *, now: datetime, department_id: int | None = None,
           weights: dict[str, float] | None = None, min_sample: int | None = None,
           penalty: float | None = None, use_rollups: bool = True,
           collected: rollups.Collected | None = None) -> Assessment:
    """The assessment of every department (or one: `department_id`, never ranked against the others)
    for tickets received from `start` to `end` (local dates, inclusive); closed days from their roll-ups
    (`use_rollups=False`: every day from the rows, the reference; `collected`: the figures, if read already)."""
    cfg_weights, cfg_min, cfg_penalty = settings()
    weights = weights if weights is not None else cfg_weights
    min_sample = min_sample if min_sample is not None else cfg_min
    penalty = penalty if penalty is not None else cfg_penalty
    c = collected or rollups.collect(start, end, now=now, department_id=department_id, use_rollups=use_rollups)
    supervision = _supervision(*tf.bounds(start, end), now)
    keys = {g for g, f in c.figures.items() if f.get("rated") or f.get("dispatched")} | set(supervision)
    if department_id is not None:
        keys = {department_id} & keys
    rows, total = [], {key: Rate(0, 0) for key in MEASURES}
    for g in keys:
        f = c.figures.get(g, {})
        rates = _rates(f, c.late.get(g, {}) if f.get("rated") else {}, supervision.get(g, Rate(0, 0)))
        total = {key: total[key] + rates[key] for key in MEASURES}
        if g is not None:
            rejected = f.get("returns_rejected", 0)
            rows.append(Row(g, f.get("dispatched", 0), rates, rejected, score(rates, rejected, weights, penalty)))
    ranked = [r for r in rows if r.sample >= min_sample and r.score is not None and department_id is None]
    ranked.sort(key=lambda r: (-r.score, r.department_id))
    for i, r in enumerate(ranked):  # equal scores share a rank (1, 2, 2, 4)
        r.rank = ranked[i - 1].rank if i and ranked[i - 1].score == r.score else i + 1
    not_ranked = sorted((r for r in rows if r.rank is None), key=lambda r: r.department_id)
    return Assessment(start, end, weights, min_sample, penalty, ranked, not_ranked, total)
