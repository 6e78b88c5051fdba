"""Saved queue filters (issue 18 item 13): a staff user names the current filter of a queue and finds it again as a
link above that queue; per user, never shared. Each queue registers which query parameters it takes and how they
are checked (`register_queue`): a filter is stored as those checked parameters only, and checked again each time
its link is built, so a value a queue no longer takes is dropped, never passed on."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.guards import staff_required
from core.db import UTCDateTime, unit_of_work, utcnow
from core.errors import DomainError, NotTheirs, ValidationError
from core.extensions import db

NAME_MAX = 30
PER_QUEUE_MAX = 20


@dataclass(frozen=True)
class Queue:
    key: str  # stored with each filter: never rename a registered key
    endpoint: str  # the queue page the saved link opens
    clean: Callable[[Mapping[str, str]], dict[str, str]]  # the parameters the queue takes, checked


QUEUES: dict[str, Queue] = {}


def register_queue(key: str, endpoint: str, clean: Callable[[Mapping[str, str]], dict[str, str]]) -> None:
    """A queue page whose filter staff may save (called from each package's init_app)."""
    QUEUES[key] = Queue(key, endpoint, clean)


class SavedFilter(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "saved_filters"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    queue = db.Column(db.String(40), nullable=False)
    name = db.Column(db.String(NAME_MAX), nullable=False)
    params = db.Column(db.Text, nullable=False)  # JSON object of the checked query parameters
    created_at = db.Column(UTCDateTime(), nullable=False)

    __table_args__ = (db.UniqueConstraint("user_id", "queue", "name", name="uq_saved_filters_user_queue_name"),)


def _queue(key: str) -> Queue:
    if key not in QUEUES:
        raise ValidationError("没有这个队列", field="queue")
    return QUEUES[key]


def may_use(user: Any, queue: str) -> bool:
    """Whether `user` may open the queue page (so save a filter for it): the queue endpoint's own role rule
    (core/auth/guards.roles_required), staff when the endpoint names none."""
    from core.auth.models import STAFF_ROLES

    q = QUEUES.get(queue)
    view = current_app.view_functions.get(q.endpoint) if q is not None else None
    if view is None or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "role", None) in getattr(view, "allowed_roles", STAFF_ROLES)


def _checked(queue: Queue, params: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in queue.clean(params).items() if v}


def save(user: Any, *, queue: str, name: str | None, params: Mapping[str, str], now: datetime) -> SavedFilter:
    """Save the checked parameters of `queue` under `name` for `user` alone."""
    q = _queue(queue)
    if not may_use(user, queue):
        raise NotTheirs("您不能打开这个队列，不能为它保存筛选条件")
    name = (name or "").strip()
    if not name:
        raise ValidationError("请给筛选条件起个名字", field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"名称最多 {NAME_MAX} 个字", field="name")
    checked = _checked(q, params)
    if not checked:
        raise ValidationError("当前没有筛选条件，请先筛选再保存", field="name")
    mine = SavedFilter.query.filter_by(user_id=user.id, queue=queue)
    if mine.filter_by(name=name).first() is not None:
        raise ValidationError(f"已有名为“{name}”的筛选条件，请换一个名称", field="name")
    if mine.count() >= PER_QUEUE_MAX:
        raise ValidationError(f"每个队列最多保存 {PER_QUEUE_MAX} 个筛选条件，请先删除不用的", field="name")
    with unit_of_work():
        row = SavedFilter(user_id=user.id, queue=queue, name=name, params=json.dumps(checked, ensure_ascii=False),
                          created_at=now)
        db.session.add(row)
    return row


def delete(user: Any, filter_id: int) -> str:
    """Delete one of `user`'s saved filters (someone else's is not found); returns its queue key."""
    row = db.session.get(SavedFilter, filter_id)
    if row is None or row.user_id != user.id:
        abort(404)
    queue = row.queue
    with unit_of_work():
        db.session.delete(row)
    return queue


def link(row: SavedFilter) -> str:
    """The queue URL of a saved filter, its parameters checked again now."""
    q = _queue(row.queue)
    try:
        stored = json.loads(row.params)
    except ValueError:
        stored = {}
    params = stored if isinstance(stored, dict) else {}
    values: dict[str, Any] = _checked(q, {str(k): str(v) for k, v in params.items()})
    return url_for(q.endpoint, **values)


def for_queue(user: Any, queue: str) -> list[tuple[SavedFilter, str]]:
    """(filter, link) of `user`'s saved filters of `queue`, by name (the bar above the queue)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = SavedFilter.query.filter_by(user_id=user.id, queue=queue).order_by(SavedFilter.name).all()
    return [(r, link(r)) for r in rows]


def current(queue: str) -> dict[str, str]:
    """The checked filter of the request's query string (what the save form carries)."""
    return _checked(_queue(queue), request.args)


bp = Blueprint("saved_filters", __name__, url_prefix="/saved-filters")


def _back(queue: str, params: Mapping[str, str] | None = None, typed: str = "") -> ResponseReturnValue:
    q = QUEUES.get(queue)
    if q is None:
        abort(404)
    values: dict[str, Any] = _checked(q, params) if params else {}
    if typed:
        values[TYPED_NAME] = typed
    return redirect(url_for(q.endpoint, **values))


TYPED_NAME = "filter_name"  # a refused name, back in the save form (queues ignore parameters they do not take)


def init_app(app: Any) -> None:
    """The blueprint, and the bar's helpers for templates/_saved_filters.html."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(saved_filters=for_queue, current_filter=current, typed_filter_name=TYPED_NAME)


@bp.post("/")
@staff_required
def create() -> ResponseReturnValue:
    queue = request.form.get("queue", "")
    if queue not in QUEUES:
        abort(404)
    if not may_use(current_user, queue):
        abort(403)  # as the queue page itself answers
    params = {k[len("param_"):]: v for k, v in request.form.items() if k.startswith("param_")}
    try:
        row = save(current_user, queue=queue, name=request.form.get("name"), params=params, now=utcnow())
    except DomainError as err:
        flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
        return _back(queue, params, typed=request.form.get("name", "")[:100])  # the typed name comes back
    flash(f"已保存筛选条件“{row.name}”。", "success")
    return _back(queue, params)


@bp.post("/<int:filter_id>/delete")
@staff_required
def remove(filter_id: int) -> ResponseReturnValue:
    queue = delete(current_user, filter_id)
    flash("已删除筛选条件。", "success")
    return _back(queue)
