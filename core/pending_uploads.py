"""Pending uploads: files that passed the content/size check (core/uploads.py) on a form that was refused are kept
server-side, so that the user never chooses them again (issue 18 item 1). Each belongs to one owner — the
signed-in user, or an anonymous visitor's session — and is known to the form only by a random token in a hidden
field; the next submit of the form attaches it together with any new files. Nothing here is public: the bytes live
in the database (one transaction with the form's own use case), a token of another owner is refused, an expired
one is reported, and a periodic duty deletes what has expired."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app, has_request_context, session
from flask_login import current_user
from sqlalchemy import func

from core.db import UTCDateTime, serialise, unit_of_work
from core.errors import DomainError, NotTheirs, ValidationError
from core.extensions import db
from core.uploads import ACCEPT_ATTR, ACCEPTED, check_one

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime
    from typing import Any

    from flask import Flask

TOKEN_BYTES = 24
SESSION_KEY = "pending_uploads_owner"
MAX_PER_OWNER = 20  # live pending uploads one owner may hold; the oldest go first
FIELD = "pending"  # the hidden input carrying a token
REMOVE_FIELD = "pending_remove"  # the checkbox that drops a kept file
ANON_PREFIX = "session:"  # the owner key of a visitor who is not signed in
NOT_KEPT = "附件未能保留，请重新选择"  # over a budget, or sent on a form the captcha refused
ADDRESS_WINDOW = timedelta(hours=24)
_BUDGET_LOCK = "pending-upload-budget"  # PostgreSQL advisory lock taken while anonymous uploads are counted and stored


class PendingUpload(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "pending_uploads"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), nullable=False, unique=True)
    owner = db.Column(db.String(80), nullable=False, index=True)  # "user:<id>" or "session:<random>"
    filename = db.Column(db.String(200), nullable=False)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    data = db.Column(db.LargeBinary, nullable=False)
    created_at = db.Column(UTCDateTime(), nullable=False)
    expires_at = db.Column(UTCDateTime(), nullable=False, index=True)
    address_hash = db.Column(db.String(64), nullable=True, index=True)  # an anonymous sender's address, keyed hash


@dataclass(frozen=True)
class Kept:
    """A pending upload as a form shows it: its token and file name."""
    token: str
    filename: str


def valid_hours() -> int:
    return int(current_app.config["PENDING_UPLOAD_HOURS"])


def owner_key() -> str:
    """Who may use a pending upload made in this request: the signed-in user, else this browser session."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    if not isinstance(session.get(SESSION_KEY), str):
        session[SESSION_KEY] = secrets.token_urlsafe(18)
    return f"session:{session[SESSION_KEY]}"


def posted_tokens(form: Any) -> list[str]:
    """The tokens a submitted form refers to, less those whose 移除 box is ticked (order kept, no repeats)."""
    removed = set(form.getlist(REMOVE_FIELD))
    out: list[str] = []
    for token in form.getlist(FIELD):
        if isinstance(token, str) and token and token not in removed and token not in out:
            out.append(token[:64])
    return out


def _owners(owner: str | Sequence[str]) -> tuple[str, ...]:
    return (owner,) if isinstance(owner, str) else tuple(owner)


def _rows(tokens: Iterable[str]) -> list[PendingUpload]:
    tokens = [t for t in tokens if t]
    return PendingUpload.query.filter(PendingUpload.token.in_(tokens)).all() if tokens else []


def peek(form: Any, *, owner: str | Sequence[str], now: datetime) -> list[tuple[str, bytes]]:
    """The (filename, bytes) of the pending uploads `form` refers to, left in place (a preview); refused as by
    `claim`."""
    return [(r.filename, r.data) for r in _resolve(form, _owners(owner), now)[0]]


def _resolve(form: Any, owners: tuple[str, ...], now: datetime) -> tuple[list[PendingUpload], list[PendingUpload]]:
    """(the uploads `form` wants, in order; those it ticked 移除) — after refusing a foreign or expired token."""
    wanted = posted_tokens(form)
    rows = {r.token: r for r in _rows(wanted + list(form.getlist(REMOVE_FIELD)))}
    foreign = [r for r in rows.values() if r.owner not in owners]
    if foreign:
        raise NotTheirs("所引用的已上传附件不属于当前登录用户或会话，请重新选择文件")
    if any(t not in rows for t in wanted):  # a token is deleted when its file is attached (claim): used already
        # (or, rarely, expired and purged since: the row is gone either way, so the message names both)
        raise ValidationError(f"该附件已随之前的提交一并提交（或超过保留期 {valid_hours()} 小时已清除），不能再次使用；"
                              "如仍需附上，请重新选择文件", field="attachments")
    expired = [rows[t].filename for t in wanted if rows[t].expires_at <= now]
    if expired:
        named = "、".join(f"“{n}”" for n in expired)
        raise ValidationError(f"已上传的附件{named}已过期（保留 {valid_hours()} 小时），请重新选择文件",
                              field="attachments")
    return [rows[t] for t in wanted], [r for t, r in rows.items() if t not in wanted]


