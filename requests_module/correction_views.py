"""Pages of correction requests (条例 Art. 41): the citizen's form and their own requests; the staff queue,
paper registration and the handling page where the organ decides. Who sees what: requests_module/access.py."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core import pending_uploads
from core.audit import history
from core.auth.guards import roles_required
from core.auth.models import Role
from core.clocks.service import urgency_of
from core.db import utcnow
from core.departments.models import Department
from core.departments.service import get_by_code
from core.downloads import send_pdf, send_upload
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.forms import FormState, apply_domain_error, form_date
from core.idempotency import submits_once
from core.inputs import date_field
from core.worktime import Urgency
from requests_module import access, corrections
from requests_module.common import today
from requests_module.correction_forms import CorrectionForm, PaperCorrectionForm
from requests_module.correction_letter import render_pdf
from requests_module.correction_models import DECISIONS, ENTITY, CorrectionEvidence, CorrectionRequest
from requests_module.presenter import audit_row

bp = Blueprint("corrections", __name__, url_prefix="/corrections")
staff_bp = Blueprint("corrections_staff", __name__, url_prefix="/corrections/staff")


def _refuse(form, err):
    """Put a domain refusal on the form's fields (chosen files are kept as pending uploads: _form_page)."""
    for name, message in (getattr(err, "fields", None) or {"": err.message}).items():
        apply_domain_error(form, ValidationError(message, field=name or None))


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


def _form_page(form, submit, done, page, **context):
    """The correction form, the citizen's or the staff's: a valid form runs `submit` (the use case) and goes to the
    request's `page` with the message `done(cr)`; a refusal goes onto the form's fields (400)."""
    if form.validate_on_submit():
        try:
            form.pending_files = pending_uploads.claim(request.form, owner=pending_uploads.owner_key(), now=utcnow())
            cr = submit()
        except DomainError as err:  # ValidationError, or NotTheirs for another's pending upload
            db.session.rollback()
            _refuse(form, err)
        else:
            flash(done(cr), "success")
            return redirect(url_for(page, correction_id=cr.id))
    # a refused form keeps its evidence server-side (core/pending_uploads.py): listed, not chosen again
    kept = pending_uploads.keep_on_form(form, form.evidence, now=utcnow(), label="证据材料") \
        if request.method == "POST" else []
    failed = bool(form.errors or form.form_errors)
    return (render_template("corrections/new.html", form=form, today=today(utcnow()), kept_files=kept, **context),
            400 if failed else 200)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.CITIZEN)
@submits_once
def new():
    form = CorrectionForm()
    return _form_page(form, lambda: corrections.submit_online(
        form.service_data(), department=get_by_code(form.department.data), now=utcnow(), citizen=current_user,
        files=form.files()), lambda cr: f"更正申请已提交，申请编号：{cr.number}。", ".show", staff=False)


@bp.get("/<int:correction_id>")
def show(correction_id):
    cr = _load(correction_id)
    return render_template("corrections/show.html", cr=cr, staff=False)


@bp.get("/<int:correction_id>/letter.pdf")
def letter(correction_id):
    cr = _load(correction_id)
    if cr.decision is None:
        abort(404)
    return send_pdf(render_pdf(cr), name=f"{cr.number}-答复书.pdf", ascii=f"{cr.number}-reply.pdf")


@bp.get("/<int:correction_id>/evidence/<int:evidence_id>")
def evidence(correction_id, evidence_id):
    cr = _load(correction_id)
    ev = db.session.get(CorrectionEvidence, evidence_id)
    if ev is None or ev.correction_id != cr.id:
        abort(404)
    return send_upload(ev, "evidence")


def queue_filter(args: Any) -> dict[str, str]:
    """The correction queue's filter: closed=1 lists the decided ones (also for saved filters, core/saved_filters.py)."""
    return {"closed": "1"} if args.get("closed") == "1" else {}


@staff_bp.get("/")
@roles_required(*access.HANDLERS)
def queue():
    now = utcnow()
    closed = queue_filter(request.args).get("closed") == "1"
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
    fixed = access.register_department(current_user, None)

    def submit():
        received = date_field({"received_on": form.received_on.data}, "received_on", required=True, label="收到日期")
        return corrections.register_paper(form.service_data(), department=fixed or get_by_code(form.department.data),
                                          channel=form.channel.data, received_on=received, now=utcnow(),
                                          actor=current_user, files=form.files())
    return _form_page(form, submit, lambda cr: f"已登记更正申请 {cr.number}。", ".detail", staff=True, fixed=fixed)


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
