"""Safe to retry (issue 21): a creating POST runs once per key, whatever a client's retries.

Two doors, one rule. The API and Open311 take an `Idempotency-Key` header (as payment APIs do); a web form
carries a one-time `submission_token` field. Either way the key is claimed (INSERT of a row unique on
(caller, key)) at the start of the request, in the transaction that then does the work, and the request's
units of work are *held*: `core.db.unit_of_work` only flushes while a key is claimed, and this module commits
once, after the view has built its answer, with that answer stored in the key row. So the work and its key
commit together or not at all — a crash, a killed worker or a database restart in between leaves neither.

A repeat with the same key gets the stored answer without running the view (the API: same status and body,
plus `Idempotent-Replayed: true`; a form: a redirect to what was created, with a flash). The same key with
another body is a 422. A second request arriving while the first still runs waits on the unique index
(PostgreSQL; SQLite has one writer at a time) and then sees the committed answer. Keys live 24 hours; the
periodic duty `purge_expired` deletes older ones. A request that fails (an error, a refused form) rolls back
its key with its work: the client may retry with the same key."""
from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, g, make_response, redirect, request
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from core.csrf import field_name as csrf_field_name
from core.db import HELD, UTCDateTime, run_after_commit, unit_of_work, utcnow
from core.errors import error_response
from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from flask import Flask, Response
    from flask.typing import ResponseReturnValue

HEADER = "Idempotency-Key"
FIELD = "submission_token"  # the hidden field of a form that submits once
SEEN_FIELD = "submission_seen"  # set by static/js/submit_retry.js when it re-posts a form it saw saved
KEEP = timedelta(hours=24)
MAX_LENGTH = 255
_KEY = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_LENGTH)  # visible ASCII, as the header's users generate (UUIDs …)
BAD_KEY = f"{HEADER} 请求头应为 1 到 {MAX_LENGTH} 个可见 ASCII 字符（如 UUID）"
OTHER_BODY = f"该 {HEADER} 已用于另一个不同的请求；请为新的请求生成新的 {HEADER}"
IN_PROGRESS = "相同的请求正在处理中，请稍后用同一个键重试"
ALREADY_DONE = "已提交过，显示的是已创建的内容（没有重复提交）。"
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKey(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)

    id = db.Column(db.Integer, primary_key=True)
    scope = db.Column(db.String(80), nullable=False)  # the caller: "user:<id>", "session:<random>"
    key = db.Column(db.String(MAX_LENGTH), nullable=False)
    fingerprint = db.Column(db.String(64), nullable=False)  # sha256 of method, path and canonical body
    status = db.Column(db.Integer, nullable=True)  # the stored answer (API)
    content_type = db.Column(db.String(100), nullable=True)
    body = db.Column(db.LargeBinary, nullable=True)
    location = db.Column(db.String(500), nullable=True)  # where a form's redirect went: the created item
    created_at = db.Column(UTCDateTime(), nullable=False)
    expires_at = db.Column(UTCDateTime(), nullable=False, index=True)


_NOT_TYPED = (FIELD, SEEN_FIELD)  # with the CSRF field: a form's fields that are not what the user sent


def valid_key(value: str) -> bool:
    return _KEY.fullmatch(value) is not None


