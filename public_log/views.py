"""公开答复库: the public pages — browse and search, permalinks, Atom feeds. Masked text only; read from the
replica when there is one (core/replica.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, make_response, render_template, request, url_for

from core.departments.service import get_by_code
from core.errors import ValidationError
from core.replica import replica_reads
from public_log import finder, presenter, queries

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flask import Response
    from flask.typing import ResponseReturnValue

    from core.departments.models import Department
    from public_log.models import PublicRecord

bp = Blueprint("public_log", __name__, url_prefix="/log")


def _page() -> int:
    try:
        return max(1, int(request.args.get("page") or 1))
    except ValueError:
        return 1


@bp.get("/")
@replica_reads
def index() -> ResponseReturnValue:
    error = None
    try:
        filters = queries.Filters.from_args(request.args)
    except ValidationError as exc:
        error, filters = exc.message, queries.Filters()
    result = finder.find(request.args.get("q"), filters, page=_page())
    return render_template("public_log/index.html", result=result, error=error, presenter=presenter,
                           kinds=queries.KINDS, types=queries.type_labels(), categories=queries.category_labels(),
                           departments=queries.departments_with_records())


@bp.get("/<public_id>")
@replica_reads
def record(public_id: str) -> ResponseReturnValue:
    rec = queries.permalink_target(public_id) or abort(404)
    if rec.status == "withdrawn":
        return render_template("public_log/withdrawn.html", record=rec), 410
    return render_template("public_log/record.html", record=rec, labels=presenter.labels(rec))


def _feed(records: Iterable[PublicRecord], title: str, self_url: str, department: Department | None = None) -> Response:
    body = render_template("public_log/feed.xml", records=records, title=title, self_url=self_url,
                           updated=max((r.changed_at or r.published_at for r in records), default=None),
                           department=department)
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/feed.atom")
@replica_reads
def feed() -> ResponseReturnValue:
    return _feed(queries.newest(), "亭湖区公开答复库：最新公开的答复", url_for(".feed", _external=True))


@bp.get("/departments/<code>/feed.atom")
@replica_reads
def department_feed(code: str) -> ResponseReturnValue:
    dep = get_by_code(code, active_only=False) or abort(404)
    return _feed(queries.newest(dep), f"亭湖区公开答复库：{dep.name}", url_for(".department_feed", code=dep.code,
                                                                     _external=True), dep)
