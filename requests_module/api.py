"""JSON API of disclosure applications: staff register them and take every handling step."""
from flask import abort, jsonify, request

from core.api import api_user, json_body, make_api_blueprint
from core.auth.guards import roles_required
from core.db import utcnow
from core.departments.service import require_by_code
from core.errors import ValidationError
from core.extensions import db
from core.inputs import date_field
from requests_module import access, disputes, documents, extensions, handling, intake, lapses, reasons, refunds, reply
from requests_module.common import today
from requests_module.models import Consultation, DisclosureRequest, Dispute
from requests_module.openapi import PATHS, SCHEMAS
from requests_module.queries import filtered, represent

handlers_only = roles_required(*access.HANDLERS)  # operators have no part in disclosure applications
bp = make_api_blueprint("requests_api", __name__, "/api/v1/disclosure-requests")

from core.api.openapi import register_paths  # noqa: E402

register_paths(PATHS, SCHEMAS)


def _body():
    return json_body()


def _int(data, key):
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{key} 应为整数", field=key)
    return value


def _load(request_id):
    req = db.session.get(DisclosureRequest, request_id) or abort(404)
    access.require_view(api_user(), req)
    return req


def _child(model, child_id, req):
    """A consultation or dispute of this application (404 for another application's)."""
    found = db.session.get(model, child_id)
    if found is None or found.request_id != req.id:
        abort(404)
    return found


def _department(code):
    return require_by_code(code, field="department")


def _ok(req, status=200):
    db.session.refresh(req)
    return jsonify(represent(req, utcnow())), status


@bp.post("")
@handlers_only
def create():
    data, now, user = _body(), utcnow(), api_user()
    requested = _department(data["department"]) if data.get("department") else None
    dep = access.register_department(user, requested)
    if requested is not None and requested.id != dep.id:
        raise ValidationError("只能登记给本部门", field="department")
    req = intake.register_paper(data, channel=data.get("channel") or "in_person",
                                received_on=date_field(data, "received_on", required=True), now=now, actor=user,
                                department=dep)
    return _ok(req, 201)


@bp.get("")
@handlers_only
def index():
    args = request.args
    overdue = args.get("overdue")
    if overdue not in (None, "", "true", "false", "1", "0"):
        raise ValidationError("overdue 应为 true 或 false", field="overdue")
    now = utcnow()
    items = filtered(api_user(), status=args.get("status") or None, department=args.get("department") or None,
                     overdue={"true": True, "1": True, "false": False, "0": False}.get(overdue), now=now)
    return jsonify(items=[represent(r, now, brief=True) for r in items])


@bp.get("/lapsed")
@roles_required(*access.LAPSE_DECIDERS)
def lapsed():
    """The staff decision list: periods that seem to have run out but were not closed automatically."""
    now = utcnow()
    rows = lapses.decision_list(access.visible(DisclosureRequest.query, DisclosureRequest, api_user()), now)
    return jsonify(items=[{"request": represent(lp.req, now, brief=True), "kind": lp.kind.clock,
                           "document": documents.represent(lp.document, today(now)) if lp.document is not None else None,
                           "due_on": lp.due_on.isoformat(), "delivered": lp.delivered, "reason": lp.reason,
                           "undelivered_late": lp.undelivered_late}
                          for lp in rows])


@bp.get("/<int:request_id>")
@handlers_only
def show(request_id):
    return jsonify(represent(_load(request_id), utcnow()))


def _action(request_id, action, fn):
    """One handling step: the same access rule as the handling page (requests_module/access.py)."""
    req = _load(request_id)
    if callable(action):  # which of two actions (each with its own rule) this call is; the body is checked below
        action = action(req, request.get_json(silent=True) if request.is_json else None)
    access.require_act(api_user(), req, action)
    data, now = _body(), utcnow()
    fn(req, data, now, api_user())
    return _ok(req)


def _child_action(request_id, action, model, child_id, fn):
    """_action on a consultation or dispute of this application: fn(req, child, data, now, user)."""
    return _action(request_id, action, lambda r, d, n, u: fn(r, _child(model, child_id, r), d, n, u))


@bp.post("/<int:request_id>/confirm-receipt")
@handlers_only
def confirm_receipt(request_id):
    return _action(request_id, "confirm", lambda r, d, n, u: intake.confirm_receipt(
        r, received_on=date_field(d, "received_on", default=today(n)), now=n, actor=u))


@bp.post("/<int:request_id>/assign")
@handlers_only
def assign(request_id):
    def act(r, d, n, u):
        if r.status == "assigned":
            handling.reassign(r, _department(d.get("department")), reason=d.get("reason"), now=n, actor=u)
        else:
            intake.assign(r, _department(d.get("department")), now=n, actor=u)
    return _action(request_id, lambda r, d: "reassign" if r.status == "assigned" else "assign", act)


@bp.post("/<int:request_id>/reject")
@handlers_only
def reject(request_id):
    return _action(request_id, "reject", lambda r, d, n, u: intake.reject(
        r, outcome=d.get("outcome") or "", message=d.get("message"), on=date_field(d, "on", default=today(n)), now=n, actor=u,
        paper_number=d.get("paper_number")))


