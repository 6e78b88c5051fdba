"""保密审查 pages: the review queue, one record with its original beside the masked text, and the
decisions (publish with edits, refuse, withdraw, correct). Each decision is one service call."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import utcnow
from core.errors import DomainError
from core.extensions import db
from public_log import presenter, review
from public_log.models import PublicRecord

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from flask.typing import ResponseReturnValue

bp = Blueprint("public_review", __name__, url_prefix="/log/review")
REVIEWERS = (Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)


def _record(record_id: int) -> PublicRecord:
    """The record if this user may review or manage it; others get 404 (no probing of other departments)."""
    record = db.session.get(PublicRecord, record_id) or abort(404)
    if not (review.may_review(current_user, record) or review.may_manage(current_user)
            or (current_user.role is Role.APPROVER and current_user.department_id == record.department_id)):
        abort(404)
    return record


def available_actions(user: Any, record: PublicRecord) -> set[str]:
    """What the page offers: "review" (mask, unmask, approve, refuse) while the record waits and `user` may review
    it; "manage" (correct, withdraw) once it is published, for who may manage published records."""
    actions = set()
    if record.status == "pending" and review.may_review(user, record):
        actions.add("review")
    if record.status == "published" and review.may_manage(user):
        actions.add("manage")
    return actions


def _texts() -> dict[str, str | None]:
    return {k: request.form.get(k) for k in ("title", "request_text", "reply_text")}


def _page(record: PublicRecord, form: Any = None, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("public_log/review.html", record=record, rows=presenter.masking_rows(record),
                           marked=presenter.masked_markup(record),
                           restored=presenter.restored_rows(record),
                           labels=presenter.labels(record), actions=available_actions(current_user, record),
                           form=form or {}, error=error), status


def _decide(record: PublicRecord, action: Callable[[], object]) -> ResponseReturnValue | None:
    """Run the decision; on a refusal show the page again with what the reviewer typed (nothing lost),
    except when masking changed the typed text: then the saved masked text is shown for a second look."""
    try:
        action()
    except DomainError as err:
        db.session.rollback()
        message = "；".join((getattr(err, "fields", None) or {}).values()) or err.message
        form = request.form
        if isinstance(err, review.ReviewAgain):
            form = {k: v for k, v in request.form.items() if k not in review.FIELDS}
        return _page(db.session.get(PublicRecord, record.id), form, message, err.status)
    return None


@bp.get("/")
@roles_required(*REVIEWERS)
def queue() -> ResponseReturnValue:
    published = []
    if review.may_manage(current_user):
        published = (PublicRecord.query.filter(PublicRecord.status.in_(("published", "withdrawn")))
                     .order_by(PublicRecord.published_at.desc()).limit(50).all())
    return render_template("public_log/review_queue.html", pending=review.pending(current_user), published=published,
                           status_label=presenter.status_label)


@bp.get("/<int:record_id>")
@roles_required(*REVIEWERS)
def show(record_id: int) -> ResponseReturnValue:
    return _page(_record(record_id))


def _act(record_id: int, action: Callable[[PublicRecord], object], done: str,
         back_to_queue: bool) -> ResponseReturnValue:
    """Run one decision on a record; on success flash `done` and go back to the queue or the record."""
    record = _record(record_id)
    failed = _decide(record, lambda: action(record))
    if failed:
        return failed
    flash(f"{done}：{record.public_id}", "success")
    return redirect(url_for(".queue") if back_to_queue else url_for(".show", record_id=record.id))


@bp.post("/<int:record_id>/approve")
@roles_required(*REVIEWERS)
def approve(record_id: int) -> ResponseReturnValue:
    return _act(record_id, lambda r: review.approve_publication(r, now=utcnow(), actor=current_user,
                                                    confirmed=request.form.get("confirm") == "yes", **_texts()),
                "已公开", True)


@bp.post("/<int:record_id>/unmask")
@roles_required(*REVIEWERS)
def unmask(record_id: int) -> ResponseReturnValue:
    index = request.form.get("index", "")
    return _act(record_id, lambda r: review.unmask(r, index=int(index) if index.isdigit() and len(index) < 6 else None,
                                                   reason=request.form.get("reason"), now=utcnow(),
                                                   actor=current_user, expected=request.form.get("value")),
                "已恢复该处原文", False)


@bp.post("/<int:record_id>/mask")
@roles_required(*REVIEWERS)
def mask(record_id: int) -> ResponseReturnValue:
    return _act(record_id, lambda r: review.mask_span(r, value=request.form.get("value"),
                                                      reason=request.form.get("reason"), now=utcnow(),
                                                      actor=current_user), "已补充遮盖", False)


@bp.post("/<int:record_id>/refuse")
@roles_required(*REVIEWERS)
def refuse(record_id: int) -> ResponseReturnValue:
    return _act(record_id, lambda r: review.refuse(r, reason=request.form.get("reason"), now=utcnow(),
                                                   actor=current_user), "已决定不予公开", True)


@bp.post("/<int:record_id>/withdraw")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def withdraw(record_id: int) -> ResponseReturnValue:
    return _act(record_id, lambda r: review.withdraw(r, reason=request.form.get("reason"), now=utcnow(),
                                                     actor=current_user), "已撤回", False)


@bp.post("/<int:record_id>/correct")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def correct(record_id: int) -> ResponseReturnValue:
    return _act(record_id, lambda r: review.correct(r, note=request.form.get("note"), now=utcnow(),
                                                    actor=current_user, **_texts()), "已更正", False)
