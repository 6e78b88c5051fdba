"""Staff pages: intake queue, paper registration, the department queue and the handling page."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from core import pending_uploads
from core.api.validation import text_limits
from core.auth.guards import roles_required
from core.db import utcnow
from core.departments.service import disclosing_departments, get_by_code
from core.downloads import send_pdf
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.forms import NO_REFUSAL, KeptState, Refusal, check_text_limits, form_int
from core.idempotency import submits_once
from core.inputs import date_field
from requests_module import (
    access,
    disclosed,
    disputes,
    documents,
    extensions,
    fees,
    handling,
    intake,
    lapses,
    not_held,
    notice_timing,
    notices,
    outcomes,
    periods,
    queries,
    reasons,
    refunds,
    reply,
    reply_drafts,
    reply_templates,
    third_party,
)
from requests_module.common import due_text, today
from requests_module.forms import ApplicationForm
from requests_module.letter import addressee, attachment_lines, render_draft_pdf
from requests_module.models import CHANNELS, Consultation, DisclosureRequest, Dispute
from requests_module.periods import answer_verdict
from requests_module.presenter import DETAIL_LABELS, STEP_LABELS, applicant_facts, staff_timeline
from requests_module.states import Status

bp = Blueprint("requests_staff", __name__, url_prefix="/requests/staff")
HANDLERS, INTAKE = access.HANDLERS, access.INTAKE


@bp.get("/")
@roles_required(*HANDLERS)
def queue():
    now = utcnow()
    user = current_user
    chosen = queries.queue_filter(request.args)
    dep_id = None  # staff and approvers: what access.visible lets them see (handling or issuing department)
    if chosen.get("department"):
        dep = get_by_code(chosen["department"], active_only=False)
        dep_id = dep.id if dep else None
    statuses = [chosen["status"]] if chosen.get("status") else list(queries.HANDLING)
    rows = queries.queue(user=user, department_id=dep_id, statuses=statuses, now=now,
                         urgency_filter=chosen.get("urgency"))
    return render_template("requests/staff_queue.html", rows=rows, departments=disclosing_departments(),
                           statuses=[s for s in Status if s.value in statuses or s.value in queries.OPEN],
                           can_intake=user.role in INTAKE, can_see_lapses=access.can_see_lapses(user),
                           pending_extensions=extensions.awaiting(user))


@bp.get("/intake")
@roles_required(*INTAKE)
def intake_queue():
    now = utcnow()
    rows = queries.queue(statuses=queries.INTAKE_STATUSES, now=now)
    return render_template("requests/intake.html", rows=rows, departments=disclosing_departments(),
                           suggestions={r.id: intake.suggestions(r) for r, _, _ in rows}, today=today(now),
                           outcomes=[o for o in outcomes.OUTCOMES.values() if o.code.startswith("not_processed_")])


@bp.route("/register", methods=["GET", "POST"])
@roles_required(*HANDLERS)
@submits_once
def register():
    form = ApplicationForm()
    now = utcnow()
    department = access.register_department(current_user, None)
    kept = []
    if form.validate_on_submit():
        try:
            received = date_field(request.form, "received_on", required=True, label="收到日期")
            form.pending_files = pending_uploads.claim(request.form, owner=pending_uploads.owner_key(), now=now)
            req = intake.register_paper(form.service_data(), channel=request.form.get("channel", ""),
                                        received_on=received, now=now, actor=current_user, files=form.files(),
                                        department=department)
        except DomainError as err:  # ValidationError, or NotTheirs for another's pending upload
            db.session.rollback()
            form.form_errors.extend(getattr(err, "fields", {}).values() or [err.message])
        else:
            flash(f"已登记 {req.number}，答复期限 {due_text(req)}", "success")
            return redirect(url_for(".intake_queue") if department is None else url_for(".detail", request_id=req.id))
    if request.method == "POST":  # a refused form keeps its files server-side (core/pending_uploads.py)
        kept = pending_uploads.keep_on_form(form, form.attachments, now=now)
    return render_template("requests/register.html", form=form, channels=CHANNELS, today=today(now),
                           department=department, kept_files=kept)


def _load(request_id):
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_view(current_user, req)
    return req


@bp.get("/<int:request_id>")
@roles_required(*HANDLERS)
def detail(request_id):
    return _page(_load(request_id))


KEPT_PREFIX = "kept_reply_"


def _kept_reply(form):
    """The reply values carried in hidden fields through another step (KEPT_PREFIX + name)."""
    return MultiDict([(k[len(KEPT_PREFIX):], v) for k, v in form.items(multi=True) if k.startswith(KEPT_PREFIX)])


def _reply_to_keep(refused):
    """The typed reply every other form on the page carries along: a refused reply's values, or those kept."""
    if refused.action == "reply" and refused.state is not None and refused.state.values is not None:
        state = refused.state
    elif "reply" in refused.kept:
        state = refused.kept["reply"]
    else:
        return []
    skip = ("csrf_token", pending_uploads.FIELD, pending_uploads.REMOVE_FIELD)
    return ([(k, v) for k, v in state.values.items(multi=True) if k not in skip and not k.startswith(KEPT_PREFIX)]
            + [(pending_uploads.FIELD, k.token) for k in state.pending])


