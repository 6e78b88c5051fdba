"""The disclosure dashboard: the open work now, and how the replies of a period went.

* 在办申请 — open applications (not closed) by department and 正常/临期/超期 of their answer clock at
  `now` (the same rules as core.clocks.service.urgency_of, counted in SQL); paused clocks (补正, 缴费,
  征求意见) count as 正常, applications not yet assigned under 未分派.
* For applications replied from `start` to `end` (reply date): 平均答复用时 in calendar days from
  receipt; 按期答复率 — the answer clock's frozen verdict (kept on the application, answer_on_time: no clock is
  read for the replies); 延期 and 补正 — how many used an extension or a correction notice; 办理结果 by month and
  result group (the annual table's groups).
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


def _newest_answer_urgency(now: datetime) -> Any:
    """正常/临期/超期 at `now` of the newest answer clock of the application in the outer query (a correction
    restarts the clock as a new one; no clock: 正常): correlated, for the few open applications, each read by
    ix_clocks_entity. Joining the newest id back to the clocks made PostgreSQL hash every clock (0.19 s of
    0.46 s with 200,000 clocks; the clocks table holds the tickets' millions too)."""
    return sa.func.coalesce(
        sa.select(urgency_expression(now))
        .where(Clock.entity_kind == ENTITY, Clock.entity_id == sa.cast(DisclosureRequest.id, sa.String),
               Clock.name == "answer").order_by(Clock.id.desc()).limit(1).scalar_subquery(), Urgency.NORMAL.value)


def open_work(now: datetime, department_id: int | None = None) -> dict[int | None, dict[str, int]]:
    """{department id: {urgency: count}} of the applications open at `now`."""
    # the open states spelled out, so that ix_disclosure_requests_status finds them (`!= closed` reads every row)
    conds = [DisclosureRequest.status.in_([s.value for s in Status if s is not Status.CLOSED])]
    if department_id is not None:
        conds.append(DisclosureRequest.department_id == department_id)
    apps = sa.select(DisclosureRequest.department_id, _newest_answer_urgency(now).label("urgency")).where(*conds).subquery()
    stmt = sa.select(apps.c.department_id, apps.c.urgency, sa.func.count()).group_by(apps.c.department_id, apps.c.urgency)
    out: dict[int | None, dict[str, int]] = {}
    for dept, u, n in db.session.execute(stmt):
        out.setdefault(dept, {})[u] = n
    return out


def dashboard(start: date, end: date, *, now: datetime, department_id: int | None = None) -> Dashboard:
    """The dashboard for replies dated `start` to `end` (inclusive) and the open work at `now`."""
    # a draft awaiting sign-off is not a reply yet (its closed_at is set when it is signed off and issued)
    replied = [DisclosureRequest.replied_on.between(start, end), DisclosureRequest.outcome.is_not(None),
               DisclosureRequest.closed_at.is_not(None)]
    if department_id is not None:
        replied.append(DisclosureRequest.department_id == department_id)
    # the answer clock's frozen verdict, kept on the application when the clock stopped (common.keep_answer_verdict)
    verdict = DisclosureRequest.answer_on_time
    days = sa.case((DisclosureRequest.replied_on >= DisclosureRequest.received_on,  # never negative
                    days_between(DisclosureRequest.received_on, DisclosureRequest.replied_on)),
                   (DisclosureRequest.received_on.is_not(None), sa.literal(0.0, sa.Float)))
    month = year_month(DisclosureRequest.replied_on)
    stmt = (sa.select(month, DisclosureRequest.outcome, sa.func.count(DisclosureRequest.id), sa.func.sum(days),
                      sa.func.count(days), sa.func.sum(sa.case((verdict.is_(True), 1), else_=0)),
                      sa.func.count(verdict),
                      sa.func.sum(sa.case((DisclosureRequest.extension_days > 0, 1), else_=0)),
                      sa.func.sum(sa.case((DisclosureRequest.correction_notice_on.is_not(None), 1), else_=0)))
            .select_from(DisclosureRequest).where(*replied).group_by(month, DisclosureRequest.outcome))
    # one pass over the period's replies, by month and outcome; the totals are the groups' sums
    count = day_sum = day_count = in_time = judged = extended = corrected = 0
    by_month: dict[str, dict[str, int]] = {}
    for m, outcome, n, d_sum, d_n, a, j, e, c in db.session.execute(stmt):
        count, day_sum, day_count = count + n, day_sum + float(d_sum or 0), day_count + d_n
        in_time, judged, extended, corrected = in_time + (a or 0), judged + (j or 0), extended + (e or 0), corrected + (c or 0)
        group = OUTCOMES[outcome].group if outcome in OUTCOMES else "其他处理"
        row = by_month.setdefault(m, dict.fromkeys(GROUPS, 0))
        row[group] += n
    return Dashboard(open_work=open_work(now, department_id), replied=count,
                     avg_days=day_sum / day_count if day_count else None, on_time=Rate(in_time, judged),
                     extended=Rate(extended, count), corrected=Rate(corrected, count), by_month=by_month)
