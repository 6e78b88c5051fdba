"""Read-side questions about clocks, each answered from an index (no per-row round trips)."""
from sqlalchemy import func

from core.clocks.models import Clock
from core.extensions import db


def open_clocks_due_before(moment, limit=500):
    """Running clocks whose due moment is before `moment`, earliest first."""
    return (Clock.query.filter(Clock.state == "running", Clock.due_at < moment)
            .order_by(Clock.due_at, Clock.id).limit(limit).all())


def overdue_by_department(now):
    """{department_id: number of running clocks past their due moment at `now`}."""
    rows = (db.session.query(Clock.department_id, func.count(Clock.id))
            .filter(Clock.state == "running", Clock.due_at < now).group_by(Clock.department_id).all())
    return dict(rows)
