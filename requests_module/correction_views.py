"""Pages of correction requests (条例 Art. 41): the citizen's form and their own requests; the staff queue,
paper registration and the handling page where the organ decides. Who sees what: requests_module/access.py."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.audit import history
from core.auth.guards import roles_required
from core.auth.models import Role
from core.clocks.service import urgency_of
from core.db import utcnow
from core.departments.models import Department
from core.downloads import send_named, upload_ascii
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.forms import FormState, apply_domain_error, form_date
from core.inputs import parse_date
from core.uploads import path_for
from core.worktime import Urgency
from requests_module import access, corrections
from requests_module.common import today
from requests_module.correction_forms import CorrectionForm, PaperCorrectionForm
from requests_module.correction_letter import render_pdf
from requests_module.correction_models import DECISIONS, ENTITY, CorrectionEvidence, CorrectionRequest
from requests_module.presenter import audit_row

bp = Blueprint("corrections", __name__, url_prefix="/corrections")
staff_bp = Blueprint("corrections_staff", __name__, url_prefix="/corrections/staff")


def _department(code):
    return Department.query.filter_by(code=code or "", active=True).first()


def _refuse(form, err):
    """Put a domain refusal on the form's fields; chosen files cannot be kept (the browser must send them again)."""
    for name, message in (err.fields or {"": err.message}).items():
        apply_domain_error(form, ValidationError(message, field=name or None))
    if any(getattr(f, "filename", "") for f in (form.evidence.data or [])):
        form.evidence.errors = list(form.evidence.errors) + ["请重新选择证据材料"]


def _load(correction_id):
    cr = db.session.get(CorrectionRequest, correction_id) or abort(404)
    access.require_view_correction(current_user if current_user.is_authenticated else None, cr)
    return cr


@bp.get("/")
@roles_required(Role.CITIZEN)
def index():
    mine = (CorrectionRequest.query.filter_by(citizen_id=current_user.id)
            .order_by(CorrectionRequest.id.desc()).all())
    return render_template("corrections/index.html", mine=mine)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.CITIZEN)
def new():
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            cr = corrections.submit_online(form.service_data(), department=_department(form.department.data),
                                           now=utcnow(), citizen=current_user, files=form.files())
        except ValidationError as err:
            _refuse(form, err)
        else:
            flash(f"更正申请已提交，申请编号：{cr.number}。", "success")
            return redirect(url_for(".show", correction_id=cr.id))
    failed = bool(form.errors or form.form_errors)
    return (render_template("corrections/new.html", form=form, staff=False, today=today(utcnow())),
            400 if failed else 200)


@bp.get("/<int:correction_id>")
def show(correction_id):
    cr = _load(correction_id)
    return render_template("corrections/show.html", cr=cr, staff=False)


@bp.get("/<int:correction_id>/letter.pdf")
def letter(correction_id):
    cr = _load(correction_id)
    if cr.decision is None:
        abort(404)
    return send_named(io.BytesIO(render_pdf(cr)), mimetype="application/pdf", as_attachment=False,
                      name=f"{cr.number}-答复书.pdf", ascii=f"{cr.number}-reply.pdf")


@bp.get("/<int:correction_id>/evidence/<int:evidence_id>")
def evidence(correction_id, evidence_id):
    cr = _load(correction_id)
    ev = db.session.get(CorrectionEvidence, evidence_id)
    if ev is None or ev.correction_id != cr.id:
        abort(404)
    return send_named(path_for(ev.stored_name), mimetype=ev.content_type, as_attachment=True,
                      name=ev.filename, ascii=upload_ascii(ev.filename, "evidence", ev.id))


@staff_bp.get("/")
@roles_required(*access.HANDLERS)
def queue():
    now = utcnow()
    closed = request.args.get("closed") == "1"
    q = CorrectionRequest.query.filter(CorrectionRequest.status == ("closed" if closed else "received"))
    q = access.visible_corrections(q, CorrectionRequest, current_user)
    items = q.order_by(CorrectionRequest.id.desc()).limit(500).all()
    rows = []
    for cr in items:
        clock = corrections.answer_clock(cr)
        rows.append((cr, clock, urgency_of(clock, now) if clock is not None else Urgency.NORMAL))
    return render_template("corrections/staff_queue.html", rows=rows, closed=closed)


@staff_bp.route("/register", methods=["GET", "POST"])
@roles_required(*access.HANDLERS)
def register():
    form = PaperCorrectionForm()
    now = utcnow()
    fixed = access.register_department(current_user, None)
    if form.validate_on_submit():
        department = fixed or _department(form.department.data)
        try:
            try:
                received = parse_date(form.received_on.data or "")
            except ValueError as exc:
                raise ValidationError(f"收到日期：{exc}", field="received_on") from None
            cr = corrections.register_paper(form.service_data(), department=department, channel=form.channel.data,
                                            received_on=received, now=now, actor=current_user, files=form.files())
        except ValidationError as err:
            _refuse(form, err)
        else:
            flash(f"已登记更正申请 {cr.number}。", "success")
            return redirect(url_for(".detail", correction_id=cr.id))
    failed = bool(form.errors or form.form_errors)
    return (render_template("corrections/new.html", form=form, staff=True, fixed=fixed, today=today(now)),
            400 if failed else 200)


def _page(cr, state=None, status=200):
    now = utcnow()
    clock = corrections.answer_clock(cr)
    departments = {d.code: d.name for d in Department.query.all()}
    events = [audit_row(e, departments) for e in history(ENTITY, cr.id)]
    return render_template("corrections/staff_detail.html", cr=cr, clock=clock, decisions=DECISIONS, events=events,
                           step_labels={"submitted": "收到更正申请", "decided": "作出处理决定"},
                           urgency=urgency_of(clock, now) if clock is not None else None, today=today(now),
                           may_decide=access.can_decide_correction(current_user, cr),
                           state=state or FormState()), status


@staff_bp.get("/<int:correction_id>")
@roles_required(*access.HANDLERS)
def detail(correction_id):
    return _page(_load(correction_id))


@staff_bp.post("/<int:correction_id>/decide")
@roles_required(*access.HANDLERS)
def decide(correction_id):
    cr = db.session.get(CorrectionRequest, correction_id) or abort(404)
    access.require_decide_correction(current_user, cr)
    f = request.form
    try:
        corrections.decide_correction(cr, decision=f.get("decision", ""), text=f.get("text"), organ=f.get("organ"),
                           on=form_date("on", label="答复日期"), now=utcnow(), actor=current_user)
    except DomainError as err:  # bad input (400) or a step the state does not allow (409)
        db.session.rollback()
        fields = getattr(err, "fields", None) or {}
        return _page(cr, FormState(f, fields, err.message), err.status)
    flash(f"{cr.number}：已作出处理决定，答复书已生成。", "success")
    return redirect(url_for(".detail", correction_id=cr.id))
