"""Admin pages for departments."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from core.auth.guards import roles_required, staff_required
from core.auth.models import Role
from core.db import utcnow
from core.departments import service
from core.departments.forms import DepartmentForm
from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from core.forms import apply_domain_error

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

bp = Blueprint("departments", __name__, url_prefix="/admin/departments")


@bp.get("/")
@staff_required
def index() -> ResponseReturnValue:
    departments = Department.query.order_by(Department.kind, Department.id).all()
    return render_template("admin/departments.html", departments=departments)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create() -> ResponseReturnValue:
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            dep = service.create_department({**form.data_for_service(), "code": form.code.data},
                                            now=utcnow(), actor=current_user)
            if form.keyword_list():
                service.update_department(dep, {}, now=utcnow(), actor=current_user, keywords=form.keyword_list())
        except ValidationError as err:
            apply_domain_error(form, err)
        else:
            flash(f"已新增部门：{dep.name}", "success")
            return redirect(url_for(".index"))
    return render_template("admin/department_form.html", form=form, department=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(code: str) -> ResponseReturnValue:
    dep = service.get_by_code(code, active_only=False) or abort(404)
    form = DepartmentForm(obj=dep)
    if not form.is_submitted():
        extra = next((t for t in dep.topics or [] if t.get("topic") == "管理员补充"), None)
        form.keywords.data = "、".join(extra["keywords"]) if extra else ""
        parent = db.session.get(Department, dep.parent_id) if dep.parent_id else None
        form.parent.data = parent.code if parent else ""
    form.code.data = dep.code  # the code is stable: other records and URLs refer to it
    if form.validate_on_submit():
        try:
            service.update_department(dep, form.data_for_service(), now=utcnow(), actor=current_user,
                                      keywords=form.keyword_list())
        except ValidationError as err:
            apply_domain_error(form, err)  # the typed values stay on the page
        else:
            flash(f"已保存：{dep.name}", "success")
            return redirect(url_for(".index"))
    return render_template("admin/department_form.html", form=form, department=dep)