def claim(form: Any, *, owner: str | Sequence[str], now: datetime) -> list[tuple[str, bytes]]:
    """Inside the caller's unit of work: the (filename, bytes) of the pending uploads `form` refers to, deleted in
    the session so that they are used once — the form's use case commits that, a refusal rolls it back. Ticked
    (移除) uploads of this owner are dropped too. A token of another owner is refused (403), an expired or unknown
    one is reported (400). `owner` may name several (the user, and a saved draft they may act on)."""
    wanted, removed = _resolve(form, _owners(owner), now)
    out = [(r.filename, r.data) for r in wanted]
    for r in wanted + removed:
        db.session.delete(r)
    return out


def keep(form: Any, files: Sequence[tuple[str, bytes]], *, owner: str | Sequence[str], now: datetime, field: str = "attachments",
         label: str = "附件") -> tuple[list[Kept], list[str]]:
    """After a refused submit: the pending uploads to list on the re-rendered form — this owner's live ones that
    the form referred to, then each newly chosen file that passes the content/size check, stored as a new pending
    upload (owned by the first `owner`) — and the message of each new file that did not (it is not kept).
    Commits on its own."""
    with unit_of_work():
        kept = listed(posted_tokens(form), owner=owner, now=now)
        added, problems = stash(files, owner=_owners(owner)[0], now=now, field=field, label=label)
        _trim(_owners(owner)[0], keep_tokens={k.token for k in kept + added})
    return kept + added, problems


def keep_on_form(form: Any, field: Any, *, now: datetime, label: str = "附件", store: bool = True) -> list[Kept]:
    """`keep` for a refused WTForms form of this request's owner: the files of `field` that pass the check are kept;
    the message of each one that does not is added to the field's errors (unless already shown). With `store`
    false (a form the captcha refused: perhaps a bot) no new file is kept, only those kept before are listed."""
    from flask import request

    files = form.new_files()
    if store:
        kept, problems = keep(request.form, files, owner=owner_key(), now=now, field=field.name, label=label)
    else:
        kept, problems = listed(posted_tokens(request.form), owner=owner_key(), now=now), [NOT_KEPT] if files else []
    shown = set(field.errors) | set(form.form_errors)
    field.errors = list(field.errors) + [p if p.endswith("请重新选择") else p + "，未保留，请重新选择"
                                         for p in problems if p not in shown]
    return kept


def address_hash() -> str | None:
    """This request's client address as stored with an anonymous pending upload: keyed (SECRET_KEY), so the table
    holds no address; None outside a request."""
    if not has_request_context():
        return None
    from flask_limiter.util import get_remote_address

    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, (get_remote_address() or "").encode(), hashlib.sha256).hexdigest()


class _Budget:
    """What anonymous visitors may still store (config PENDING_UPLOAD_ANON_BYTES in all, PENDING_UPLOAD_ADDRESS_BYTES
    per client address in 24 hours). Counted inside the storing transaction; on PostgreSQL under a transaction-level
    advisory lock, so parallel requests count one after another and the budgets are never overshot; SQLite has one
    writer at a time (the second request's insert waits for or fails on the first's commit)."""

    def __init__(self, now: datetime) -> None:
        serialise(_BUDGET_LOCK)
        self.address = address_hash()
        live = PendingUpload.query.filter(PendingUpload.owner.like(ANON_PREFIX + "%"), PendingUpload.expires_at > now)
        total = live.with_entities(func.coalesce(func.sum(PendingUpload.size), 0)).scalar()
        recent = PendingUpload.query.filter(PendingUpload.address_hash == self.address,
                                            PendingUpload.created_at > now - ADDRESS_WINDOW)
        mine = recent.with_entities(func.coalesce(func.sum(PendingUpload.size), 0)).scalar()
        self.total_left = int(current_app.config["PENDING_UPLOAD_ANON_BYTES"]) - int(total)
        self.address_left = int(current_app.config["PENDING_UPLOAD_ADDRESS_BYTES"]) - int(mine)

    def take(self, size: int) -> bool:
        if size > self.total_left or size > self.address_left:
            return False
        self.total_left -= size
        self.address_left -= size
        return True


