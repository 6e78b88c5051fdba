"""Reading the public log: filters (shared by browsing and search), browsing newest first, labels."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Query

from core.departments.models import Department
from core.departments.service import get_by_code
from core.errors import ValidationError
from core.inputs import date_field
from public_log import labels
from public_log.models import PublicRecord

KINDS = {"disclosure": "依申请公开", "hotline": "12345热线"}
PER_PAGE = 20
MAX_PAGE = 500


def type_labels() -> dict[str, dict[str, str]]:
    """Type or outcome codes the log can be filtered by, with their Chinese labels (as the workflows
    registered them: public_log/labels.py)."""
    return labels.types_by_kind()


def type_label(code: str | None) -> str:
    for kind_labels in type_labels().values():
        if code in kind_labels:
            return kind_labels[code]
    return code or ""


def category_labels(max_level: int = 2) -> dict[str, str]:
    return {code: name for code, name, *_ in labels.categories() if len(code) <= 2 * max_level}


def category_label(code: str | None) -> str:
    return {c: n for c, n, *_ in labels.categories()}.get(code or "", "")


@dataclass
class Filters:
    kind: str = ""
    department: str = ""
    type_code: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        """Parse query-string filters; every bad value is a field error in Chinese (dates: core.inputs)."""
        f = cls(kind=(args.get("kind") or "").strip(), department=(args.get("department") or "").strip().lower(),
                type_code=(args.get("type") or "").strip(), category=(args.get("category") or "").strip(),
                date_from=date_field(args, "from", label="开始日期"), date_to=date_field(args, "to", label="结束日期"))
        if f.kind and f.kind not in KINDS:
            raise ValidationError("类别只能是 disclosure（依申请公开）或 hotline（12345热线）", field="kind")
        if f.type_code and not any(f.type_code in labels for labels in type_labels().values()):
            raise ValidationError(f"没有这种类型或答复结果：{f.type_code}", field="type")
        if f.category and (not f.category.isdigit() or not category_label(f.category)):
            raise ValidationError(f"没有这个诉求分类：{f.category}", field="category")
        if f.department and get_by_code(f.department, active_only=False) is None:
            raise ValidationError(f"没有代码为 {f.department} 的部门", field="department")
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise ValidationError("开始日期不能晚于结束日期", field="from")
        return f

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def cache_key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def as_args(self) -> dict[str, str]:
        names = {"type_code": "type", "date_from": "from", "date_to": "to"}
        return {names.get(f.name, f.name): (v.isoformat() if isinstance(v, date) else v)
                for f in fields(self) if (v := getattr(self, f.name))}

    def clauses(self, entity: Any = PublicRecord) -> list[Any]:
        """SQL conditions on `entity` (public records, or the search documents that copy their columns)."""
        out = []
        if self.kind:
            out.append(entity.kind == self.kind)
        if self.department:
            out.append(entity.department_id == sa.select(Department.id).where(
                Department.code == self.department).scalar_subquery())
        if self.type_code:
            out.append(entity.type_code == self.type_code)
        if self.category:
            out.append(entity.category_code.startswith(self.category, autoescape=True))
        if self.date_from:
            out.append(entity.replied_on >= self.date_from)
        if self.date_to:
            out.append(entity.replied_on <= self.date_to)
        return out


def published() -> Query[PublicRecord]:
    """What may be public: records that passed publication review and were not withdrawn."""
    return PublicRecord.query.filter(PublicRecord.status == "published")


def published_records(kind: str, source_ids: Collection[int]) -> dict[int, PublicRecord]:
    """{source id: published record} of these items, as the reviewer approved them; items without one
    are absent (other systems show nothing of them)."""
    if not source_ids:
        return {}
    rows = published().filter(PublicRecord.kind == kind, PublicRecord.source_id.in_(list(source_ids)))
    return {record.source_id: record for record in rows}


def record_of(kind: str, source_id: int) -> PublicRecord | None:
    """The public record of one item whatever its review stage (pending, published, withdrawn), or None:
    for the workflow's own pages, which decide what of it to show."""
    return PublicRecord.query.filter_by(kind=kind, source_id=source_id).first()


def browse(filters: Filters, *, page: int = 1, per_page: int = PER_PAGE) -> tuple[list[PublicRecord], int]:
    """Published records newest first, filtered: (records, total)."""
    query = published().filter(*filters.clauses())
    total = query.count()
    records = (query.order_by(PublicRecord.published_at.desc(), PublicRecord.id.desc())
               .limit(per_page).offset((page - 1) * per_page).all())
    return records, total


def by_ids(ids: list[int]) -> list[PublicRecord]:
    """Published records in the order of `ids` (a search result page): an index a job has not yet
    caught up with never brings back a withdrawn record."""
    found = {r.id: r for r in published().filter(PublicRecord.id.in_(ids))} if ids else {}
    return [found[i] for i in ids if i in found]


def newest(department: Department | None = None, limit: int = 50) -> list[PublicRecord]:
    query = published()
    if department is not None:
        query = query.filter(PublicRecord.department_id == department.id)
    return query.order_by(PublicRecord.published_at.desc(), PublicRecord.id.desc()).limit(limit).all()


def by_public_id(public_id: str) -> PublicRecord | None:
    return PublicRecord.query.filter_by(public_id=public_id).first()


def permalink_target(public_id: str) -> PublicRecord | None:
    """The record behind a permalink: published or withdrawn (the caller answers 410); else None."""
    record = by_public_id(public_id)
    return record if record is not None and record.status in ("published", "withdrawn") else None


def departments_with_records() -> list[Department]:
    """Departments with at least one published record (the search page's filter), one index probe per
    department (a DISTINCT over the records read them all: 168 ms a page at 50,000 records, bench_public.py)."""
    published = sa.exists().where(PublicRecord.department_id == Department.id, PublicRecord.status == "published")
    return Department.query.filter(published).order_by(Department.code).all()
