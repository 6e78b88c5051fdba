"""Publication review (保密审查): replies enter the queue masked; a reviewer who did not write the reply
publishes (possibly after editing), refuses with a reason, or later withdraws with a reason."""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from flask import current_app

from core import audit
from core.auth.models import Role
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db
from public_log.indexing import schedule
from public_log.masking import Masking, apply, mask
from public_log.models import PublicRecord
from public_log.official import official_contacts
from public_log.places import public_address, public_point

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date, datetime
    from typing import Any

    from core.audit import Actor
    from core.auth.models import User
    from public_log.masking import Official

ENTITY = "public_record"


FIELDS = ("title", "request_text", "reply_text")
ORIGINALS = {"title": "original_title", "request_text": "original_request", "reply_text": "original_reply"}


class ReviewAgain(DomainError):
    """The reviewer's text was changed by masking: it is saved, and must be looked at again before it
    is published, so that what a reviewer approves is exactly what is published."""
    status = 409


def public_version(record: PublicRecord, text: str, official: Official | None = None) -> tuple[str, list[Masking]]:
    """(public text, maskings) of `text` for this record: the engine with the item's own people and
    the official contact data, minus the spans a reviewer restored, plus the values a reviewer masked.
    The one masking rule for submission, edits, corrections and their notes."""
    known = record.known or {}
    maskings = mask(text or "", names=known.get("names", ()), phones=known.get("phones", ()),
                    ids=known.get("ids", ()), official=official or official_contacts())[1]
    restored = {d["value"] for d in known.get("restored", [])}
    kept = [m for m in maskings if (text or "")[m.start:m.end] not in restored]  # in order, no overlaps
    starts = [m.start for m in kept]
    occurrences = sorted((found.start(), found.end(), decision) for decision in known.get("added", [])
                         for found in re.finditer(re.escape(decision["value"]), text or ""))
    added, last_end = [], -1
    for start, end, decision in occurrences:  # one pass: each occurrence against its neighbours only
        k = bisect.bisect_right(starts, start) - 1
        if start < last_end or (k >= 0 and kept[k].end > start) or (k + 1 < len(kept) and kept[k + 1].start < end):
            continue
        value = decision["value"]
        added.append(Masking("审查人遮盖", start, end, value[0] + "*" * (len(value) - 1),
                             f"审查人补充遮盖：{decision['reason']}"))
        last_end = end
    kept = sorted(kept + added, key=lambda m: m.start)
    return apply(text or "", kept), kept


def _render(record: PublicRecord, official: Official | None = None) -> None:
    """Public texts of every field from the originals, with the reviewer's decisions; the masking list."""
    official, listing = official or official_contacts(), []
    for field in FIELDS:
        text, found = public_version(record, getattr(record, ORIGINALS[field]), official)
        setattr(record, field, text)
        listing += [{"field": field, "kind": m.kind, "start": m.start, "end": m.end, "replacement": m.replacement,
                     "reason": m.reason, "confidence": m.confidence} for m in found]
    record.maskings = listing


def submit(*, kind: str, source_id: int, department_id: int, type_code: str | None, category_code: str | None,
           replied_on: date, author_id: int | None,
           title: str, request_text: str,
           reply_text: str, names: Iterable[str | None] = (), phones: Iterable[str | None] = (),
           ids: Iterable[str | None] = (), now: datetime, address: str | None = None, lat: float | None = None,
           lng: float | None = None) -> PublicRecord:
    """Add a masked record to the review queue inside the caller's unit of work (once per source);
    a hotline record also keeps its place as the public may see it (road or estate, grid point)."""
    existing = PublicRecord.query.filter_by(kind=kind, source_id=source_id).first()
    if existing is not None:
        return existing
    known = {"names": [n for n in names if n], "phones": [p for p in phones if p], "ids": [i for i in ids if i]}
    record = PublicRecord(kind=kind, source_id=source_id, department_id=department_id, type_code=type_code,
                          category_code=category_code, replied_on=replied_on, author_id=author_id,
                          original_title=title or "", original_request=request_text or "",
                          original_reply=reply_text or "", status="pending", created_at=now,
                          public_id="pending", known=known, title="", request_text="", reply_text="")
    official = official_contacts()
    _render(record, official)
    place = public_address(address)
    record.place = public_version(record, place, official)[0][:200] if place else None
    record.lat, record.lng = public_point(lat, lng, current_app.config["PUBLIC_LOCATION_GRID_M"])
    db.session.add(record)
    db.session.flush()
    record.public_id = f"GK-{replied_on.year}-{record.id:06d}"
    audit.log_change(now=now, actor="system", entity_kind=ENTITY, entity_id=record.id, action="queued",
                 after={"kind": kind, "source": source_id, "maskings": len(record.maskings)})
    return record


