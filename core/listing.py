"""Filters shared by the workflow lists (API and pages): state, department, overdue by clock."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.clocks.models import Clock
from core.departments.service import require_by_code
from core.errors import ValidationError
from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from typing import Any

    from sqlalchemy.orm import Query


def status_filter(query: Query[Any], column: Any, status: str | None, allowed: Iterable[str]) -> Query[Any]:
    """Filter on a state value, refusing unknown ones with a field error."""
    if not status:
        return query
    if status not in allowed:
        raise ValidationError(f"未知状态 {status!r}", field="status")
    return query.filter(column == status)


def department_id(code: str) -> int:
    """The id of the department with this code (active or not), or a field error."""
    return require_by_code(code, active_only=False, field="department").id


def overdue_filter(query: Query[Any], id_column: Any, *, entity_kind: str, overdue: bool | None, now: datetime,
                   clock_name: str | None = None) -> Query[Any]:
    """Keep (overdue=True) or drop (False) items with a running clock past its due moment at `now`."""
    if overdue is None:
        return query
    late = db.session.query(Clock.entity_id).filter(Clock.entity_kind == entity_kind, Clock.state == "running",
                                                    Clock.due_at < now)
    if clock_name:
        late = late.filter(Clock.name == clock_name)
    ids = [int(i) for (i,) in late]
    return query.filter(id_column.in_(ids) if overdue else ~id_column.in_(ids))