def fingerprint() -> str:
    """sha256 over method, path and the body in a canonical form: JSON re-serialised with sorted keys, a form as
    its sorted fields (without the one-time, seen and CSRF fields), anything else as its bytes."""
    raw = request.get_data(cache=True)
    canonical: Any
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        left_out = (*_NOT_TYPED, csrf_field_name())
        canonical = sorted((k, v) for k, vs in request.form.lists() if k not in left_out for v in vs)
    else:
        try:
            canonical = json.loads(raw) if raw.strip() else None
        except (ValueError, RecursionError):
            canonical = raw.decode("utf-8", "replace")
    text = json.dumps([request.method, request.path, canonical], sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _find(scope: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.query.filter_by(scope=scope, key=key).one_or_none()


def _claim(scope: str, key: str, digest: str, now: datetime, expired: bool) -> IdempotencyKey | None:
    """INSERT the key row in the current transaction (after deleting the `expired` row of the key, when one was
    found); None when another request holds or has used the key (the unique index made this INSERT wait for it on
    PostgreSQL), after which the session is rolled back."""
    if expired:
        db.session.query(IdempotencyKey).filter(IdempotencyKey.scope == scope, IdempotencyKey.key == key,
                                                IdempotencyKey.expires_at <= now).delete(synchronize_session=False)
    row = IdempotencyKey(scope=scope, key=key, fingerprint=digest, created_at=now, expires_at=now + KEEP)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    return row


def _run_claimed(row: IdempotencyKey, view: Callable[[], ResponseReturnValue],
                 keep: Callable[[IdempotencyKey, Response], bool]) -> Response:
    """Run the view with commits held; commit once with the answer in the key row (if `keep` says the answer is
    one to replay), or without the key row when the view's own work rolled back (the key is free again)."""
    db.session.info[HELD] = True
    try:
        response = make_response(view())
        claimed: bool = sa.inspect(row).persistent  # a rolled-back unit of work took the key row with it
        if claimed and not keep(row, response):
            db.session.delete(row)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop(HELD, None)
    run_after_commit()
    return response


def run_once(scope: str, key: str, view: Callable[[], ResponseReturnValue], *,
             replay: Callable[[IdempotencyKey], ResponseReturnValue],
             keep: Callable[[IdempotencyKey, Response], bool],
             conflict: Callable[[int, str], ResponseReturnValue], check_body: bool) -> ResponseReturnValue:
    """The rule: the stored answer for a used key, 422 for a used key with another body, else the view once."""
    digest, now = fingerprint(), utcnow()
    for _ in range(3):  # a holder that rolled back frees the key: claim it then
        found = _find(scope, key)
        expired = found is not None and found.expires_at <= now  # a used key lives KEEP: then it is free again
        if found is not None and not expired:
            if check_body and found.fingerprint != digest:
                return conflict(422, OTHER_BODY)
            if found.status is None and found.location is None:
                break
            return replay(found)
        row = _claim(scope, key, digest, now, expired)
        if row is not None:
            return _run_claimed(row, view, keep)
    response = make_response(conflict(409, IN_PROGRESS))
    response.headers["Retry-After"] = "1"
    return response


# --- the API and Open311: the Idempotency-Key header ---------------------------------------------------------

def api_caller() -> str | None:
    """The scope of an /api/v1 key: the bearer token's account (core.api sets g.api_user before any view)."""
    user = g.get("api_user")
    return f"user:{user.id}" if user is not None else None


def _json_conflict(status: int, message: str) -> ResponseReturnValue:
    return error_response(status, message, {HEADER: message})


def _replay_stored(row: IdempotencyKey) -> Response:
    response = current_app.response_class(row.body or b"", status=row.status or 200, content_type=row.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _keep_answer(row: IdempotencyKey, response: Response) -> bool:
    """Store every answer below 500 of a request whose work committed (a 4xx after a committed step is that
    step's true answer); a 5xx is never replayed."""
    if response.status_code >= 500 or response.is_streamed:
        return False
    row.status, row.content_type, row.body = response.status_code, response.content_type, response.get_data()
    return True


def idempotent(caller: Callable[[], str | None] = api_caller,
               conflict: Callable[[int, str], ResponseReturnValue] = _json_conflict) -> Callable[[Any], Any]:
    """Decorate a creating POST: with an Idempotency-Key header it runs once per (caller, key); without one, as
    before. `caller` names who the key belongs to (None: not identified — the view refuses as usual);
    `conflict` answers 400/409/422 in the endpoint's error format."""
    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not valid_key(key):
                return conflict(400, BAD_KEY)
            scope = caller()
            if scope is None:
                return view(*args, **kwargs)
            return run_once(scope, key, lambda: view(*args, **kwargs), replay=_replay_stored, keep=_keep_answer,
                            conflict=conflict, check_body=True)
        wrapped.idempotent = True  # type: ignore[attr-defined]  # tests/hotline/test_idempotency.py checks every POST
        return wrapped
    return decorate


# --- web forms: the one-time submission token ---------------------------------------------------------------

def form_token() -> Markup:
    """The hidden one-time field of a form that creates something: the posted token again when the form comes
    back with an error (it is still unused), else a new one. The owner of the token is fixed here, on the page:
    an anonymous visitor's session gets its owner id with the form, not with the first answer — a retry after a
    lost answer (its Set-Cookie lost with it) is then still this browser's submission, not a second one."""
    _form_owner()
    posted = request.form.get(FIELD, "") if request.method == "POST" else ""
    value = posted if valid_key(posted) else secrets.token_urlsafe(24)
    return Markup('<input type="hidden" name="%s" value="%s">') % (FIELD, escape(value))


def _form_owner() -> str:
    from core.pending_uploads import owner_key
    return owner_key()  # the signed-in user, or this browser's session


def _replay_redirect(row: IdempotencyKey, replayed: Callable[[str, dict[str, Any]], None] | None = None
                     ) -> ResponseReturnValue:
    if request.form.get(SEEN_FIELD) != "1":  # static/js/submit_retry.js saw an answer that left its own message
        flash(ALREADY_DONE, "info")
    target = _target(row.location or "")
    if replayed is not None and target is not None:
        replayed(*target)
    return redirect(row.location or "/", 303)


def _target(location: str) -> tuple[str, dict[str, Any]] | None:
    """The endpoint and arguments a stored redirect points to (None: not a page of this application)."""
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(urlsplit(location).path, method="GET")
    except HTTPException:
        return None
    return str(endpoint), dict(args)


def _keep_location(row: IdempotencyKey, response: Response) -> bool:
    """A form did its work when it redirects (post/redirect/get); a page answered instead (errors) is not kept."""
    if response.status_code not in (301, 302, 303) or not response.location:
        return False
    row.location = response.location[:500]
    row.status = response.status_code
    return True


def _form_conflict(status: int, message: str) -> ResponseReturnValue:
    return error_response(status, message)


def submits_once(view: Callable[..., ResponseReturnValue] | None = None, *,
                 replayed: Callable[[str, dict[str, Any]], None] | None = None) -> Any:
    """Decorate a form view that creates something: a POST whose `submission_token` was used before with the same
    fields redirects to what that submission created (a double click, a browser retry, back and resubmit) instead
    of creating it again; the same token with fields changed (back, edit, send) is a submission of its own. A POST
    without the field (an old page, a script) runs as before. `replayed(endpoint, view_args)` of the created item's
    page runs before a replay's redirect: a view whose success answer wrote the session (an
    anonymous citizen's right to see what they submitted) writes it again, since that answer may be the one lost."""
    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            token = request.form.get(FIELD, "") if request.method == "POST" else ""
            if not valid_key(token):
                return view(*args, **kwargs)
            # The key is the token and what was typed: a resend of the same form (double click, browser retry,
            # back and send again) replays; a form changed after going back is a new submission, so the
            # changes are never thrown away for the first one's page.
            return run_once(_form_owner(), f"{token}.{fingerprint()[:20]}", lambda: view(*args, **kwargs),
                            replay=lambda row: _replay_redirect(row, replayed), keep=_keep_location,
                            conflict=_form_conflict, check_body=False)
        wrapped.submits_once = True  # type: ignore[attr-defined]
        return wrapped
    return decorate if view is None else decorate(view)


def purge_expired(now: datetime) -> int:
    """The periodic duty: delete keys older than their 24 hours; returns how many."""
    with unit_of_work():
        return int(IdempotencyKey.query.filter(IdempotencyKey.expires_at <= now).delete(synchronize_session=False))


def init_app(app: Flask) -> None:
    from core.jobs.periodic import register_periodic

    register_periodic(purge_expired, "清理过期幂等键")
    app.jinja_env.globals.update(submission_token=form_token)
