"""Saved reply drafts (保存草稿, issue 18 item 13): the reply form kept as typed — outcome, text, legal ground, every
other field and its files (pending uploads handed to the draft, core/pending_uploads.py) — without submitting.
The handling page refills the reply form from it, naming who saved it and when; a submitted reply clears it.
Not the `reply_drafted` state of the sign-off flow (reply.py): that is a submitted reply awaiting the head's
sign-off; a saved draft is nobody's act and the applicant never sees it. A reply the head returns for rework
becomes the draft (from_returned): the clerk finds the form as submitted, its files attached, and the note."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict

from core import pending_uploads
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module.models import ReplyDraft
from requests_module.states import Status

if TYPE_CHECKING:
    from collections.abc import Sequence

    from requests_module.models import DisclosureRequest

KEEP_DAYS = 30  # the files of a saved draft are kept this long after its last save
MAX_FIELDS, MAX_VALUE_CHARS = 60, 20_000  # the reply form has ~20 fields; its longest, the text, fits
SKIP = ("csrf_token", pending_uploads.FIELD, pending_uploads.REMOVE_FIELD)
RETURNED = ("_returned_by", "_returned_at", "_returned_note")  # kept with a returned reply's values, not form fields


@dataclass(frozen=True)
class Returned:
    """Who returned the reply the draft holds, when, and their note."""
    by: str
    at: datetime
    note: str


@dataclass
class Draft:
    """A saved draft as the page shows it."""
    values: MultiDict[str, str]
    saved_by: str
    saved_at: datetime
    files: list[pending_uploads.Kept] = field(default_factory=list)
    returned: Returned | None = None


def owner(request_id: int) -> str:
    """The owner of the pending uploads of an application's draft: whoever may reply to it may use them."""
    return f"reply_draft:{request_id}"


def save(req: DisclosureRequest, form: Any, *, files: Sequence[tuple[str, bytes]], uploader: str, now: datetime,
         actor: Any) -> list[str]:
    """Save the reply form's values and files as the application's draft, replacing an earlier one; only while a
    reply can be made (assigned). The chosen files that pass the check are kept with it, and so are the pending
    uploads the form lists (uploaded by `uploader`, or the draft's own); returns the message of each file refused."""
    if req.status != Status.ASSIGNED.value:
        raise TransitionError("只有待答复的申请可以保存答复草稿")
    until = now + timedelta(days=KEEP_DAYS)
    values = [(k, v) for k, v in form.items(multi=True) if k not in SKIP and not k.startswith("kept_")]
    # a draft holds the reply form, not whatever a client posts: a bounded number of short keys and values
    if len(values) > MAX_FIELDS or any(len(k) > 40 or len(v) > MAX_VALUE_CHARS for k, v in values):
        raise ValidationError(f"答复草稿过大：每项不超过 {MAX_VALUE_CHARS} 字", field="text")
    with unit_of_work():
        posted = pending_uploads.posted_tokens(form)
        kept = pending_uploads.adopt(posted, owner=uploader, new_owner=owner(req.id), until=until, now=now)
        added, problems = pending_uploads.stash(files, owner=owner(req.id), now=now, until=until)
        lost = len(set(posted)) - len(kept)
        if lost > 0:  # expired, already submitted, or not theirs: say so rather than drop them silently
            problems = [f"有 {lost} 个已上传的附件已过期或已不可用，未存入草稿，请重新选择", *problems]
        tokens = [k.token for k in kept + added]
        pending_uploads.discard_tokens(owner(req.id), keep=tokens)  # files ticked 移除 leave the draft
        values += [(pending_uploads.FIELD, t) for t in tokens]
        draft = ReplyDraft.query.filter_by(request_id=req.id).first() or ReplyDraft(request_id=req.id)
        draft.values = json.dumps(values, ensure_ascii=False)
        draft.saved_by_id, draft.saved_at = getattr(actor, "id", None), now
        db.session.add(draft)
    return problems


def load(req: DisclosureRequest, *, now: datetime) -> Draft | None:
    """The application's saved draft while a reply can be made, its files that are still kept."""
    draft = ReplyDraft.query.filter_by(request_id=req.id).first()
    if draft is None or req.status != Status.ASSIGNED.value:
        return None
    values: MultiDict[str, str] = MultiDict([tuple(pair) for pair in json.loads(draft.values or "[]")])
    files = pending_uploads.listed(values.getlist(pending_uploads.FIELD), owner=owner(req.id), now=now)
    who = draft.saved_by.label if draft.saved_by is not None else "—"
    returned = None
    if values.get(RETURNED[0]) is not None:
        returned = Returned(values.get(RETURNED[0], ""), datetime.fromisoformat(values.get(RETURNED[1], "")),
                            values.get(RETURNED[2], ""))
    for key in RETURNED:
        values.poplist(key)
    return Draft(values, who, draft.saved_at, files, returned)


def from_returned(req: DisclosureRequest, values: dict[str, str | None], files: Sequence[tuple[str, bytes]], *,
                  author_id: int | None, returned_by: str, note: str, now: datetime) -> None:
    """Inside the caller's unit of work: the reply returned for rework (reply.sign_off) becomes the application's
    saved draft, replacing an earlier one — its values, its files as the draft's pending uploads, and who returned
    it, when, with what note — so the handling page refills the reply form with it."""
    until = now + timedelta(days=KEEP_DAYS)
    pending_uploads.discard(owner(req.id))
    added, _ = pending_uploads.stash(files, owner=owner(req.id), now=now, until=until)  # passed the check before
    pairs = [(k, v) for k, v in values.items() if v]
    pairs += [(pending_uploads.FIELD, k.token) for k in added]
    pairs += list(zip(RETURNED, (returned_by, now.isoformat(), note), strict=True))
    draft = ReplyDraft.query.filter_by(request_id=req.id).first() or ReplyDraft(request_id=req.id)
    draft.values = json.dumps(pairs, ensure_ascii=False)
    draft.saved_by_id, draft.saved_at = author_id, now
    db.session.add(draft)


def clear(req: DisclosureRequest) -> None:
    """Inside the reply's unit of work: the submitted reply replaces the draft — it and its files go."""
    ReplyDraft.query.filter_by(request_id=req.id).delete(synchronize_session=False)
    pending_uploads.discard(owner(req.id))
