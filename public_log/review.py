"""Publication review (保密审查): replies enter the queue masked; a reviewer who did not write the reply
publishes (possibly after editing), refuses with a reason, or later withdraws with a reason."""
from core import audit
from core.auth.models import Role
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db
from public_log.indexing import schedule
from public_log.masking import mask
from public_log.models import PublicRecord

ENTITY = "public_record"


def submit(*, kind, source_id, department_id, type_code, category_code, replied_on, author_id, title, request_text,
           reply_text, names=(), phones=(), ids=(), now):
    """Add a masked record to the review queue inside the caller's unit of work (once per source)."""
    existing = PublicRecord.query.filter_by(kind=kind, source_id=source_id).first()
    if existing is not None:
        return existing
    known = {"names": [n for n in names if n], "phones": [p for p in phones if p], "ids": [i for i in ids if i]}
    parts = {}
    listing = []
    for field, text in (("title", title), ("request_text", request_text), ("reply_text", reply_text)):
        parts[field], found = mask(text or "", **known)
        listing += [{"field": field, "kind": m.kind, "start": m.start, "end": m.end, "replacement": m.replacement,
                     "reason": m.reason} for m in found]
    record = PublicRecord(kind=kind, source_id=source_id, department_id=department_id, type_code=type_code,
                          category_code=category_code, replied_on=replied_on, author_id=author_id,
                          original_title=title or "", original_request=request_text or "",
                          original_reply=reply_text or "", maskings=listing, status="pending", created_at=now,
                          public_id="pending", known=known, **parts)
    db.session.add(record)
    db.session.flush()
    record.public_id = f"GK-{replied_on.year}-{record.id:06d}"
    audit.record(now=now, actor="system", entity_kind=ENTITY, entity_id=record.id, action="queued",
                 after={"kind": kind, "source": source_id, "maskings": len(listing)})
    return record


def may_review(user, record):
    """Supervisors, or the department's approver, and never the author of the reply."""
    if user is None or user.id == record.author_id:
        return False
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return user.role is Role.APPROVER and user.department_id == record.department_id


def _require(user, record, status):
    if not may_review(user, record):
        raise DomainError("您不能审查这条记录（答复人不能审查自己的答复）")
    if record.status != status:
        raise DomainError(f"记录当前状态为 {record.status}，不能这样操作")


def _public_text(record, edits):
    """Apply a reviewer's edits: each edited text is masked again (with the item's own people)."""
    for field, text in edits.items():
        if not (text or "").strip():
            raise ValidationError("公开文本不能为空", field=field)
        setattr(record, field, mask(text.strip(), **(record.known or {}))[0])


def _edits(title, request_text, reply_text):
    return {k: v for k, v in (("title", title), ("request_text", request_text), ("reply_text", reply_text))
            if v is not None}


def approve(record, *, now, actor, confirmed, title=None, request_text=None, reply_text=None):
    """Publish, optionally with the reviewer's edited public text (masked again before saving).
    The reviewer must confirm having checked the text (保密审查)."""
    _require(actor, record, "pending")
    if confirmed is not True:
        raise ValidationError("请确认已核对公开文本不含个人信息和保密内容", field="confirm")
    with unit_of_work():
        edits = _edits(title, request_text, reply_text)
        edits = {k: v for k, v in edits.items() if v.strip() != getattr(record, k)}
        _public_text(record, edits)
        record.status, record.reviewer_id, record.reviewed_at, record.published_at = "published", actor.id, now, now
        record.changed_at = now
        audit.record(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="published",
                     after={"edited": sorted(edits)})
        schedule(record)
    return record


def correct(record, *, note, now, actor, title=None, request_text=None, reply_text=None):
    """Correct a published record's public text; the note is shown with the record, old text audited."""
    if not (note or "").strip():
        raise ValidationError("请写明更正说明", field="note")
    if not may_manage(actor):
        raise DomainError("只有督办可以更正已公开的记录")
    if record.status != "published":
        raise DomainError("只有已公开的记录可以更正")
    edits = {k: v for k, v in _edits(title, request_text, reply_text).items() if v.strip() != getattr(record, k)}
    if not edits:
        raise ValidationError("公开文本没有改动", field="reply_text")
    with unit_of_work():
        before = {k: getattr(record, k) for k in edits}
        _public_text(record, edits)
        record.corrected_at, record.correction_note, record.changed_at = now, note.strip(), now
        audit.record(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="corrected",
                     before=before, after={"note": note.strip(), **{k: getattr(record, k) for k in edits}})
        schedule(record)
    return record


def may_manage(user):
    """Who may withdraw or correct published records."""
    return user is not None and user.role in (Role.SUPERVISOR, Role.ADMIN)


def refuse(record, *, reason, now, actor):
    if not (reason or "").strip():
        raise ValidationError("请写明不予公开的理由", field="reason")
    _require(actor, record, "pending")
    with unit_of_work():
        record.status, record.reviewer_id, record.reviewed_at = "refused", actor.id, now
        record.refusal_reason = reason.strip()
        audit.record(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="refused",
                     after={"reason": reason.strip()})
    return record


def withdraw(record, *, reason, now, actor):
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
        audit.record(now=now, actor=actor, entity_kind=ENTITY, entity_id=record.id, action="withdrawn",
                     after={"reason": reason.strip()})
    return record


def pending(user):
    """The review queue this user may work on."""
    return [r for r in PublicRecord.query.filter_by(status="pending").order_by(PublicRecord.id) if may_review(user, r)]
