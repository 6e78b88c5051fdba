"""The knowledge base: staff propose answers, supervisors publish them; searched in Chinese by
character bigrams (the public log's jieba search arrives with issue 6)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from core import audit
from core.auth.models import Role
from core.db import UTCDateTime, unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db

if TYPE_CHECKING:
    from core.auth.models import User
    from core.departments.models import Department
    from hotline.common import Actor


class KnowledgeEntry(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "knowledge_entries"

    id = db.Column(db.Integer, primary_key=True)
    question = db.Column(db.String(200), nullable=False)
    answer = db.Column(db.Text, nullable=False)
    category_code = db.Column(db.String(6), db.ForeignKey("hotline_categories.code"), nullable=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)
    valid_from = db.Column(db.Date, nullable=True)
    valid_until = db.Column(db.Date, nullable=True)
    status = db.Column(db.String(10), nullable=False, default="draft")  # draft | published | retired
    proposed_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    published_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(UTCDateTime(), nullable=False)

    department = db.relationship("Department", lazy="joined")

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or day <= self.valid_until)


def propose(*, question: str | None, answer: str | None, now: datetime, actor: Actor,
            category_code: str | None = None, department: Department | None = None, valid_from: date | None = None,
            valid_until: date | None = None) -> KnowledgeEntry:
    """Any staff member proposes an entry; it stays a draft until a supervisor publishes it."""
    errors: dict[str, str] = {}
    if not (question or "").strip():
        errors["question"] = "请填写问题"
    if not (answer or "").strip():
        errors["answer"] = "请填写答复口径"
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "有效期结束不能早于开始"
    if errors:
        raise ValidationError("；".join(errors.values()), fields=errors)
    question, answer = cast(str, question), cast(str, answer)  # both checked not empty above
    with unit_of_work():
        entry = KnowledgeEntry(question=question.strip()[:200], answer=answer.strip(), category_code=category_code or None,
                               department=department, valid_from=valid_from, valid_until=valid_until,
                               status="draft", proposed_by=getattr(actor, "id", None), created_at=now)
        db.session.add(entry)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind="knowledge", entity_id=entry.id, action="proposed",
                     after={"question": entry.question})
    return entry


def set_status(entry: KnowledgeEntry, status: str, *, now: datetime, actor: User) -> KnowledgeEntry:
    """Supervisors publish or retire entries (`actor` is a user: its role is checked)."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise DomainError("只有督办可以发布或停用知识")
    if status not in ("published", "retired") or entry.status == status:
        raise ValidationError("状态无效", field="status")
    with unit_of_work():
        before = entry.status
        entry.status = status
        if status == "published":
            entry.published_by = actor.id
        audit.log_change(now=now, actor=actor, entity_kind="knowledge", entity_id=entry.id, action=status,
                     before={"status": before}, after={"status": status})
    return entry


def _terms(text: str | None) -> set[str]:
    """Search terms: Chinese character bigrams and latin/digit words."""
    text = (text or "").lower()
    terms = set(re.findall(r"[a-z0-9]{2,}", text))
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        if len(run) == 1:
            terms.add(run)
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
    return terms


def search(text: str, *, today: date | None = None, published_only: bool = True,
           limit: int = 5) -> list[KnowledgeEntry]:
    """Entries ranked by how many of the text's terms they contain (question counts double)."""
    terms = _terms(text)
    if not terms:
        return []
    q = KnowledgeEntry.query
    if published_only:
        q = q.filter_by(status="published")
    scored = []
    for e in q.all():
        if today and not e.valid_on(today):
            continue
        question, answer = e.question.lower(), e.answer.lower()
        score = sum(2 * (t in question) + (t in answer) for t in terms)
        if score:
            scored.append((score, e.id, e))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    return [e for _, _, e in scored[:limit]]


# The states of an entry (KnowledgeEntry.status) as the knowledge-base page names them.
STATUS_LABELS = {"draft": "待发布", "published": "已发布", "retired": "已停用"}
