"""Admin page for the SLA limits: the defaults of DESIGN §3 and the overrides admins add (hotline/sla_admin.py)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db
from hotline import sla, sla_admin
from hotline.models import SlaRule

bp = Blueprint("hotline_sla", __name__, url_prefix="/admin/sla")


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():
    if request.method == "POST":
        try:
            sla_admin.add_sla_rule(request.form, now=utcnow(), actor=current_user)
        except ValidationError as err:
            flash(err.message, "danger")
        else:
            flash("已添加时限规则，此后新开始的计时按新规则计算。", "success")
        return redirect(url_for(".index"))
    return render_template("hotline/sla.html", rules=sla_admin.rules(), defaults=sla_admin.default_limits(),
                           handling_days=sla.HANDLING_WORKDAYS, clocks=sla_admin.CLOCKS, units=sla_admin.UNITS,
                           types=sla.TYPES, urgencies=sla.URGENCIES, workday_hours=sla.WORKDAY_HOURS)


@bp.post("/<int:rule_id>/delete")
@roles_required(Role.ADMIN)
def delete(rule_id):
    rule = db.session.get(SlaRule, rule_id) or abort(404)
    sla_admin.delete_sla_rule(rule, now=utcnow(), actor=current_user)
    flash("已删除时限规则。", "success")
    return redirect(url_for(".index"))
