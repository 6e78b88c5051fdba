"""JSON API of the public log (/api/v1/log, public) and of publication review
(/api/v1/publication-reviews, reviewers with a token)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, jsonify, request

from core.api import api_user, json_body, make_api_blueprint
from core.api.openapi import register_paths
from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db
from core.replica import replica_reads
from public_log import finder, presenter, queries, review
from public_log.models import PublicRecord
from public_log.openapi import PATHS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from flask.typing import ResponseReturnValue

log_bp = make_api_blueprint("log_api", __name__, "/api/v1/log")
reviews_bp = make_api_blueprint("reviews_api", __name__, "/api/v1/publication-reviews")
register_paths(PATHS)
REVIEWERS = (Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(f"{name} 应为整数", field=name) from None
    if not low <= number <= high:
        raise ValidationError(f"{name} 应在 {low} 到 {high} 之间", field=name)
    return number


@log_bp.get("")
@replica_reads
def search() -> ResponseReturnValue:
    """Public: published records, newest first or by relevance to `q`, with filters."""
    filters = queries.Filters.from_args(request.args)
    result = finder.find(request.args.get("q"), filters, page=_int_arg("page", 1, 1, queries.MAX_PAGE),
                         per_page=_int_arg("per_page", queries.PER_PAGE, 1, 100))
    return jsonify(query=result.query, total=result.total, total_is_lower_bound=result.capped,
                   page=result.page, pages=result.pages,
                   per_page=result.per_page, items=[presenter.public_json(r, result.terms) for r in result.records],
                   notes=result.notes, search_failed=result.failed,
                   suggestions=[{"label": s["label"], "count": s["count"], "params": s["args"]}
                                for s in result.suggestions])


@log_bp.get("/<public_id>")
@replica_reads
def record(public_id: str) -> ResponseReturnValue:
    rec = queries.permalink_target(public_id) or abort(404)
    if rec.status == "withdrawn":
        return jsonify(error="gone", message=f"记录 {rec.public_id} 已撤回"), 410
    return jsonify(presenter.public_json(rec, full=True))


def _body() -> dict[str, Any]:
    return json_body()


def _load(record_id: int) -> PublicRecord:
    record = db.session.get(PublicRecord, record_id)
    user = api_user()
    if record is None or not (review.may_review(user, record) or review.may_manage(user)
                              or user.department_id == record.department_id):
        abort(404)
    return record


@reviews_bp.get("")
@roles_required(*REVIEWERS)
def queue() -> ResponseReturnValue:
    """The caller's review queue (never their own replies)."""
    return jsonify(items=[presenter.review_json(r) for r in review.pending(api_user())])


@reviews_bp.get("/<int:record_id>")
@roles_required(*REVIEWERS)
def show(record_id: int) -> ResponseReturnValue:
    return jsonify(presenter.review_json(_load(record_id)))


def _text(data: Mapping[str, Any], key: str) -> str | None:
    """A JSON string field (or None when absent); anything else is a 400."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationError("应为字符串", field=key)
    return value


@reviews_bp.post("/<int:record_id>/approve")
@roles_required(*REVIEWERS)
def approve(record_id: int) -> ResponseReturnValue:
    record, data = _load(record_id), _body()
    texts = {key: _text(data, key) for key in review.FIELDS}
    review.approve_publication(record, now=utcnow(), actor=api_user(), confirmed=data.get("confirm"), **texts)
    return jsonify(presenter.review_json(record))


@reviews_bp.post("/<int:record_id>/unmask")
@roles_required(*REVIEWERS)
def unmask(record_id: int) -> ResponseReturnValue:
    """Restore one masked span (its index in `maskings`) with a reason, as on the review page."""
    record, data = _load(record_id), _body()
    index = data.get("index")
    review.unmask(record, index=index if isinstance(index, int) and not isinstance(index, bool) else None,
                  reason=_text(data, "reason"), now=utcnow(), actor=api_user(), expected=_text(data, "value"))
    return jsonify(presenter.review_json(record))


@reviews_bp.post("/<int:record_id>/mask")
@roles_required(*REVIEWERS)
def mask(record_id: int) -> ResponseReturnValue:
    """Mask a text the engine missed, wherever it appears, with a reason."""
    record, data = _load(record_id), _body()
    review.mask_span(record, value=_text(data, "value"), reason=_text(data, "reason"), now=utcnow(),
                     actor=api_user())
    return jsonify(presenter.review_json(record))


@reviews_bp.post("/<int:record_id>/refuse")
@roles_required(*REVIEWERS)
def refuse(record_id: int) -> ResponseReturnValue:
    record, data = _load(record_id), _body()
    review.refuse(record, reason=_text(data, "reason"), now=utcnow(), actor=api_user())
    return jsonify(presenter.review_json(record))
