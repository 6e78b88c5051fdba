"""Citizen pages: apply, follow an application, answer a correction notice, read the reply letter."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core import captcha, handoff, pending_uploads
from core.auth import lookup as lookup_codes
from core.auth.models import Role
from core.db import utcnow
from core.downloads import send_pdf, send_upload
from core.errors import DomainError
from core.extensions import db
from core.idempotency import submits_once
from requests_module import access, documents, fees, handling, intake, notices, queries, reasons
from requests_module.access import grant_lookup, require_view
from requests_module.common import ENTITY, due_text, today
from requests_module.forms import ApplicationForm
from requests_module.letter import render_pdf
from requests_module.models import CHANNELS, DELIVERIES, FORMS, DisclosureRequest, RequestAttachment
from requests_module.periods import answer_verdict
from requests_module.presenter import applicant_prefill, public_steps
from requests_module.remedy import issuing_organ

bp = Blueprint("requests", __name__, url_prefix="/requests")


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/")
def index():
    user = _user()
    if user is not None and user.role in access.HANDLERS:
        return redirect(url_for("requests_staff.queue"))
    mine = queries.mine(user) if user is not None and user.role is Role.CITIZEN else []
    return render_template("requests/index.html", mine=mine, lookup_number=lookup_codes.typed(ENTITY))


def _replayed(endpoint, args):
    """A resent application form of this browser session (a retry after a lost answer): the look-up right that
    answer carried in its cookie is granted again, so the application's page shows rather than a 404."""
    req = db.session.get(DisclosureRequest, args["request_id"]) if endpoint == "requests.show" else None
    if req is not None:
        grant_lookup(req)


@bp.route("/new", methods=["GET", "POST"])
@submits_once(replayed=_replayed)
def new():
    form = ApplicationForm()
    refused = captcha.gate()
    token = request.args.get("handoff")
    if token and request.method == "GET":
        _prefill(form, token)
    elif request.method == "GET" and (user := _user()) is not None and user.role is Role.CITIZEN:
        for name, value in applicant_prefill(user).items():
            getattr(form, name).data = value
    kept: list = []
    if form.validate_on_submit() and refused is None:
        user = _user()
        try:
            form.pending_files = pending_uploads.claim(request.form, owner=pending_uploads.owner_key(), now=utcnow())
            req = intake.submit_online(form.service_data(), now=utcnow(), files=form.files(),
                                       citizen=user if user is not None and user.role is Role.CITIZEN else None)
        except DomainError as err:  # ValidationError, or NotTheirs for another session's pending upload
            db.session.rollback()
            for name, message in (getattr(err, "fields", None) or {}).items():
                field = getattr(form, name, None)
                (field.errors.append(message) if field is not None and isinstance(field.errors, list)
                 else form.form_errors.append(message))
            if not getattr(err, "fields", None):
                form.form_errors.append(err.message)
        else:
            if token:
                _spend(token, req)
            captcha.count_submission()
            grant_lookup(req)
            lookup_codes.keep_for_receipt(ENTITY, req.id, req.access_code)
            flash(f"申请已提交，申请编号：{req.number}。请保存下方的查询码，凭编号和查询码可查询办理进度。", "success")
            return redirect(url_for(".show", request_id=req.id))
    if request.method == "POST":
        # A refused form keeps its files server-side (core/pending_uploads.py): they are listed, not chosen again.
        # Never for a form the captcha refused (perhaps a bot): its files are not stored, the form says so.
        kept = pending_uploads.keep_on_form(form, form.attachments, now=utcnow(), store=refused is None)
    return (render_template("requests/new.html", form=form, kept_files=kept, **captcha.context(refused)),
            400 if form.errors or form.form_errors or refused else 200)