def _page(req, refused=NO_REFUSAL, preview=None):
    """The handling page; `refused` fills the one action form that was refused with what was posted;
    `preview` is the letter as it would be issued from the reply form's values."""
    now = utcnow()
    data = queries.represent(req, now)
    kept_reply = _reply_to_keep(refused)  # before a saved draft refills the form: a draft is not carried along
    draft = reply_drafts.load(req, now=now)
    if draft is not None and refused.action != "reply" and "reply" not in refused.kept:
        state = KeptState(draft.values)
        state.pending = draft.files
        refused = refused if refused else Refusal()
        refused.kept = {**refused.kept, "reply": state}
    reply_codes = [c for c in outcomes.OUTCOMES if c not in reply.SYSTEM_OUTCOMES]
    return render_template("requests/staff_detail.html", req=req, data=data, due=due_text(req), today=today(now),
                           applicant=applicant_facts(req),
                           reply_draft=draft, reply_templates=reply_templates.table(reply_codes, addressee(req)[1]),
                           verdict=answer_verdict(req), preview=preview, attachment_lines=attachment_lines,
                           departments=disclosing_departments(), outcomes=outcomes.choices(),
                           not_held_bases=list(not_held.BASES.items()),
                           disclosure_bases=list(disclosed.BASES.items()),
                           suggestions=intake.suggestions(req), events=staff_timeline(req),
                           allowed=access.available_actions(current_user, req),
                           needs_signoff=reply.needs_signoff(req, current_user),
                           dispute_kinds=disputes.KINDS, dispute_results=disputes.RESULTS,
                           refused=refused, kept_reply=kept_reply, kept_prefix=KEPT_PREFIX,
                           field_labels=DETAIL_LABELS, lapse=lapses.lapse_of(req, now), lapse_decisions=lapses.DECISION_LABELS,
                           fee_methods=list(fees.METHODS.items()), fee_calc=fees.from_json(req.fee_calculation),
                           period_text=documents.period_text, notice_flag=notice_timing.flag,
                           extension_requests=extensions.history(req), extension_pending=extensions.pending_of(req),
                           extension_effect=notice_timing.extension_effect, consultation_answers=list(third_party.ANSWERS.items()),
                           answer_label=third_party.label, notice_candidates=third_party.notice_candidates(req),
                           refund_due=refunds.refund_due(req), refund_methods=list(refunds.METHODS.items()), delivery_methods=documents.STAFF_DELIVERY_METHODS,
                           step_labels={**STEP_LABELS, "reply_drafted": "答复待签发", "reply_returned": "退回答复",
                                        "reply_draft_cleared": "清除答复草稿",
                                        "extension_requested": "申请延期（待审批）", "extension_refused": "延期申请未批准",
                                        "document_delivered": "登记送达", "third_party_told": "告知第三方决定公开",
                                        "dispute_filed": "登记复议或诉讼", "dispute_decided": "登记复议或诉讼结果"})


def _date(name="on"):
    return date_field(request.form, name, required=True)


def _department():
    dep = get_by_code(request.form.get("department"))
    if dep is None:
        raise ValidationError("请选择承办部门", field="department")
    return dep


