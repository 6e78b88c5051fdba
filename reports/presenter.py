"""The dashboards as plain data: what the pages render, the JSON the charts draw, the XLSX export."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.departments.models import Department
from core.worktime import Urgency
from reports import series
from requests_module.outcomes import GROUPS

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date, datetime
    from typing import Any

UNASSIGNED = "未分派"


def _names() -> dict[int, str]:
    return {d.id: d.name for d in Department.query}


def _quiet(percent: int, step: str) -> None:
    pass


def hotline(start: date, end: date, now: datetime, department: Department | None = None,
            progress: Callable[[int, str], object] = _quiet, use_rollups: bool = True) -> dict[str, Any]:
    """The hotline dashboard for tickets received `start`–`end`; one department's or (None) all.
    `progress(percent, step)` hears how far it got (report jobs show it to the user); closed days come from
    their daily roll-ups (reports/rollups.py; `use_rollups=False`: every day from the rows)."""
    from hotline.catalogue import CATEGORIES
    from hotline.intake import CHANNELS as CHANNEL_LABELS
    from hotline.sla import TYPES
    from reports import hotline_measures as hm
    from reports import rollups
    progress(5, "统计各项指标")
    # read once, for the measures and the assessment alike
    c = rollups.collect(start, end, now=now, department_id=department.id if department else None,
                        use_rollups=use_rollups)
    m, per_department = hm.overview(start, end, now=now, department_id=department.id if department else None,
                                   collected=c)
    names = _names()
    categories = {code: name for code, name, _ in CATEGORIES}
    progress(60, "部门排名")
    ranked, too_small = hm.rank(m, per_department) if department is None else ([], [])
    progress(70, "上升分类")
    from reports.assessment_presenter import assessment
    return {
        "assessment": assessment(start, end, now, department, collected=c),  # 综合考核 (reports/hotline_assessment.py)
        "from": start.isoformat(), "to": end.isoformat(), "department": department.name if department else None,
        "received": m.received, "avg_handling_hours": round(m.avg_handling_hours, 2) if m.avg_handling_hours else None,
        "rates": {k: {"label": hm.RATE_LABELS[k], **r.as_json()} for k, r in m.rates.items()},
        "by_day": [{"day": d.isoformat(), "count": n} for d, n in series.daily(m.by_day, start, end)],
        "by_type": [{"type": k, "label": TYPES.get(k, k), "count": n} for k, n in sorted(m.by_type.items())],
        "by_channel": [{"channel": k, "label": CHANNEL_LABELS.get(k, k), "count": n}
                       for k, n in sorted(m.by_channel.items())],
        "by_category": [{"category": k, "label": categories.get(k, k), "count": n}
                        for k, n in sorted(m.by_category.items(), key=lambda kv: (-kv[1], kv[0]))],
        "by_department": [{"department": names.get(k, "未派单"), "count": n}
                          for k, n in sorted(m.by_department.items(), key=lambda kv: (-kv[1], str(kv[0])))],
        "ranking": [{"department": names[d], "count": n, "done_on_time": r.rates["done_on_time"].as_json(),
                     "satisfaction": r.rates["satisfaction"].as_json()} for d, n, r in ranked],
        "not_ranked": [{"department": names[d], "count": n} for d, n in too_small],
        "min_sample": hm.MIN_SAMPLE,
        "rising": [{"category": c, "label": categories.get(c, c), "this_week": a, "last_week": b}
                   for c, a, b in hm.rising_categories(end, now=now if use_rollups else None)],
    }


def disclosure(start: date, end: date, now: datetime, department: Department | None = None) -> dict[str, Any]:
    """The disclosure dashboard: replies dated `start`–`end`, open work at `now`."""
    from reports.disclosure_dashboard import dashboard
    d = dashboard(start, end, now=now, department_id=department.id if department else None)
    names = _names()
    open_rows = [{"department": names.get(k, UNASSIGNED), **{u.value: row.get(u.value, 0) for u in Urgency},
                  "total": sum(row.values())}
                 for k, row in sorted(d.open_work.items(), key=lambda kv: (-kv[1].get("overdue", 0),
                                                                           -sum(kv[1].values()), str(kv[0])))]
    return {
        "from": start.isoformat(), "to": end.isoformat(), "department": department.name if department else None,
        "urgencies": [{"key": u.value, "label": u.label} for u in Urgency],
        "open": open_rows, "open_total": {**d.open_total, "total": sum(d.open_total.values())},
        "replied": d.replied, "avg_days": round(d.avg_days, 1) if d.avg_days is not None else None,
        "rates": {"on_time": {"label": "按期答复率", **d.on_time.as_json()},
                  "extended": {"label": "延期答复占比", **d.extended.as_json()},
                  "corrected": {"label": "发出补正占比", **d.corrected.as_json()}},
        "by_month": [{"month": m, **groups, "total": sum(groups.values())}
                     for m, groups in series.monthly(d.by_month, start, end, lambda: dict.fromkeys(GROUPS, 0))],
        "groups": GROUPS,
    }