DECISIONS = {"restored": "added", "added": "restored"}  # each kind of span decision and its opposite


def _decide_span(record: PublicRecord, *, now: datetime, actor: Actor, key: str, decision: dict[str, Any],
                 action: str) -> PublicRecord:
    """Record a reviewer's decision about a text (restore it, or mask it), replacing any earlier
    decision about the same text, either way; re-render the public texts; audit with the reason."""
    if not (decision["reason"] or "").strip():
        raise ValidationError("请写明理由（记入审计记录）", field="reason")
    with unit_of_work():
        known = dict(record.known or {})
        for other in (key, DECISIONS[key]):
            known[other] = [d for d in known.get(other, []) if d["value"] != decision["value"]]
        known[key].append({**decision, "reason": decision["reason"].strip(), "by": actor.id, "at": now.isoformat()})
        record.known = known
        _render(record)
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action=action,
                     after={"reason": decision["reason"].strip(), "length": len(decision["value"])})
    return record


def unmask(record: PublicRecord, *, index: int | None, reason: str | None, now: datetime, actor: Actor,
           expected: str | None = None) -> PublicRecord:
    """Restore one masked span the reviewer judges not personal (an office line, a public figure's
    name), with a reason kept in the audit trail; the same text stays unmasked wherever it appears.
    `expected` is the text the reviewer saw at that place: if the list changed meanwhile (another
    reviewer's decision), nothing is restored."""
    _require(actor, record, "pending")
    listing = record.maskings or []
    if not isinstance(index, int) or not 0 <= index < len(listing):
        raise ValidationError("请选择要恢复的遮蔽", field="index")
    m = listing[index]
    value = getattr(record, ORIGINALS[m["field"]])[m["start"]:m["end"]]
    if expected is not None and expected != value:
        raise DomainError("遮蔽列表已被他人修改，请刷新页面后重新选择。")
    return _decide_span(record, now=now, actor=actor, key="restored", decision={"value": value, "reason": reason},
                        action="unmasked")


def mask_span(record: PublicRecord, *, value: str | None, reason: str | None, now: datetime,
              actor: Actor) -> PublicRecord:
    """Mask a text the engine missed, wherever it appears in the record, with a reason (audited)."""
    _require(actor, record, "pending")
    value = (value or "").strip()
    if len(value) < 2:
        raise ValidationError("请填写要遮盖的文字（至少 2 个字）", field="value")
    if not any(value in getattr(record, ORIGINALS[f]) for f in FIELDS):
        raise ValidationError("原文中没有这段文字", field="value")
    return _decide_span(record, now=now, actor=actor, key="added", decision={"value": value, "reason": reason},
                        action="masked")


def may_review(user: User, record: PublicRecord) -> bool:
    """Supervisors, or the department's approver, and never the author of the reply."""
    if user is None or user.id == record.author_id:
        return False
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return user.role is Role.APPROVER and user.department_id == record.department_id


def _require(user: User, record: PublicRecord, status: str | Iterable[str]) -> None:
    if not may_review(user, record):
        raise DomainError("您不能审查这条记录（答复人不能审查自己的答复）")
    if record.status != status:
        raise DomainError(f"记录当前状态为 {record.status}，不能这样操作")