def _new_files():
    """The files chosen in this request (read once: a refusal keeps them as pending uploads)."""
    if "new_files" not in g:
        g.new_files = [(f.filename, f.read()) for f in request.files.getlist("attachments") if f.filename]
    return g.new_files


def _upload_owners():
    """Who may use a pending upload on this page: the clerk, and the application's saved reply draft."""
    return (pending_uploads.owner_key(), reply_drafts.owner(request.view_args["request_id"]))


def _files():
    """The pending uploads the form refers to (used once) and the files chosen now."""
    return pending_uploads.claim(request.form, owner=_upload_owners(), now=utcnow()) + _new_files()


def _keep_files(err=None):
    """After a refusal: keep the chosen files that pass the check as pending uploads; (kept, note on the others)."""
    kept, problems = pending_uploads.keep(request.form, _new_files(), owner=_upload_owners(), now=utcnow())
    shown = set(getattr(err, "fields", {}).values())
    note = "；".join(p for p in problems if p not in shown)
    return kept, (note + "，未保留，请重新选择") if note else ""


def _accepted(form):
    value = form.get("accepted")
    if value not in ("yes", "no"):
        raise ValidationError("请选择理由是否合理", field="accepted")
    return value == "yes"


def _approve(form):
    value = form.get("decision")
    if value not in ("approve", "refuse"):
        raise ValidationError("请选择批准或不批准", field="decision")
    return value == "approve"


def _consultation(req):
    c = db.session.get(Consultation, form_int("consultation") or 0)
    if c is None or c.request_id != req.id:
        raise ValidationError("请选择征求意见", field="consultation")
    return c


def _dispute(req):
    d = db.session.get(Dispute, form_int("dispute") or 0)
    if d is None or d.request_id != req.id:
        raise ValidationError("请选择本申请的复议或诉讼", field="dispute")
    return d