@bp.post("/<int:request_id>/correction-notice")
@handlers_only
def correction_notice(request_id):
    return _action(request_id, "correction_notice", lambda r, d, n, u: handling.send_correction_notice(
        r, items=d.get("items"), guidance=d.get("guidance"), on=date_field(d, "on", default=today(n)), now=n, actor=u,
        period=_int(d, "period") if "period" in d else None))


@bp.post("/<int:request_id>/correction")
@handlers_only
def correction(request_id):
    return _action(request_id, "correction", lambda r, d, n, u: handling.receive_correction(
        r, text=d.get("text"), on=date_field(d, "on", default=today(n)), now=n, actor=u, late_reason=d.get("late_reason")))


@bp.post("/<int:request_id>/reason-request")
@handlers_only
def reason_request(request_id):
    return _action(request_id, "reason_request", lambda r, d, n, u: reasons.request_reasons(
        r, items=d.get("items"), on=date_field(d, "on", default=today(n)), now=n, actor=u,
        period=_int(d, "period") if "period" in d else None))


@bp.post("/<int:request_id>/reasons")
@handlers_only
def reasons_received(request_id):
    return _action(request_id, "reasons", lambda r, d, n, u: reasons.receive_reasons(
        r, text=d.get("text"), on=date_field(d, "on", default=today(n)), now=n, actor=u))


@bp.post("/<int:request_id>/reason-decision")
@handlers_only
def reason_decision(request_id):
    return _action(request_id, "reason_decision", lambda r, d, n, u: reasons.decide_reasons(
        r, accepted=d.get("accepted"), on=date_field(d, "on", default=today(n)), now=n, actor=u,
        delay_until=date_field(d, "delay_until")))


@bp.post("/<int:request_id>/consultations")
@handlers_only
def consultations(request_id):
    return _action(request_id, "consult", lambda r, d, n, u: handling.add_consultation(
        r, kind=d.get("kind"), party=d.get("party"), party_type=d.get("party_type"), sent_on=date_field(d, "on", default=today(n)), now=n,
        actor=u))


@bp.post("/<int:request_id>/consultations/<int:consultation_id>/answer")
@handlers_only
def consultation_answer(request_id, consultation_id):
    def act(r, c, d, n, u):
        # `silent: true` (older clients) says 逾期未提出意见 explicitly; without either nothing is assumed (Art. 32)
        answer = d.get("answer") if "answer" in d else ("silent" if d.get("silent") is True else None)
        if d.get("silent") is True and answer != "silent":
            raise ValidationError("silent 与 answer 矛盾", field="answer")
        handling.answer_consultation(r, c, answer=answer, answered_on=None if answer == "silent" else date_field(d, "on", default=today(n)),
                                     opinion=d.get("opinion"), now=n, actor=u)
    return _child_action(request_id, "consult_answer", Consultation, consultation_id, act)


@bp.post("/<int:request_id>/fee-notice")
@handlers_only
def fee_notice(request_id):
    return _action(request_id, "fee_notice", lambda r, d, n, u: handling.fee_notice(
        r, method=d.get("method"), quantity=_int(d, "quantity"), amount=d.get("amount"), on=date_field(d, "on", default=today(n)),
        now=n, actor=u))


@bp.post("/<int:request_id>/payment")
@handlers_only
def payment(request_id):
    return _action(request_id, "payment", lambda r, d, n, u: handling.record_payment(
        r, on=date_field(d, "on", default=today(n)), now=n, actor=u, late_reason=d.get("late_reason")))


@bp.post("/<int:request_id>/fee-refund")
@handlers_only
def fee_refund(request_id):
    return _action(request_id, "fee_refund", lambda r, d, n, u: refunds.record_refund(
        r, amount=d.get("amount"), method=d.get("method") or "", note=d.get("note"), on=date_field(d, "on", default=today(n)), now=n,
        actor=u, pages_provided=d.get("pages_provided")))


@bp.post("/<int:request_id>/extension")
@handlers_only
def extension(request_id):
    return _action(request_id, "extend", lambda r, d, n, u: handling.extend(
        r, days=_int(d, "days"), reason=d.get("reason"), on=date_field(d, "on", default=today(n)), now=n, actor=u))


@bp.post("/<int:request_id>/extension-requests")
@handlers_only
def extension_request(request_id):
    return _action(request_id, "extension_request", lambda r, d, n, u: extensions.request_extension(
        r, days=_int(d, "days"), reason=d.get("reason"), now=n, actor=u))


@bp.post("/<int:request_id>/extension-requests/<int:extension_request_id>/decision")
@handlers_only
def extension_decision(request_id, extension_request_id):
    def act(r, d, n, u):
        if not isinstance(d.get("approve"), bool):
            raise ValidationError("approve 应为 true 或 false", field="approve")
        reason = d.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise ValidationError("reason 应为字符串", field="reason")
        try:
            ext = extensions.of_request(r, extension_request_id)
        except ValidationError:
            abort(404)  # another application's request, or none
        try:
            extensions.decide(r, ext, approve=d["approve"], reason=reason, now=n, actor=u)
        except ValidationError as err:  # the service names the page's field; the API body's is `reason`
            if "refusal_reason" not in err.fields:
                raise
            raise ValidationError(err.message, field="reason") from None
    return _action(request_id, "extension_decision", act)


