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
