"""The disclosure dashboard: the open work now, and how the replies of a period went.

* 在办申请 — open applications (not closed) by department and 正常/临期/超期 of their answer clock at
  `now` (the same rules as core.clocks.service.urgency_of, counted in SQL); paused clocks (补正, 缴费,
  征求意见) count as 正常, applications not yet assigned under 未分派.
* For applications replied from `start` to `end` (reply date): 平均答复用时 in calendar days from
  receipt; 按期答复率 — the answer clock's frozen verdict; 延期 and 补正 — how many used an extension or a
  correction notice; 办理结果 by month and result group (the annual table's groups).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.clocks.models import Clock
from core.clocks.service import urgency_expression
from core.db import days_between, year_month
from core.extensions import db
from core.worktime import Urgency
from reports.hotline_measures import Rate
from requests_module.common import ENTITY
from requests_module.models import DisclosureRequest
from requests_module.outcomes import GROUPS, OUTCOMES
from requests_module.states import Status

if TYPE_CHECKING:
    from datetime import date, datetime
    from typing import Any

    from sqlalchemy import Select


@dataclass
class Dashboard:
    open_work: dict = field(default_factory=dict)  # department id (None: 未分派) -> {urgency value: count}
    replied: int = 0
    avg_days: float = None
    on_time: Rate = None
    extended: Rate = None
    corrected: Rate = None
    by_month: dict = field(default_factory=dict)  # "YYYY-MM" -> {result group: count}

    @property
    def open_total(self) -> dict[str, int]:
        return {u.value: sum(row.get(u.value, 0) for row in self.open_work.values()) for u in Urgency}


def _answer_clock() -> Any:
    """Each application's newest answer clock (a correction restarts it as a new one)."""
    newest = (sa.select(Clock.entity_id, sa.func.max(Clock.id).label("clock_id"))
              .where(Clock.entity_kind == ENTITY, Clock.name == "answer").group_by(Clock.entity_id).subquery())
    return newest


def _joined(stmt: Select[Any], newest: Any) -> Select[Any]:
    return (stmt.outerjoin(newest, newest.c.entity_id == sa.cast(DisclosureRequest.id, sa.String))
            .outerjoin(Clock, Clock.id == newest.c.clock_id))


def open_work(now: datetime, department_id: int | None = None) -> dict[int | None, dict[str, int]]:
    """{department id: {urgency: count}} of the applications open at `now`."""
    urgency = urgency_expression(now)
    stmt = _joined(sa.select(DisclosureRequest.department_id, urgency, sa.func.count()).select_from(DisclosureRequest),
                   _answer_clock()).where(DisclosureRequest.status != Status.CLOSED.value)
    if department_id is not None:
        stmt = stmt.where(DisclosureRequest.department_id == department_id)
    out = {}
    for dept, u, n in db.session.execute(stmt.group_by(DisclosureRequest.department_id, urgency)):
        out.setdefault(dept, {})[u] = n
    return out


def dashboard(start: date, end: date, *, now: datetime, department_id: int | None = None) -> Dashboard:
    """The dashboard for replies dated `start` to `end` (inclusive) and the open work at `now`."""
    # a draft awaiting sign-off is not a reply yet (its closed_at is set when it is signed off and issued)
    replied = [DisclosureRequest.replied_on.between(start, end), DisclosureRequest.outcome.is_not(None),
               DisclosureRequest.closed_at.is_not(None)]
    if department_id is not None:
        replied.append(DisclosureRequest.department_id == department_id)
    figures = db.session.execute(_joined(sa.select(
        sa.func.count(DisclosureRequest.id),
        sa.func.avg(sa.case((DisclosureRequest.replied_on >= DisclosureRequest.received_on,  # never negative
                             days_between(DisclosureRequest.received_on, DisclosureRequest.replied_on)),
                            (DisclosureRequest.received_on.is_not(None), sa.literal(0.0, sa.Float)))),
        sa.func.sum(sa.case((Clock.on_time.is_(True), 1), else_=0)),
        sa.func.count(Clock.on_time),
        sa.func.sum(sa.case((DisclosureRequest.extension_days > 0, 1), else_=0)),
        sa.func.sum(sa.case((DisclosureRequest.correction_notice_on.is_not(None), 1), else_=0)),
    ).select_from(DisclosureRequest), _answer_clock()).where(*replied)).one()
    count, avg_days, in_time, judged, extended, corrected = figures
    d = Dashboard(open_work=open_work(now, department_id), replied=count,
                  avg_days=float(avg_days) if avg_days is not None else None,
                  on_time=Rate(in_time or 0, judged), extended=Rate(extended or 0, count),
                  corrected=Rate(corrected or 0, count))
    month = year_month(DisclosureRequest.replied_on)
    for m, outcome, n in db.session.execute(sa.select(month, DisclosureRequest.outcome, sa.func.count())
                                            .where(*replied).group_by(month, DisclosureRequest.outcome)):
        group = OUTCOMES[outcome].group if outcome in OUTCOMES else "其他处理"
        row = d.by_month.setdefault(m, dict.fromkeys(GROUPS, 0))
        row[group] += n
    return d