@bp.get("/extension-requests")
@handlers_only
def extension_requests():
    """The pending extension requests the caller may decide (Art. 33 para. 2)."""
    return jsonify(items=[extensions.as_json(x) for x in extensions.awaiting(api_user())])


@bp.post("/<int:request_id>/reply")
@handlers_only
def reply_(request_id):
    return _action(request_id, "reply", lambda r, d, n, u: reply.reply(
        r, outcome=d.get("outcome") or "", text=d.get("text"), legal_ground=d.get("legal_ground"),
        holder_organ=d.get("holder_organ"), holder_contact=d.get("holder_contact"),
        not_held_basis=d.get("not_held_basis"), not_ours_reason=d.get("not_ours_reason"),
        disclosure_basis=d.get("disclosure_basis"), disclosure_access=d.get("disclosure_access"), on=date_field(d, "on", default=today(n)),
        now=n, actor=u, paper_number=d.get("paper_number")))


@bp.post("/<int:request_id>/reply-preview")
@handlers_only
def reply_preview(request_id):
    """The letter as it would be issued (issue 15 item 9): nothing is saved, no document number."""
    req = _load(request_id)
    access.require_act(api_user(), req, "reply")
    d, n = _body(), utcnow()
    letter = reply.preview(req, outcome=d.get("outcome") or "", text=d.get("text"), legal_ground=d.get("legal_ground"),
                           holder_organ=d.get("holder_organ"), holder_contact=d.get("holder_contact"),
                           not_held_basis=d.get("not_held_basis"), not_ours_reason=d.get("not_ours_reason"),
                           disclosure_basis=d.get("disclosure_basis"), disclosure_access=d.get("disclosure_access"),
                           on=date_field(d, "on", default=today(n)), now=n, actor=api_user(), paper_number=d.get("paper_number"))
    db.session.rollback()
    return jsonify(organ=letter.organ, number=None, draft=True, salutation=letter.salutation,
                   paragraphs=letter.paragraphs, attachments=letter.attachments,
                   date=letter.day.isoformat() if letter.day else None, paper_number=letter.paper_number,
                   backfill_note=letter.backfill_note)


@bp.post("/<int:request_id>/sign-off")
@handlers_only
def sign_off(request_id):
    return _action(request_id, lambda r, d: "sign_off" if isinstance(d, dict) and d.get("approve") is True
                   else "return_reply",
                   lambda r, d, n, u: reply.sign_off(r, approve=d.get("approve") is True, note=d.get("note") or "",
                                                     now=n, actor=u))


@bp.post("/<int:request_id>/disputes")
@handlers_only
def dispute(request_id):
    return _action(request_id, "dispute", lambda r, d, n, u: disputes.file_dispute(
        r, kind=d.get("kind") or "", filed_on=date_field(d, "filed_on", required=True),
        after_reconsideration=d.get("after_reconsideration") is True, note=d.get("note"), today=today(n), now=n,
        actor=u))


@bp.post("/<int:request_id>/disputes/<int:dispute_id>/result")
@handlers_only
def dispute_result(request_id, dispute_id):
    return _child_action(request_id, "dispute_result", Dispute, dispute_id, lambda r, found, d, n, u: disputes.decide_dispute(
        r, found, result=d.get("result") or "", decided_on=date_field(d, "decided_on", required=True), today=today(n),
        now=n, actor=u))


@bp.post("/<int:request_id>/documents/<int:document_id>/delivery")
@handlers_only
def delivery(request_id, document_id):
    def act(r, d, n, u):
        tracking = d.get("tracking_number")
        if tracking is not None and not isinstance(tracking, str):
            raise ValidationError("tracking_number 应为字符串", field="tracking_number")
        documents.record_delivery(r, _document(r, document_id), method=d.get("method") or "",
                                  tracking_number=tracking, delivered_on=date_field(d, "delivered_on", required=True),
                                  now=n, actor=u)
    return _action(request_id, "delivery", act)


def _document(req, document_id):
    try:
        return documents.document_of(req, document_id)
    except ValidationError:
        abort(404)


@bp.post("/<int:request_id>/consultations/<int:consultation_id>/disclosure-notice")
@handlers_only
def disclosure_notice(request_id, consultation_id):
    return _child_action(request_id, "third_party_notice", Consultation, consultation_id, lambda r, c, d, n, u: handling.tell_third_party_of_disclosure(
        r, c, content=d.get("content"), reasons=d.get("reasons"),
        on=date_field(d, "on", default=today(n)), now=n, actor=u))


@bp.post("/<int:request_id>/lapse-decision")
@handlers_only
def lapse_decision(request_id):
    return _action(request_id, "lapse_close", lambda r, d, n, u: lapses.decide_abandoned(
        r, reason=d.get("reason"), now=n, actor=u))
