"""Read-side questions about clocks, each answered from an index (no per-row round trips)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func

from core.clocks.models import Clock
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime


def open_clocks_due_before(moment: datetime, limit: int = 500) -> list[Clock]:
    """Running clocks whose due moment is before `moment`, earliest first."""
    return (Clock.query.filter(Clock.state == "running", Clock.due_at < moment)
            .order_by(Clock.due_at, Clock.id).limit(limit).all())


def overdue_by_department(now: datetime) -> dict[int | None, int]:
    """{department_id: number of running clocks past their due moment at `now`}."""
    rows = (db.session.query(Clock.department_id, func.count(Clock.id))
            .filter(Clock.state == "running", Clock.due_at < now).group_by(Clock.department_id).all())
    return dict(rows)