ACTIONS = {
    # Art. 31 (3): a late confirmation is dated the last day of the confirmation period, and the message says so
    "confirm": (lambda r: "；".join(filter(None, ["已确认收到", intake.receipt_note(r)])),
                lambda r, f, n, u: intake.confirm_receipt(r, received_on=_date("received_on"), now=n, actor=u)),
    "assign": ("已分派", lambda r, f, n, u: intake.assign(r, _department(), now=n, actor=u)),
    "reject": ("已按不予处理办结", lambda r, f, n, u: intake.reject(r, outcome=f.get("outcome", ""),
                                                           message=f.get("message"), on=_date(), now=n, actor=u)),
    "reassign": ("已改派", lambda r, f, n, u: handling.reassign(r, _department(), reason=f.get("reason"), now=n,
                                                            actor=u)),
    "correction_notice": ("已发出补正告知", lambda r, f, n, u: handling.send_correction_notice(
        r, items=f.get("items"), guidance=f.get("guidance"), on=_date(), now=n, actor=u)),
    "correction": ("已登记补正", lambda r, f, n, u: handling.receive_correction(
        r, text=f.get("text"), on=_date(), now=n, actor=u, files=_files(), late_reason=f.get("late_reason"))),
    "consult": ("已登记征求意见", lambda r, f, n, u: handling.add_consultation(
        r, kind=f.get("kind"), party=f.get("party"), party_type=f.get("party_type") or None, sent_on=_date(), now=n,
        actor=u)),
    "consult_answer": ("已登记征求意见答复", lambda r, f, n, u: handling.answer_consultation(
        r, _consultation(r), answer=f.get("answer") or None,
        answered_on=None if f.get("answer") == "silent" else _date(), opinion=f.get("opinion"), now=n, actor=u)),
    "fee_refund": ("已登记退费", lambda r, f, n, u: refunds.record_refund(
        r, amount=f.get("amount"), method=f.get("method", ""), note=f.get("note"), on=_date(), now=n, actor=u,
        pages_provided=f.get("pages_provided"))),
    "fee_notice": ("已发出收费通知", lambda r, f, n, u: handling.fee_notice(
        r, method=f.get("method"), quantity=f.get("quantity"), amount=f.get("amount"), on=_date(), now=n, actor=u)),
    "payment": ("已登记缴费", lambda r, f, n, u: handling.record_payment(r, on=_date(), now=n, actor=u,
                                                                     late_reason=f.get("late_reason"))),
    "delivery": ("已登记送达", lambda r, f, n, u: documents.record_delivery(
        r, documents.document_of(r, form_int("document") or 0), method=f.get("method", ""),
        tracking_number=f.get("tracking_number"), delivered_on=_date("delivered_on"), now=n, actor=u)),
    "third_party_notice": ("已发出决定公开告知书", lambda r, f, n, u: handling.tell_third_party_of_disclosure(
        r, _consultation(r), content=f.get("content"), reasons=f.get("reasons"), on=_date(), now=n, actor=u)),
    "lapse_close": ("已按视为放弃办结", lambda r, f, n, u: lapses.decide_abandoned(r, reason=f.get("reason"), now=n,
                                                                           actor=u)),
    "extend": ("已延长答复期限", lambda r, f, n, u: handling.extend(
        r, days=form_int("days", low=1, high=periods.EXTENSION_MAX_WORKDAYS, label="延长天数"), reason=f.get("reason"), on=_date(), now=n, actor=u)),
    "extension_request": ("已提交延期申请，待负责人审批", lambda r, f, n, u: extensions.request_extension(
        r, days=form_int("days", low=1, high=periods.EXTENSION_MAX_WORKDAYS, label="延长天数"), reason=f.get("reason"),
        now=n, actor=u)),
    "extension_decision": (lambda r: "已批准延期" if r.extension_days else "已不批准延期申请，已通知申请延期的承办人",
                           lambda r, f, n, u: extensions.decide(
                               r, extensions.of_request(r, form_int("extension_request")), approve=_approve(f),
                               reason=f.get("refusal_reason"), now=n, actor=u)),
    "reply": ("答复已提交", lambda r, f, n, u: reply.reply(
        r, outcome=f.get("outcome", ""), text=f.get("text"), legal_ground=f.get("legal_ground"),
        holder_organ=f.get("holder_organ"), holder_contact=f.get("holder_contact"),
        not_held_basis=f.get("not_held_basis"), not_ours_reason=f.get("not_ours_reason"),
        disclosure_basis=f.get("disclosure_basis"), disclosure_access=f.get("disclosure_access"), on=_date(), now=n,
        actor=u, files=_files(), paper_number=f.get("paper_number"))),
    "dispute": ("已登记复议或诉讼", lambda r, f, n, u: disputes.file_dispute(
        r, kind=f.get("kind", ""), filed_on=_date("filed_on"), after_reconsideration=f.get("after") == "y",
        note=f.get("note"), today=today(n), now=n, actor=u)),
    "dispute_result": ("已登记复议或诉讼结果", lambda r, f, n, u: disputes.decide_dispute(
        r, _dispute(r), result=f.get("result", ""), decided_on=_date("decided_on"), today=today(n), now=n,
        actor=u)),
    "reason_request": ("已要求申请人说明理由", lambda r, f, n, u: reasons.request_reasons(
        r, items=f.get("items"), on=_date(), now=n, actor=u)),
    "reasons": ("已登记申请人说明的理由", lambda r, f, n, u: reasons.receive_reasons(
        r, text=f.get("text"), on=_date(), now=n, actor=u)),
    "reason_decision": ("已认定申请理由", lambda r, f, n, u: reasons.decide_reasons(
        r, accepted=_accepted(f), on=_date(), now=n, actor=u,
        delay_until=date_field(f, "delay_until", label="延迟答复期限"))),
    "sign_off": ("已签发", lambda r, f, n, u: reply.sign_off(r, approve=True, now=n, actor=u)),
    "return_reply": ("已退回修改", lambda r, f, n, u: reply.sign_off(r, approve=False, note=f.get("note", ""),
                                                                 now=n, actor=u)),
}


# The form of an action that the page shows once per consultation or dispute: the field naming which.
ITEM_FIELDS = {"extension_decision": "extension_request", "consult_answer": "consultation", "dispute_result": "dispute", "delivery": "document",
               "third_party_notice": "consultation"}
