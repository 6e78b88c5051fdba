"""Citizens' 12345 pages: the web form, a tracking number, the status page and their own rating."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core import captcha
from core.auth import lookup as lookup_codes
from core.auth.guards import roles_required
from core.auth.identity import normalize_number
from core.auth.lookup import code_matches, contact_matches, reissue
from core.auth.models import Role
from core.db import utcnow
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.idempotency import submits_once
from hotline import callback, intake
from hotline.access import grant_lookup, is_caller
from hotline.callback import SATISFACTION
from hotline.caller_view import citizen_label, status_context, submitted_message
from hotline.common import ENTITY
from hotline.models import Category, Ticket
from hotline.sla import TYPES

bp = Blueprint("hotline_citizen", __name__, url_prefix="/hotline")


def _citizen():
    return current_user if current_user.is_authenticated and current_user.role is Role.CITIZEN else None


def _load(ticket_id):
    t = db.session.get(Ticket, ticket_id)
    if t is None or not is_caller(_citizen(), t):
        abort(404)  # do not confirm that a guessed id exists
    return t


def _replayed(endpoint, args):
    """A resent citizen form of this browser session (a retry after a lost answer): the look-up right that answer
    carried in its cookie is granted again, so the ticket's page shows rather than a 404."""
    ticket = db.session.get(Ticket, args["ticket_id"]) if endpoint == "hotline_citizen.status" else None
    if ticket is not None:
        grant_lookup(ticket)


@bp.route("/new", methods=["GET", "POST"])
@submits_once(replayed=_replayed)
def new():
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        values.pop("urgency", None)  # urgency is the operator's call, not the citizen's
        now = utcnow()
        try:
            refused = captcha.gate()
            if refused:
                raise ValidationError(refused, field="captcha")
            t = intake.create_ticket(values, channel="web", received_at=now, now=now, actor=_citizen() or "公众",
                                     citizen=_citizen())
        except ValidationError as err:
            errors = err.fields or {"form": err.message}
        else:
            captcha.count_submission()
            grant_lookup(t)
            lookup_codes.keep_for_receipt(ENTITY, t.id, t.access_code)
            flash(submitted_message(t, logged_in=_citizen() is not None), "success")
            return redirect(url_for(".status", ticket_id=t.id))
    categories = Category.query.filter_by(level=3, active=True).order_by(Category.code).all()
    mine = Ticket.query.filter_by(citizen_id=_citizen().id).order_by(Ticket.id.desc()).all() if _citizen() else []
    return render_template("hotline/new.html", types=TYPES, categories=categories, errors=errors, values=values,
                           mine=mine, lookup_number=lookup_codes.typed(ENTITY), citizen_label=citizen_label,
                           citizen=_citizen(),
                           **captcha.context(errors.get("captcha"))), (400 if errors else 200)


@bp.get("/my/")
@roles_required(Role.CITIZEN)
def mine():
    """我的诉求: the tickets the citizen submitted from this account, newest first (others: the look-up)."""
    tickets = Ticket.query.filter_by(citizen_id=current_user.id).order_by(Ticket.id.desc()).all()
    return render_template("hotline/mine.html", tickets=tickets, types=TYPES, citizen_label=citizen_label)


def _by_number(number):
    number = normalize_number(number)
    return Ticket.query.filter_by(number=number).first() if number else None


@bp.get("/lookup", endpoint="lookup_form")
def lookup_form():
    """A bookmarked or reloaded look-up address: the form is on the 12345 page."""
    return redirect(url_for(".new", _anchor="lookup"))


@bp.post("/lookup")
def lookup():
    t = _by_number(request.form.get("number"))
    matched = code_matches(ENTITY, t.id if t else None, request.form.get("code")) and t is not None
    return lookup_codes.answer_lookup(ENTITY, t if matched else None,
                                      refusal="没有找到匹配的工单：请核对工单编号和查询码。查询码遗失的，可重新获取。",
                                      form_url=url_for(".new", _anchor="lookup"), grant=grant_lookup,
                                      page_url=lambda found: url_for(".status", ticket_id=found.id))


@bp.post("/lookup/code")
def resend_code():
    """A new access code by SMS to the number given at submission; the answer never says whether it matched."""
    t = _by_number(request.form.get("number"))
    if t is not None and contact_matches(request.form.get("contact"), t.caller_phone):
        reissue(ENTITY, t.id, now=utcnow(), label=f"12345 工单 {t.number} ", phone=t.caller_phone)
    flash("如果工单编号与手机号相符，新的查询码已发送到该手机，请注意查收。", "info")
    lookup_codes.keep_typed(ENTITY, request.form.get("number"))  # the look-up form waits for the new code
    return redirect(url_for(".new", _anchor="lookup"))


@bp.get("/my/<int:ticket_id>")
def status(ticket_id):
    t = _load(ticket_id)
    return render_template("hotline/status.html", t=t, types=TYPES, satisfaction=SATISFACTION,
                           receipt_code=lookup_codes.receipt_code(ENTITY, t.id), **status_context(t))


@bp.post("/my/<int:ticket_id>/rate")
def rate(ticket_id):
    t = _load(ticket_id)
    try:
        callback.record_callback(t, reached=True, resolved={"1": True, "0": False}.get(request.form.get("resolved")),
                                 satisfaction=request.form.get("satisfaction"), comment=request.form.get("comment", ""),
                                 now=utcnow(), actor=_citizen() or "公众", online=True)
    except DomainError as err:
        flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
    else:
        flash("感谢您的评价。", "success")
    return redirect(url_for(".status", ticket_id=t.id))
