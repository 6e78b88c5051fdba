"""报表: the annual disclosure report (sections 三, 四 and 六) on a page and as XLSX/CSV downloads; the hotline and
disclosure dashboards (page and JSON). The reports and dashboards read from the replica when there is one
(core/replica.py); report runs, the requester's own, stay on the primary."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.calendar.service import local_date
from core.db import utcnow
from core.departments.models import Department
from core.departments.service import disclosing_departments, get_by_code
from core.downloads import send_pdf
from core.errors import ValidationError
from core.inputs import date_field
from core.replica import replica_reads
from reports import annual_export, presenter, runs
from reports.disclosure_annual import (
    COLUMNS,
    DISPUTE_GROUPS,
    DISPUTE_RESULTS,
    FEE_COLUMNS,
    FEE_NOTES,
    FEE_ROWS,
    annual_table,
    rows,
)
from reports.models import RunStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask.typing import ResponseReturnValue

    from reports.disclosure_annual import AnnualTable

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = (Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)
FIRST_YEAR = 2008  # the first year of the disclosure regulations


def _scope() -> Department | None:
    """The department the report covers: supervisors and admins choose (none = the whole government);
    department staff and approvers always get their own."""
    if not current_user.role.sees_all_departments:
        return _own_department()
    code = (request.args.get("department") or "").strip().lower()
    if not code:
        return None
    return get_by_code(code, active_only=False) or abort(404)


def _table(year: int) -> AnnualTable:
    if not FIRST_YEAR <= year <= local_date(utcnow()).year:
        abort(404)
    return annual_table(year, _scope())


@bp.get("/disclosure/")
@roles_required(*READERS)
def disclosure_index() -> ResponseReturnValue:
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
@replica_reads
def disclosure_annual(year: int) -> ResponseReturnValue:
    table = _table(year)
    return render_template("reports/disclosure_annual.html", table=table, rows=rows(), columns=COLUMNS,
                           dispute_groups=DISPUTE_GROUPS, dispute_results=DISPUTE_RESULTS,
                           fee_rows=FEE_ROWS, fee_columns=FEE_COLUMNS, fee_notes=FEE_NOTES,
                           years=range(local_date(utcnow()).year, FIRST_YEAR - 1, -1),
                           departments=disclosing_departments() if current_user.role.sees_all_departments else [])


@bp.get("/disclosure/<int:year>.<fmt>")
@roles_required(*READERS)
@replica_reads
def disclosure_annual_file(year: int, fmt: str) -> ResponseReturnValue:
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


def _period(default_start: Callable[[date], date] | None = None) -> tuple[date, date]:
    """from=…&to=… (local dates, query or form); default: `default_start(end)` or the last 30 days up to today."""
    today, values = local_date(utcnow()), request.values
    end = date_field(values, "to", default=today, label="日期有误")
    start = date_field(values, "from", label="日期有误") or (
        default_start(end) if default_start else end - timedelta(days=29))
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期", field="from")
    if (end - start).days > 366:
        raise ValidationError("一次最多查看一年", field="to")
    return start, end


def _own_department() -> Department | None:
    return None if current_user.role.sees_all_departments else current_user.department


@bp.get("/hotline")
@roles_required(*READERS)
@replica_reads
def hotline_dashboard() -> ResponseReturnValue:
    start, end = _period()
    return render_template("reports/hotline.html", data=presenter.hotline(start, end, utcnow(), _own_department()))


@bp.get("/hotline.json")
@roles_required(*READERS)
@replica_reads
def hotline_dashboard_json() -> ResponseReturnValue:
    start, end = _period()
    return presenter.hotline(start, end, utcnow(), _own_department())


@bp.get("/hotline/assessment.pdf")
@roles_required(*READERS)
@replica_reads
def hotline_assessment_pdf() -> ResponseReturnValue:
    """The monthly assessment report (?month=2026-11, default last month); department staff get their own row
    only (the dashboard's rule)."""
    from reports import assessment_pdf
    from reports.assessment_presenter import assessment
    from reports.hotline_assessment import month_bounds
    now = utcnow()
    today = local_date(now)
    month = request.args.get("month") or (date(today.year, today.month, 1) - timedelta(days=1)).strftime("%Y-%m")
    start, end = month_bounds(month)
    month = start.strftime("%Y-%m")
    data = assessment(start, end, now, _own_department())
    pdf = assessment_pdf.render(data, month=month, generated=today)
    return send_pdf(pdf, name=f"12345考核报告-{month}.pdf", ascii=f"hotline-assessment-{month}.pdf")


def _year_start(end: date) -> date:
    return date(end.year, 1, 1)


@bp.get("/disclosure/dashboard")
@roles_required(*READERS)
@replica_reads
def disclosure_dashboard() -> ResponseReturnValue:
    start, end = _period(_year_start)
    return render_template("reports/disclosure_dashboard.html",
                           data=presenter.disclosure(start, end, utcnow(), _own_department()))


@bp.get("/disclosure/dashboard.json")
@roles_required(*READERS)
@replica_reads
def disclosure_dashboard_json() -> ResponseReturnValue:
    start, end = _period(_year_start)
    return presenter.disclosure(start, end, utcnow(), _own_department())


@bp.post("/runs")
@roles_required(*READERS)
def run_request() -> ResponseReturnValue:
    """Queue a report job (CSRF-checked form); the status page follows its progress."""
    start, end = _period()
    run = runs.request_run(request.form.get("kind", ""), {"from": start.isoformat(), "to": end.isoformat()},
                           user=current_user, department=_own_department(), now=utcnow())
    return redirect(url_for(".run_status", run_id=run.id))


@bp.get("/runs/")
@roles_required(*READERS)
def run_list() -> ResponseReturnValue:
    return render_template("reports/runs.html", runs=runs.runs_of(current_user), kinds=runs.KINDS)


@bp.get("/runs/<int:run_id>")
@roles_required(*READERS)
def run_status(run_id: int) -> ResponseReturnValue:
    """The run's progress; htmx asks again every two seconds for the status part until it is done."""
    run = runs.run_of(current_user, run_id) or abort(404)
    template = "reports/_run_status.html" if request.headers.get("HX-Request") else "reports/run.html"
    return render_template(template, run=run, kind=runs.KINDS[run.kind])


@bp.get("/runs/<int:run_id>/file")
@roles_required(*READERS)
def run_file(run_id: int) -> ResponseReturnValue:
    run = runs.run_of(current_user, run_id) or abort(404)
    if run.state is not RunStatus.DONE:
        abort(404)
    return Response(run.content, mimetype=run.content_type,
                    headers={"Content-Disposition": f"attachment; filename={run.filename}"})
