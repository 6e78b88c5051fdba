"""The 12345 assessment (reports/hotline_assessment.py) as plain data: the dashboard's JSON and page, its
XLSX sheet and the monthly PDF all read this."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.departments.models import Department
from reports import hotline_assessment as ha

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime
    from typing import Any

    from reports.hotline_assessment import Row
    from reports.rollups import Collected


def _row(row: Row, names: Mapping[int, str]) -> dict[str, Any]:
    return {"department": names.get(row.department_id, str(row.department_id)), "rank": row.rank,
            "sample": row.sample, "score": row.score, "rejected_returns": row.rejected_returns,
            "rates": {key: row.rates[key].as_json() for key in ha.MEASURES}}


def assessment(start: date, end: date, now: datetime, department: Department | None = None,
               use_rollups: bool = True, collected: Collected | None = None) -> dict[str, Any]:
    """Every department's measures, score and rank for tickets received `start`–`end`; one department's
    own row only (never ranked: the dashboard's rule) when `department` is given."""
    a = ha.assess(start, end, now=now, department_id=department.id if department else None,
                  use_rollups=use_rollups, collected=collected)
    names = {d.id: d.name for d in Department.query}
    return {
        "from": start.isoformat(), "to": end.isoformat(), "department": department.name if department else None,
        "measures": [{"key": k, "label": label, "formula": formula, "weight": a.weights.get(k, 0),
                      "lower_is_better": k in ha.LOWER_IS_BETTER} for k, (label, formula) in ha.MEASURES.items()],
        "min_sample": a.min_sample, "rejected_return_points": a.penalty,
        "rows": [_row(r, names) for r in a.ranked],
        "not_ranked": [_row(r, names) for r in a.not_ranked],
        "total": {k: a.total[k].as_json() for k in ha.MEASURES} if department is None else None,
    }
