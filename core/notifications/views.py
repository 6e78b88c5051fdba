"""In-app notifications: the bell's list and read marks (every user sees only their own)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from core.db import utcnow
from core.notifications import service
from core.notifications.links import details_of, target_of

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    items = [(n, target_of(current_user, n), details_of(current_user, n)) for n in service.inbox(current_user)]
    return render_template("notifications/index.html", items=items)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int) -> ResponseReturnValue:
    if not service.mark_read(current_user, now=utcnow(), notification_id=notification_id):
        abort(404)
    return redirect(url_for(".index"))


@bp.post("/read-all")
@login_required
def read_all() -> ResponseReturnValue:
    count = service.mark_read(current_user, now=utcnow())
    flash(f"已将 {count} 条通知标为已读。", "info")
    return redirect(url_for(".index"))
