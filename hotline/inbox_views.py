"""待受理（邮件/短信）: the inbox of written intake — the queue, a message with its attachments, 转为工单 and
标记为无效/垃圾 (hotline/mail_intake.py). Who may: hotline.access.handles_inbox."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.db import utcnow
from core.downloads import send_upload
from core.errors import ValidationError
from core.extensions import db
from hotline import access, console_form, mail_intake
from hotline.access import DESK
from hotline.mail_models import InboundAttachment, InboundMessage
from hotline.models import Category
from hotline.sla import TYPES, URGENCIES

bp = Blueprint("hotline_inbox", __name__, url_prefix="/hotline/inbox")
SHOWN = {"new": ("new",), "threaded": ("threaded",), "done": ("converted", "invalid"),
         "ignored": ("ignored", "bounce", "failed", "received")}
TABS = {"new": "待受理", "threaded": "已并入工单", "done": "已处理", "ignored": "已忽略/退信/失败"}


def _guard():
    if not access.handles_inbox(current_user):
        abort(403)


def _load(item_id):
    _guard()
    return db.session.get(InboundMessage, item_id) or abort(404)


@bp.get("/")
@roles_required(*DESK)
def index():
    _guard()
    tab = request.args.get("show", "new")
    if tab not in SHOWN:
        tab = "new"
    return render_template("hotline/inbox.html", rows=mail_intake.queue(SHOWN[tab]), tab=tab, tabs=TABS,
                           counts=mail_intake.counts(), status=mail_intake.STATUS,
                           channels=mail_intake.CHANNEL_LABELS)


def _page(item, values=None, errors=None, status=200):
    categories = Category.query.filter_by(level=3, active=True).order_by(Category.code).all()
    return render_template("hotline/inbox_item.html", item=item, status=mail_intake.STATUS,
                           channels=mail_intake.CHANNEL_LABELS, values=values or mail_intake.prefill(item),
                           errors=errors or {}, types=TYPES, urgencies=URGENCIES, categories=categories), status


@bp.get("/<int:item_id>")
@roles_required(*DESK)
def item(item_id):
    return _page(_load(item_id))


@bp.get("/<int:item_id>/attachments/<int:attachment_id>")
@roles_required(*DESK)
def attachment(item_id, attachment_id):
    """An accepted attachment as a download (refused ones were never stored)."""
    _load(item_id)
    att = db.session.get(InboundAttachment, attachment_id)
    if att is None or att.message_id != item_id or not att.stored_name:
        abort(404)
    return send_upload(att, "inbound")


@bp.post("/<int:item_id>/convert")
@roles_required(*DESK)
def convert(item_id):
    item = _load(item_id)
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    try:
        console_form.read_form(values, Category.query.filter_by(level=3, active=True).all())
        ticket = mail_intake.convert(item, values, now=utcnow(), actor=current_user)
    except ValidationError as err:
        db.session.rollback()
        return _page(_load(item_id), values, err.fields or {"form": err.message}, 400)
    flash(f"已转为工单 {ticket.number}", "success")
    return redirect(url_for("hotline.ticket", ticket_id=ticket.id))


@bp.post("/<int:item_id>/invalid")
@roles_required(*DESK)
def invalid(item_id):
    item = _load(item_id)
    try:
        mail_intake.mark_invalid(item, reason=request.form.get("reason"), now=utcnow(), actor=current_user)
    except ValidationError as err:
        db.session.rollback()
        where = "reason" if err.fields else "form"  # a bad reason, or the item was decided meanwhile
        return _page(_load(item_id), None, {where: err.message, "kept_reason": request.form.get("reason", "")}, 400)
    flash("已标记为无效/垃圾", "success")
    return redirect(url_for(".index"))