def _public_text(record: PublicRecord, edits: Mapping[str, str]) -> bool:
    """Apply edits through the one masking rule; True when masking changed what was typed."""
    changed, official = False, official_contacts() if edits else None
    for field, text in edits.items():
        if not (text or "").strip():
            raise ValidationError("公开文本不能为空", field=field)
        public, _ = public_version(record, text.strip(), official)
        changed |= public != text.strip()
        setattr(record, field, public)
    return changed


def _edits(title: str | None, request_text: str | None, reply_text: str | None) -> dict[str, str]:
    return {k: v for k, v in (("title", title), ("request_text", request_text), ("reply_text", reply_text))
            if v is not None}


def approve_publication(record: PublicRecord, *, now: datetime, actor: Actor, confirmed: bool | None,
                        title: str | None = None,
                        request_text: str | None = None, reply_text: str | None = None) -> PublicRecord:
    """Publish exactly the text the reviewer approved. Edits go through the one masking rule; when it
    changes them, the masked text is saved (still pending) and the reviewer is asked to look again
    (ReviewAgain). The reviewer must confirm having checked the text (保密审查)."""
    _require(actor, record, "pending")
    if confirmed is not True:
        raise ValidationError("请确认已核对公开文本不含个人信息和保密内容", field="confirm")
    edits = {k: v for k, v in _edits(title, request_text, reply_text).items() if v.strip() != getattr(record, k)}
    with unit_of_work():
        if _public_text(record, edits):
            audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="edited",
                         after={"edited": sorted(edits), "masked_again": True})
            again = True
        else:
            again = False
            record.status, record.reviewer_id, record.reviewed_at, record.published_at = "published", actor.id, now, now
            record.changed_at = now
            audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="published",
                         after={"edited": sorted(edits)})
            schedule(record)
    if again:
        raise ReviewAgain("修改后的公开文本中仍有个人信息，已按规则遮盖并保存，请再次核对后确认公开。")
    return record


def correct(record: PublicRecord, *, note: str | None, now: datetime, actor: Actor, title: str | None = None,
            request_text: str | None = None, reply_text: str | None = None) -> PublicRecord:
    """Correct a published record's public text. Text and note go through the one masking rule; the
    note is shown with the record and the old text kept in the audit trail; a correction that leaves
    the public text as it was is refused, so no banner announces a change that did not happen."""
    if not (note or "").strip():
        raise ValidationError("请写明更正说明", field="note")
    if not may_manage(actor):
        raise DomainError("只有督办可以更正已公开的记录")
    if record.status != "published":
        raise DomainError("只有已公开的记录可以更正")
    before, official = {k: getattr(record, k) for k in FIELDS}, official_contacts()
    public = {k: public_version(record, v.strip(), official)[0]
              for k, v in _edits(title, request_text, reply_text).items() if v.strip()}
    changed = {k: v for k, v in public.items() if v != before[k]}
    if not changed:
        raise ValidationError("公开文本没有改动（遮盖后与现在公开的文本相同）", field="reply_text")
    with unit_of_work():
        for field, text in changed.items():
            setattr(record, field, text)
        masked_note = public_version(record, note.strip(), official)[0]
        record.corrected_at, record.correction_note, record.changed_at = now, masked_note, now
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="corrected",
                     before={k: before[k] for k in changed}, after={"note": masked_note, **changed})
        schedule(record)
    return record


def may_manage(user: User | None) -> bool:
    """Who may withdraw or correct published records."""
    return user is not None and user.role in (Role.SUPERVISOR, Role.ADMIN)


def refuse(record: PublicRecord, *, reason: str | None, now: datetime, actor: Actor) -> PublicRecord:
    if not (reason or "").strip():
        raise ValidationError("请写明不予公开的理由", field="reason")
    _require(actor, record, "pending")
    with unit_of_work():
        record.status, record.reviewer_id, record.reviewed_at = "refused", actor.id, now
        record.refusal_reason = reason.strip()
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="refused",
                     after={"reason": reason.strip()})
    return record