# Domain field names that are another input on the page (the API names each date after its meaning).
FIELD_ALIASES = {"consult": {"sent_on": "on"}, "consult_answer": {"answered_on": "on"}}
# The API operation doing the same step as each page action: the page applies its text limits (maxLength), so a
# text the API would refuse is never stored from the page either (nor cut short).
_R = "/disclosure-requests/{request_id}"
API_TWINS = {"confirm": _R + "/confirm-receipt", "assign": _R + "/assign", "reject": _R + "/reject",
             "reassign": _R + "/assign", "correction_notice": _R + "/correction-notice",
             "correction": _R + "/correction", "consult": _R + "/consultations",
             "consult_answer": _R + "/consultations/{consultation_id}/answer", "fee_refund": _R + "/fee-refund",
             "fee_notice": _R + "/fee-notice", "payment": _R + "/payment",
             "delivery": _R + "/documents/{document_id}/delivery",
             "third_party_notice": _R + "/consultations/{consultation_id}/disclosure-notice",
             "lapse_close": _R + "/lapse-decision", "extend": _R + "/extension", "reply": _R + "/reply",
             "extension_request": _R + "/extension-requests",
             "extension_decision": _R + "/extension-requests/{extension_request_id}/decision",
             "dispute": _R + "/disputes", "dispute_result": _R + "/disputes/{dispute_id}/result",
             "reason_request": _R + "/reason-request", "reasons": _R + "/reasons",
             "reason_decision": _R + "/reason-decision", "sign_off": _R + "/sign-off", "return_reply": _R + "/sign-off"}


FILE_ACTIONS = ("reply", "correction")  # the action forms with a file input


def _kept_state(values):
    """A reply form refilled with values carried through another step, its pending uploads listed again."""
    state = KeptState(values)
    state.pending = pending_uploads.listed(pending_uploads.posted_tokens(values), owner=_upload_owners(),
                                           now=utcnow())
    return state


@bp.get("/lapsed")
@roles_required(*access.LAPSE_DECIDERS)
def lapsed():
    """The decision list: periods that seem to have run out but were not closed automatically."""
    now = utcnow()
    rows = lapses.decision_list(access.visible(DisclosureRequest.query, DisclosureRequest, current_user), now)
    return render_template("requests/lapsed.html", rows=rows)


@bp.get("/<int:request_id>/documents/<int:document_id>.pdf")
@roles_required(*HANDLERS)
def document_pdf(request_id, document_id):
    """A document of the application as PDF (补正告知书, 延期告知书, 征求意见书, 收费通知书, 答复书)."""
    req = _load(request_id)
    try:
        doc = documents.document_of(req, document_id)
    except ValidationError:
        abort(404)
    return send_pdf(notices.render_document(req, doc), name=f"{req.number}-{doc.kind_label}-{doc.id}.pdf", ascii=f"{req.number}-{doc.kind}-{doc.id}.pdf")


@bp.post("/<int:request_id>/reply-preview")
@roles_required(*HANDLERS)
def reply_preview(request_id):
    """Show the letter as it will be issued (no document number, marked 草稿) above the refilled reply form;
    nothing is saved until the reply itself is submitted (issue 15 item 9)."""
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(current_user, req, "reply")
    f = request.form
    try:
        letter = reply.preview(req, outcome=f.get("outcome", ""), text=f.get("text"),
                               legal_ground=f.get("legal_ground"), holder_organ=f.get("holder_organ"),
                               holder_contact=f.get("holder_contact"), not_held_basis=f.get("not_held_basis"),
                               not_ours_reason=f.get("not_ours_reason"), disclosure_basis=f.get("disclosure_basis"),
                               disclosure_access=f.get("disclosure_access"), on=_date(), now=utcnow(),
                               actor=current_user, paper_number=f.get("paper_number"),
                               files=pending_uploads.peek(f, owner=_upload_owners(), now=utcnow()) + _new_files())
    except DomainError as err:
        db.session.rollback()
        pending, note = _keep_files(err)
        refused = Refusal("reply", err, f, pending=pending, files_note=note)
        return _page(req, refused), refused.status
    pending, note = _keep_files()
    kept = Refusal("reply", None, f)
    kept.state = KeptState(f, bool(note))
    kept.state.pending = pending
    return _page(req, kept, preview=letter)


def _reply_form(request_id):
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(current_user, req, "reply")
    return req


