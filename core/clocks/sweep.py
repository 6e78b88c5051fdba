"""The deadline sweep: due-soon warnings, overdue marks, escalation (DESIGN §3, §4).

Idempotent: each step claims its clocks with one UPDATE … WHERE <not yet done> RETURNING, and only
the claimed clocks get notifications, so a second sweep at the same `now` (or a concurrent one)
sends nothing twice. Set-based: a few statements per thousand clocks, never one per clock. Warnings
and overdue notices go to each item's assignee and department, one per item; supervisors get one
digest per sweep of everything escalated (core/clocks/digest.py).
"""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, select, update

from core.auth.models import Role, User
from core.clocks.digest import CLOCK_NAMES, DIGEST, DueText, digest_context, label
from core.clocks.models import Clock
from core.db import insert_many, serialise, unit_of_work
from core.departments.models import Department
from core.extensions import db
from core.notifications.models import Notification
from core.notifications.templates import render, renderer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from datetime import datetime, tzinfo
    from typing import Any

BATCH = 5000


# Clocks of work no department holds yet (department_id NULL) alert whoever runs that kind's intake:
# {entity_kind: roles}, registered by the package that owns the kind (core imports neither package).
UNASSIGNED_RECIPIENTS: dict[str, tuple[Role, ...]] = {}


def register_unassigned_recipients(entity_kind: str, roles: Iterable[Role]) -> None:
    """Due-soon and overdue alerts of `entity_kind` clocks without a department go to users of `roles`."""
    UNASSIGNED_RECIPIENTS[entity_kind] = tuple(roles)


def _recipients() -> tuple[dict[int | None, list[int]], list[int], dict[str, list[int]]]:
    """Approvers by department, the supervisors and the intake users per entity kind, loaded once per sweep."""
    approvers: dict[int | None, list[int]]
    by_role: dict[Role, list[int]]
    approvers, supervisors, by_role = {}, [], {}
    roles = {Role.APPROVER, Role.SUPERVISOR, *(r for rs in UNASSIGNED_RECIPIENTS.values() for r in rs)}
    for uid, role, dep in db.session.query(User.id, User.role, User.department_id).filter(
            User.active.is_(True), User.role.in_(list(roles))):
        by_role.setdefault(role, []).append(uid)
        if role is Role.APPROVER:
            approvers.setdefault(dep, []).append(uid)
        elif role is Role.SUPERVISOR:
            supervisors.append(uid)
    intake = {kind: sorted({u for r in rs for u in by_role.get(r, [])}) for kind, rs in UNASSIGNED_RECIPIENTS.items()}
    return approvers, supervisors, intake


def _claim(step_filter: Any, order: Any, values: dict[str, Any], limit: int) -> Sequence[Any]:
    """Set `values` on up to `limit` matching clocks and return the claimed rows' details, in one statement:
    WITH picked AS MATERIALIZED (SELECT id … LIMIT) UPDATE clocks … FROM picked … RETURNING.

    The UPDATE re-checks the filter on each row it locks, so a concurrent sweep cannot claim a clock twice.
    The candidates come in `order`, the key of the step's partial index, so a batch reads its first `limit`
    entries instead of sorting every remaining one; they are materialized (read once): a plain
    IN (subquery … LIMIT) let PostgreSQL pick a nested loop that rescanned the subquery per row, and sending
    the ids back as thousands of parameters cost more than the update."""
    picked = (select(Clock.id).where(step_filter).order_by(order).limit(limit)
              .cte("picked").prefix_with("MATERIALIZED"))
    stmt = (update(Clock).where(Clock.id == picked.c.id, step_filter).values(**values)
            .returning(Clock.id, Clock.entity_kind, Clock.entity_id, Clock.entity_label, Clock.name,
                       Clock.department_id, Clock.owner_id, Clock.due_at, Clock.due_on))
    return db.session.execute(stmt, execution_options={"synchronize_session": False}).all()


NOTE_COLUMNS = ("user_id", "entity_kind", "entity_id", "subject", "body")


