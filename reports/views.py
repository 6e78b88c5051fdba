"""报表: the annual disclosure report (section 三) on a page and as XLSX/CSV downloads."""
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.calendar.service import local_date
from core.db import utcnow
from core.departments.models import Department
from core.departments.service import active_departments
from reports import annual_export
from reports.disclosure_annual import COLUMNS, DISPUTE_GROUPS, DISPUTE_RESULTS, annual_table, rows

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = (Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)
FIRST_YEAR = 2008  # the first year of the disclosure regulations


def _scope():
    """The department the report covers: supervisors and admins choose (none = the whole government);
    department staff and approvers always get their own."""
    code = (request.args.get("department") or "").strip().lower()
    if not current_user.role.sees_all_departments:
        return current_user.department
    if not code:
        return None
    return Department.query.filter_by(code=code).first() or abort(404)


def _table(year):
    if not FIRST_YEAR <= year <= local_date(utcnow()).year:
        abort(404)
    return annual_table(year, _scope())


@bp.get("/disclosure/")
@roles_required(*READERS)
def disclosure_index():
    """The year and department chosen in the form (default: last year, the one being reported)."""
    this_year = local_date(utcnow()).year
    try:
        year = int(request.args.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    args = {"department": request.args["department"]} if request.args.get("department") else {}
    return redirect(url_for(".disclosure_annual", year=min(max(year, FIRST_YEAR), this_year), **args))


@bp.get("/disclosure/<int:year>")
@roles_required(*READERS)
def disclosure_annual(year):
    table = _table(year)
    return render_template("reports/disclosure_annual.html", table=table, rows=rows(), columns=COLUMNS,
                           dispute_groups=DISPUTE_GROUPS, dispute_results=DISPUTE_RESULTS,
                           years=range(local_date(utcnow()).year, FIRST_YEAR - 1, -1),
                           departments=active_departments() if current_user.role.sees_all_departments else [])


@bp.get("/disclosure/<int:year>.<fmt>")
@roles_required(*READERS)
def disclosure_annual_file(year, fmt):
    table = _table(year)
    scope = table.department.code if table.department else "all"
    if fmt == "xlsx":
        return Response(annual_export.xlsx_bytes(table), headers={
            "Content-Disposition": f"attachment; filename=disclosure-{year}-{scope}.xlsx"},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "csv":
        return Response("\ufeff" + annual_export.csv_text(table), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=disclosure-{year}-{scope}.csv"})
    abort(404)


def _period():
    """?from=…&to=… (local dates); default: the last 30 days up to today."""
    from datetime import timedelta

    from core.calendar.parsing import parse_iso_date
    from core.errors import ValidationError
    today = local_date(utcnow())
    try:
        end = parse_iso_date(request.args["to"]) if request.args.get("to") else today
        start = parse_iso_date(request.args["from"]) if request.args.get("from") else end - timedelta(days=29)
    except ValueError as exc:
        raise ValidationError(f"日期有误：{exc}", field="from") from None
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期", field="from")
    if (end - start).days > 366:
        raise ValidationError("一次最多查看一年", field="to")
    return start, end


def _dashboard(start, end):
    from hotline.catalogue import CATEGORIES
    from hotline.sla import TYPES
    from hotline.intake import CHANNELS as CHANNEL_LABELS
    from reports import hotline_measures as hm
    now = utcnow()
    department = None if current_user.role.sees_all_departments else current_user.department
    m = hm.measures(start, end, now=now, department_id=department.id if department else None)
    names = {d.id: d.name for d in Department.query}
    categories = {code: name for code, name, _ in CATEGORIES}
    ranked, too_small = hm.department_ranking(start, end, now=now) if department is None else ([], [])
    return {
        "from": start.isoformat(), "to": end.isoformat(), "department": department.name if department else None,
        "received": m.received, "avg_handling_hours": round(m.avg_handling_hours, 2) if m.avg_handling_hours else None,
        "rates": {k: {"label": hm.RATE_LABELS[k], **r.as_json()} for k, r in m.rates.items()},
        "by_day": [{"day": d.isoformat(), "count": n} for d, n in sorted(m.by_day.items())],
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
                   for c, a, b in hm.rising_categories(end)],
    }


@bp.get("/hotline")
@roles_required(*READERS)
def hotline_dashboard():
    start, end = _period()
    return render_template("reports/hotline.html", data=_dashboard(start, end))


@bp.get("/hotline.json")
@roles_required(*READERS)
def hotline_dashboard_json():
    start, end = _period()
    return _dashboard(start, end)