@bp.post("/<int:request_id>/reply-template")
@roles_required(*HANDLERS)
def reply_template(request_id):
    """插入模板 without script: the reply form comes back with the chosen outcome's standard text added to the text
    box (requests_module/reply_templates.py) and every other field, file included, as it was."""
    req = _reply_form(request_id)
    f = request.form
    pending, note = _keep_files()
    if f.get("outcome", "") not in reply_templates.table([c for c, _ in outcomes.choices()]) \
            or f.get("outcome") in reply.SYSTEM_OUTCOMES:
        refused = Refusal("reply", ValidationError("请先选择答复结果，再插入模板", field="outcome"), f,
                          pending=pending, files_note=note)
        return _page(req, refused), refused.status
    try:
        filled = reply_templates.fill(f.to_dict(), f["outcome"], addressee(req)[1])
    except ValidationError as e:  # the text depends on a 情形 not yet chosen
        refused = Refusal("reply", e, f, pending=pending, files_note=note)
        return _page(req, refused), refused.status
    values = MultiDict([(k, v) for k, v in f.items(multi=True) if k not in ("text", "legal_ground")])
    for name, value in filled.items():
        if name in ("text", "legal_ground"):
            values.add(name, value)
    kept = Refusal("reply", None, values)
    kept.state = KeptState(values, bool(note))
    kept.state.pending = pending
    return _page(req, kept)


@bp.post("/<int:request_id>/reply-draft")
@roles_required(*HANDLERS)
def reply_draft(request_id):
    """保存草稿: the reply form's values and files are saved without submitting; the page refills the form from them."""
    req = _reply_form(request_id)
    try:
        check_text_limits(request.form, text_limits(API_TWINS["reply"]))
        problems = reply_drafts.save(req, request.form, files=_new_files(), uploader=pending_uploads.owner_key(),
                                     now=utcnow(), actor=current_user)
    except DomainError as err:
        db.session.rollback()
        pending, note = _keep_files(err)
        refused = Refusal("reply", err, request.form, pending=pending, files_note=note)
        return _page(req, refused), refused.status
    flash("答复草稿已保存。" + ("；".join(problems) + "，未保存。" if problems else ""),
          "warning" if problems else "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.get("/<int:request_id>/letter-draft.pdf")
@roles_required(*HANDLERS)
def letter_draft(request_id):
    """The letter of a reply awaiting sign-off, as a PDF marked 草稿（预览） without a document number."""
    req = _load(request_id)
    if req.status != Status.AWAITING_SIGNOFF.value:
        abort(404)
    return send_pdf(render_draft_pdf(reply.draft_letter(req)), name=f"{req.number}-答复书-草稿.pdf", ascii=f"{req.number}-reply-draft.pdf")


@bp.post("/<int:request_id>/<action>")
@roles_required(*HANDLERS)
@submits_once
def act(request_id, action):
    if action not in ACTIONS:
        abort(404)
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_act(current_user, req, action)
    done, fn = ACTIONS[action]
    from_intake = action in ("confirm", "assign", "reject") and request.form.get("from") == "intake"
    # A reply typed, refused (e.g. "请先登记退费") and carried through this step in hidden fields (KEPT_PREFIX)
    # comes back into the reply form afterwards, whatever this step's answer: nothing typed is lost.
    kept = {} if action == "reply" else _kept_reply(request.form)
    kept_forms = {"reply": _kept_state(kept)} if kept else None
    try:
        check_text_limits(request.form, text_limits(API_TWINS[action]))
        fn(req, request.form, utcnow(), current_user)
    except DomainError as err:  # ValidationError (400) or a state conflict (409)
        db.session.rollback()
        if from_intake:
            flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
            return redirect(url_for(".intake_queue"))
        # Re-render the page with the posted values in the refused form: nothing typed is lost.
        pending, note = _keep_files(err) if action in FILE_ACTIONS else ([], "")
        refused = Refusal(action, err, request.form, item=request.form.get(ITEM_FIELDS.get(action, "")),
                          aliases=FIELD_ALIASES.get(action), kept=kept_forms, pending=pending, files_note=note)
        return _page(req, refused), refused.status
    flash(f"{req.number}：{done(req) if callable(done) else done}。", "success")
    if kept and req.status == Status.ASSIGNED.value:
        flash("之前填写的答复内容（含已上传的附件）已保留在答复表单中。", "info")
        return _page(req, Refusal(kept=kept_forms))
    return redirect(url_for(".intake_queue") if from_intake else url_for(".detail", request_id=req.id))