def _notes(rows: Iterable[Any], event: str, recipients_of: Callable[[Any], list[int]], tz: tzinfo,
           dep_names: dict[int, str]) -> list[tuple[Any, ...]]:
    """One in-app notice (NOTE_COLUMNS) per claimed clock and recipient, the texts filled in by templates.renderer
    (a sweep writes tens of thousands; jinja per message cost more than the writes)."""
    out = []
    text_of = renderer(event)
    due_text = DueText(tz)
    for r in rows:
        subject, body = text_of({"label": label(r), "clock_name": CLOCK_NAMES.get(r.name, r.name),
                                 "due": due_text(r), "department": dep_names.get(r.department_id, "")})
        for uid in recipients_of(r):
            out.append((uid, r.entity_kind, r.entity_id, subject, body))
    return out


def _add_notes(event: str, now: datetime, notes: Sequence[tuple[Any, ...]]) -> None:
    """Write in-app notices of the sweep, born sent (nothing to deliver), in one statement (core.db.insert_many)."""
    insert_many(Notification.__table__, NOTE_COLUMNS, notes, created_at=now, event=event, channel="inapp",
                address=None, status="sent", attempts=0, sent_at=now)


def _escalate(now: datetime, supervisors: list[int], tz: tzinfo, dep_names: dict[int, str], hours: int) -> int:
    """督办: mark every running clock still overdue `hours` after its overdue mark as escalated and send each
    supervisor ONE digest of them, in one transaction, so the digest never misses or repeats a marked clock.

    A second sweep at the same `now` finds nothing left to mark and sends no digest; concurrent sweeps take
    their turn here (serialise), so the later one finds nothing either. The mark stays on each clock
    (escalated_at: its per-item record); the digest names the count, the earliest due items and the overdue
    lists (core/clocks/digest.py)."""
    step = and_(Clock.state == "running", Clock.escalated_at.is_(None), Clock.escalate_at.is_not(None),
                Clock.escalate_at <= now)
    with unit_of_work():
        serialise("clock-escalation")
        rows = db.session.execute(
            update(Clock).where(step).values(escalated_at=now)
            .returning(Clock.id, Clock.entity_kind, Clock.entity_id, Clock.entity_label, Clock.name,
                       Clock.department_id, Clock.due_at, Clock.due_on),
            execution_options={"synchronize_session": False}).all()
        if rows and supervisors:
            subject, body = render(DIGEST, digest_context(rows, now=now, tz=tz, dep_names=dep_names, hours=hours))
            _add_notes(DIGEST, now, [(uid, DIGEST, None, subject, body) for uid in supervisors])
    return len(rows)


def run_sweep(now: datetime, batch: int = BATCH) -> dict[str, int]:
    """One deadline sweep at `now`; returns counts of warned, overdue and escalated clocks. The periodic
    job (core/jobs/periodic.py: deadline_sweep) records the run, with its duties' counts."""
    cfg = current_app.config
    tz = ZoneInfo(cfg["TIMEZONE"])
    hours = cfg["ESCALATE_AFTER_HOURS"]
    approvers, supervisors, intake = _recipients()

    def holders(r: Any) -> list[int]:  # the department's approvers, or for unassigned work the kind's intake
        return approvers.get(r.department_id, []) if r.department_id is not None else intake.get(r.entity_kind, [])

    dep_names = dict(db.session.query(Department.id, Department.name))
    running = Clock.state == "running"
    # The assignee's and the department's notices stay one per item: each is the item's own call to act.
    steps = [
        ("clock_due_soon",
         and_(running, Clock.warned_at.is_(None), Clock.warn_at <= now, Clock.due_at >= now), Clock.warn_at,
         {"warned_at": now},
         lambda r: [r.owner_id] if r.owner_id else holders(r)),
        ("clock_overdue",
         and_(running, Clock.overdue_at.is_(None), Clock.due_at < now), Clock.due_at,
         {"overdue_at": now, "escalate_at": now + timedelta(hours=hours)},
         lambda r: sorted({*([r.owner_id] if r.owner_id else []), *holders(r)})),
    ]
    counts = {}
    for event, where, order, values, recipients_of in steps:
        total = 0
        while True:
            with unit_of_work():
                rows = _claim(where, order, values, batch)
                _add_notes(event, now, _notes(rows, event, recipients_of, tz, dep_names))
            total += len(rows)
            if len(rows) < batch:
                break
        counts[event] = total
    counts["clock_escalated"] = _escalate(now, supervisors, tz, dep_names, hours)
    return counts