def withdraw(record: PublicRecord, *, reason: str | None, now: datetime, actor: Actor) -> PublicRecord:
    """Take a published record off the public log; the reason stays in the audit trail."""
    if not (reason or "").strip():
        raise ValidationError("请写明撤回理由", field="reason")
    if not may_manage(actor):
        raise DomainError("只有督办可以撤回已公开的记录")
    if record.status != "published":
        raise DomainError("只有已公开的记录可以撤回")
    with unit_of_work():
        record.status, record.withdrawn_reason, record.changed_at = "withdrawn", reason.strip(), now
        schedule(record)
        audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="withdrawn",
                     after={"reason": reason.strip()})
    return record


def pending(user: User) -> list[PublicRecord]:
    """The review queue this user may work on."""
    return [r for r in PublicRecord.query.filter_by(status="pending").order_by(PublicRecord.id) if may_review(user, r)]


# ---- 重办 (a reopened 12345 ticket): the earlier answer leaves public view; the new one is reviewed again ----

SUPERSEDED = "工单重办：原答复已被新一轮办理取代，新答复经审查后公开"


def supersede(*, kind: str, source_id: int, now: datetime, actor: Actor,
              reason: str | None = "") -> PublicRecord | None:
    """Take the source's record out of public view inside the caller's unit of work: a published one is
    withdrawn (its permalink answers 410, search, feeds and Open311 drop it), a pending one leaves the
    review queue, so that no reviewer publishes an answer that 重办 replaced (国办发〔2020〕53号 (十))."""
    record = PublicRecord.query.filter_by(kind=kind, source_id=source_id).first()
    if record is None or record.status not in ("published", "pending"):
        return record
    before = record.status
    if before == "published":
        record.status, record.withdrawn_reason = "withdrawn", SUPERSEDED
    else:
        record.status, record.refusal_reason = "refused", SUPERSEDED
    record.changed_at = now
    schedule(record)
    audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="superseded",
                 before={"status": before}, after={"status": record.status, "reason": (reason or "").strip()})
    return record


def resubmit(*, kind: str, source_id: int, department_id: int, type_code: str | None, category_code: str | None,
             replied_on: date, author_id: int | None,
             title: str,
             request_text: str, reply_text: str, names: Iterable[str | None] = (), phones: Iterable[str | None] = (),
             ids: Iterable[str | None] = (), now: datetime, address: str | None = None, lat: float | None = None,
             lng: float | None = None) -> PublicRecord:
    """Queue the source's newest answer for review: a new record (submit), or the existing one with its
    originals replaced and masked again, back to pending under the same permalink. The reviewer's earlier
    extra masks are kept (they only hide more); earlier restorations are dropped, as they were decided on
    a text that is gone. Nothing of the new answer is public before a reviewer approves it."""
    record = PublicRecord.query.filter_by(kind=kind, source_id=source_id).first()
    if record is None:
        return submit(kind=kind, source_id=source_id, department_id=department_id, type_code=type_code,
                      category_code=category_code, replied_on=replied_on, author_id=author_id, title=title,
                      request_text=request_text, reply_text=reply_text, names=names, phones=phones, ids=ids,
                      now=now, address=address, lat=lat, lng=lng)
    before = record.status
    record.known = {"names": [n for n in names if n], "phones": [p for p in phones if p],
                    "ids": [i for i in ids if i], "added": list((record.known or {}).get("added", []))}
    record.department_id, record.type_code, record.category_code = department_id, type_code, category_code
    record.replied_on, record.author_id = replied_on, author_id
    record.original_title, record.original_request = title or "", request_text or ""
    record.original_reply = reply_text or ""
    official = official_contacts()
    _render(record, official)
    place = public_address(address)
    record.place = public_version(record, place, official)[0][:200] if place else None
    record.lat, record.lng = public_point(lat, lng, current_app.config["PUBLIC_LOCATION_GRID_M"])
    record.status, record.reviewer_id, record.reviewed_at, record.published_at = "pending", None, None, None
    record.refusal_reason = record.withdrawn_reason = record.correction_note = record.corrected_at = None
    record.changed_at = now
    schedule(record)
    audit.log_change(now=now, actor="system", entity_kind=ENTITY, entity_id=record.id, action="resubmitted",
                 before={"status": before}, after={"maskings": len(record.maskings)})
    return record