def _prefill(form, token):
    """A 12345 caller's hand-over (core/handoff.py): prefill the form, which the applicant reviews and submits
    themselves — the application is made in writing by the applicant (政府信息公开条例 Art. 29)."""
    data = handoff.peek(token, handoff.DISCLOSURE_APPLICATION, now=utcnow())
    if data is None:
        flash("该预填链接已失效（已使用或已过期），请直接填写申请表。", "warning")
        return
    form.applicant_type.data = "person"
    for name in ("name", "phone", "address", "description"):
        if data.get(name):
            getattr(form, name).data = data[name]
    flash("已根据您在 12345 热线反映的内容预填申请表。请核对、补充证件等信息，确认无误后由您本人提交。", "info")


def _spend(token, req):
    from core.db import unit_of_work
    with unit_of_work():
        handoff.spend(token, handoff.DISCLOSURE_APPLICATION, now=utcnow(), ref=req.number)


@bp.get("/lookup", endpoint="lookup_form")
def lookup_form():
    """A bookmarked or reloaded look-up address: the form is on the applications page."""
    return redirect(url_for(".index", _anchor="lookup-h"))


@bp.post("/lookup")
def lookup():
    return lookup_codes.answer_lookup(ENTITY, queries.lookup(request.form.get("number"), request.form.get("code")),
                                      refusal="没有找到匹配的申请：请核对申请编号和查询码。查询码遗失的，可在下方重新获取。",
                                      form_url=url_for(".index", _anchor="lookup-h"), grant=grant_lookup,
                                      page_url=lambda found: url_for(".show", request_id=found.id))


@bp.post("/lookup/code")
def resend_code():
    """A new access code to the phone/email given at submission; the answer never says whether they matched."""
    req = queries.by_contact(request.form.get("number"), request.form.get("contact"))
    if req is not None:
        lookup_codes.reissue(ENTITY, req.id, now=utcnow(), label=f"政府信息公开申请 {req.number} ",
                             phone=req.phone, email=req.email)
    flash("如果申请编号与联系方式相符，新的查询码已发送到申请时填写的手机或邮箱，请注意查收。", "info")
    lookup_codes.keep_typed(ENTITY, request.form.get("number"))  # the look-up form waits for the new code
    return redirect(url_for(".index"))


def _load(request_id):
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    require_view(_user(), req)
    return req


@bp.get("/<int:request_id>")
def show(request_id):
    req = db.session.get(DisclosureRequest, request_id)
    if _user() is None and (req is None or not access.can_view(None, req)):
        return _way_forward(request_id)
    return _show(_load(request_id))


def _way_forward(request_id):
    """An anonymous visitor on an application's address (a link in an SMS or e-mail): log in (back here after)
    or look it up by number and code — the same page, and the same 404, whether or not the id exists."""
    return render_template("requests/sign_in_first.html", next_url=url_for(".show", request_id=request_id),
                           lookup_number=lookup_codes.typed(ENTITY)), 404


def _show(req, reasons_typed="", reasons_error=None, status=200, correction=None):
    fee_notice = fees.notice_paragraphs(req) if req.status == "awaiting_payment" and req.fee_calculation else []
    return render_template("requests/show.html", req=req, due=due_text(req), verdict=answer_verdict(req),
                           steps=public_steps(req),
                           receiving_organ=issuing_organ(req)[0],
                           today=today(utcnow()), receipt_code=lookup_codes.receipt_code(ENTITY, req.id),
                           reasons_typed=reasons_typed, reasons_error=reasons_error, fee_notice=fee_notice,
                           applicant_documents=documents.applicant_documents(req),
                           channels=CHANNELS, deliveries=DELIVERIES, forms=FORMS,
                           files=access.applicant_files(req),
                           can_acknowledge=access.is_applicant(_user(), req),
                           correction=correction or {"text": "", "error": None, "kept": []}), status


@bp.post("/<int:request_id>/documents/<int:document_id>/receipt")
def document_receipt(request_id, document_id):
    """The applicant acknowledges receipt of a notice online (网上签收) and reads it: delivery is recorded on
    that day (documents.acknowledge_online) — a POST with the CSRF token, never a side effect of a link."""
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(_user(), req, "applicant_receipt")
    doc = _applicant_document(req, document_id)
    now = utcnow()
    try:
        documents.acknowledge_online(req, doc, now=now, actor=_user() or f"申请人 {req.name}")
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for(".show", request_id=req.id, _anchor="docs-h"))
    return redirect(url_for(".document_pdf", request_id=req.id, document_id=doc.id))