def stash(files: Sequence[tuple[str, bytes]], *, owner: str, now: datetime, until: datetime | None = None,
          field: str = "attachments", label: str = "附件") -> tuple[list[Kept], list[str]]:
    """Inside the caller's unit of work: each file that passes the content/size check becomes a pending upload of
    `owner` (until `until`, else PENDING_UPLOAD_HOURS); (kept, the message of each file refused). An anonymous
    owner's file over a budget (`_Budget`) is not kept either."""
    kept: list[Kept] = []
    problems: list[str] = []
    budget = _Budget(now) if owner.startswith(ANON_PREFIX) and files else None  # signed-in: MAX_PER_OWNER only
    for name, data in files:
        try:
            checked = check_one(name, data, field=field, label=label)
        except DomainError as err:
            problems.append(err.message)
            continue
        if budget is not None and not budget.take(len(checked.data)):
            problems.append(f"“{checked.filename}”{NOT_KEPT}")
            continue
        row = PendingUpload(token=secrets.token_urlsafe(TOKEN_BYTES), owner=owner, filename=checked.filename,
                            content_type=checked.content_type, size=len(checked.data), data=checked.data,
                            created_at=now, expires_at=until or now + timedelta(hours=valid_hours()),
                            address_hash=budget.address if budget is not None else None)
        db.session.add(row)
        kept.append(Kept(row.token, row.filename))
    return kept, problems


def discard_tokens(owner: str, *, keep: Sequence[str]) -> int:
    """Inside the caller's unit of work: delete `owner`'s pending uploads except `keep` (a draft saved again
    without some of its files)."""
    q = PendingUpload.query.filter(PendingUpload.owner == owner, PendingUpload.token.notin_(list(keep) or [""]))
    return int(q.delete(synchronize_session=False))


def discard(owner: str) -> int:
    """Inside the caller's unit of work: delete every pending upload of `owner` (a draft that was submitted)."""
    return int(PendingUpload.query.filter_by(owner=owner).delete(synchronize_session=False))


def _trim(owner: str, keep_tokens: set[str]) -> None:
    rows = (PendingUpload.query.filter_by(owner=owner).order_by(PendingUpload.id.desc())
            .with_entities(PendingUpload.id, PendingUpload.token).all())
    extra = [rid for rid, token in rows[MAX_PER_OWNER:] if token not in keep_tokens]
    if extra:
        PendingUpload.query.filter(PendingUpload.id.in_(extra)).delete(synchronize_session=False)


def listed(tokens: Iterable[str], *, owner: str | Sequence[str], now: datetime) -> list[Kept]:
    """The owner's live pending uploads among `tokens` (a form refilled from a preview, a draft or another step)."""
    order, owners = list(tokens), _owners(owner)
    rows = [r for r in _rows(order) if r.owner in owners and r.expires_at > now]
    return [Kept(r.token, r.filename) for r in sorted(rows, key=lambda r: order.index(r.token))]


def adopt(tokens: Iterable[str], *, owner: str | Sequence[str], new_owner: str, until: datetime,
          now: datetime) -> list[Kept]:
    """Inside the caller's unit of work: hand the owner's live pending uploads among `tokens` to `new_owner` (e.g.
    a saved draft, which others of the department reopen) and keep them until `until`; returns them."""
    owners = _owners(owner) + (new_owner,)
    rows = [r for r in _rows(tokens) if r.owner in owners and r.expires_at > now]
    for r in rows:
        r.owner, r.expires_at = new_owner, max(r.expires_at, until)
    return [Kept(r.token, r.filename) for r in rows]


def purge_expired(now: datetime) -> int:
    """The periodic duty: delete pending uploads whose time ran out; returns how many."""
    with unit_of_work():
        return int(PendingUpload.query.filter(PendingUpload.expires_at <= now).delete(synchronize_session=False))


def init_app(app: Flask) -> None:
    """The purge runs after every deadline sweep; templates get the accepted kinds for their file inputs."""
    from core.jobs.periodic import register_periodic

    register_periodic(purge_expired, "清理过期暂存附件")  # files uploaded but never submitted, past their keep time
    app.jinja_env.globals.update(upload_accept=ACCEPT_ATTR, upload_kinds=ACCEPTED, pending_field=FIELD,
                                 pending_remove_field=REMOVE_FIELD)
