"""Admin page for the SLA limits: the defaults of DESIGN §3 and the overrides admins add."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core import audit
from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import unit_of_work, utcnow
from core.errors import ValidationError
from core.extensions import db
from hotline import sla
from hotline.models import Category, SlaRule

bp = Blueprint("hotline_sla", __name__, url_prefix="/admin/sla")
CLOCKS = {"dispatch": "派单", "sign_for": "签收", "return_window": "退单时限", "handling": "办理", "callback": "回访",
          "first_contact": "首次联系", "supervision_feedback": "督办反馈"}
UNITS = {"workhours": "工作小时", "wall": "自然小时"}


def _clean(form):
    errors = {}
    clock, unit = form.get("clock"), form.get("unit")
    if clock not in CLOCKS:
        errors["clock"] = "请选择时限"
    if unit not in UNITS:
        errors["unit"] = "请选择计时方式"
    type_ = form.get("type") or None
    if type_ is not None and type_ not in sla.TYPES:
        errors["type"] = "诉求类型无效"
    urgency = form.get("urgency") or None
    if urgency is not None and urgency not in sla.URGENCIES:
        errors["urgency"] = "紧急程度无效"
    prefix = (form.get("category_prefix") or "").strip() or None
    if prefix is not None and db.session.get(Category, prefix) is None:
        errors["category_prefix"] = "分类代码不存在"
    try:
        hours = float(form.get("hours", ""))
        if not 0 < hours <= 24 * 60:
            raise ValueError
    except ValueError:
        errors["hours"] = "时长应为大于 0 的小时数"
        hours = None
    if errors:
        raise ValidationError("；".join(errors.values()), fields=errors)
    return dict(clock=clock, unit=unit, type=type_, urgency=urgency, category_prefix=prefix, hours=hours)


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():
    if request.method == "POST":
        try:
            data = _clean(request.form)
            with unit_of_work():
                rule = SlaRule(**data)
                db.session.add(rule)
                db.session.flush()
                audit.log_change(now=utcnow(), actor=current_user, entity_kind="sla_rule", entity_id=rule.id,
                             action="created", after=data)
        except ValidationError as err:
            flash(err.message, "danger")
        else:
            flash("已添加时限规则，此后新开始的计时按新规则计算。", "success")
        return redirect(url_for(".index"))
    defaults = [(CLOCKS[c], sla.URGENCIES[u], UNITS[lim.unit], lim.hours)  # limit(): the configured return window
                for (c, u), lim in ((k, sla.limit(k[0], type_="complaint", urgency=k[1])) for k in sla.DEFAULTS)]
    return render_template("hotline/sla.html", rules=SlaRule.query.order_by(SlaRule.id).all(), defaults=defaults,
                           handling_days=sla._HANDLING_DAYS, clocks=CLOCKS, units=UNITS, types=sla.TYPES,
                           urgencies=sla.URGENCIES)


@bp.post("/<int:rule_id>/delete")
@roles_required(Role.ADMIN)
def delete(rule_id):
    rule = db.session.get(SlaRule, rule_id) or abort(404)
    with unit_of_work():
        audit.log_change(now=utcnow(), actor=current_user, entity_kind="sla_rule", entity_id=rule.id, action="deleted",
                     before={"clock": rule.clock, "hours": rule.hours, "unit": rule.unit})
        db.session.delete(rule)
    flash("已删除时限规则。", "success")
    return redirect(url_for(".index"))