@bp.get("/<int:request_id>/documents/<int:document_id>.pdf")
def document_pdf(request_id, document_id):
    """A notice addressed to the applicant, as PDF; the applicant reads one not yet delivered after 签收."""
    req = _load(request_id)
    doc = _applicant_document(req, document_id)
    if doc.delivered_on is None and access.is_applicant(_user(), req):
        return _acknowledge_first(req, doc)
    return send_pdf(notices.render_document(req, doc), name=f"{req.number}-{doc.kind_label}.pdf", ascii=f"{req.number}-{doc.kind}.pdf")


def _acknowledge_first(req, doc):
    flash(f"请先签收{doc.kind_label}：签收之日即为送达之日，相关期限自次日起算。", "info")
    return redirect(url_for(".show", request_id=req.id, _anchor="docs-h"))


def _applicant_document(req, document_id):
    try:
        doc = documents.document_of(req, document_id)
    except DomainError:
        abort(404)
    if doc.kind not in documents.APPLICANT_KINDS:
        abort(404)  # a third party's letter is not the applicant's to read
    return doc


@bp.post("/<int:request_id>/reasons")
def reasons_answer(request_id):
    """The applicant explains an apparently massive or repeated application (Art. 35)."""
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(_user(), req, "applicant_reasons")
    now = utcnow()
    text = request.form.get("text") or ""
    try:
        reasons.receive_reasons(req, text=text, on=today(now), now=now, actor=_user() or f"申请人 {req.name}")
    except DomainError as err:
        db.session.rollback()
        return _show(req, reasons_typed=text, reasons_error=err.message, status=err.status)  # typed text kept
    flash("您说明的理由已提交，行政机关将审查后告知结果。", "success")
    return redirect(url_for(".show", request_id=req.id))


@bp.post("/<int:request_id>/correction")
def correction(request_id):
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(_user(), req, "applicant_correction")
    now = utcnow()
    files = [(f.filename, f.read()) for f in request.files.getlist("attachments") if f.filename]
    owner = pending_uploads.owner_key()
    try:
        pending = pending_uploads.claim(request.form, owner=owner, now=now)
        handling.receive_correction(req, text=request.form.get("text"), on=today(now), now=now,
                                    actor=_user() or f"申请人 {req.name}", files=pending + files, by_applicant=True)
    except DomainError as err:
        # the page comes back with the text typed and the files kept server-side (core/pending_uploads.py)
        db.session.rollback()
        kept, problems = pending_uploads.keep(request.form, files, owner=owner, now=now)
        message = "；".join([err.message] + [p + "，未保留，请重新选择" for p in problems if p != err.message])
        return _show(req, status=err.status, correction={"text": request.form.get("text", ""), "error": message,
                                                         "kept": kept})
    else:
        flash("补正材料已提交，答复期限自今日起重新计算。", "success")
    return redirect(url_for(".show", request_id=req.id))


@bp.get("/<int:request_id>/letter.pdf")
def letter(request_id):
    req = _load(request_id)
    if req.status != "closed":
        abort(404)
    doc = documents.latest(req, "reply")
    if doc is not None and doc.delivered_on is None and access.is_applicant(_user(), req):
        # the same rule as every notice (document_pdf): reading it online is its delivery, acknowledged first
        return _acknowledge_first(req, doc)
    return send_pdf(render_pdf(req), name=f"{req.number}-答复书.pdf", ascii=f"{req.number}-reply.pdf")


@bp.get("/<int:request_id>/attachments/<int:attachment_id>")
def attachment(request_id, attachment_id):
    req = _load(request_id)
    att = db.session.get(RequestAttachment, attachment_id)
    if att is None or not access.may_download(_user(), req, att):
        abort(404)
    return send_upload(att, "attachment")
