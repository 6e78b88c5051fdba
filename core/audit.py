"""Append-only audit trail: every state change, assignment and clock event is one row."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import Index, event
from sqlalchemy.orm import Session

from core import action_time
from core.db import UTCDateTime
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime

# Who did it: a User, a label such as "cli", "seed" or "system", or None (the system).
Actor: TypeAlias = Any


class AuditEvent(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "audit_events"

    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    at = db.Column(UTCDateTime(), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    actor_label = db.Column(db.String(120), nullable=False, default="system")
    entity_kind = db.Column(db.String(40), nullable=False)
    entity_id = db.Column(db.String(64), nullable=False)
    action = db.Column(db.String(60), nullable=False)
    before = db.Column(db.Text, nullable=True)
    after = db.Column(db.Text, nullable=True)
    # Set when the action was entered later than it happened (补录, core/action_time.py): the time of entry.
    entered_at = db.Column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_audit_entity", "entity_kind", "entity_id", "at"),)

    @property
    def before_data(self) -> Any:
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self) -> Any:
        return json.loads(self.after) if self.after else None


class AuditImmutable(Exception):
    """Raised when code tries to change or delete an audit row."""


def log_change(*, now: datetime, actor: Actor, entity_kind: str, entity_id: int | str, action: str,
               before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEvent:
    """Add one audit row to the current unit of work (the caller commits)."""
    event_row = AuditEvent(
        at=now,
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "label", None) or (actor if isinstance(actor, str) else "system"),
        entity_kind=entity_kind,
        entity_id=str(entity_id),
        action=action,
        before=json.dumps(before, ensure_ascii=False, default=str, sort_keys=True) if before is not None else None,
        after=json.dumps(after, ensure_ascii=False, default=str, sort_keys=True) if after is not None else None,
        entered_at=action_time.entered_at(),
    )
    db.session.add(event_row)
    return event_row


def last_at(entity_kind: str, entity_id: int | str) -> datetime | None:
    """When the entity's latest recorded step happened (None before any)."""
    return (db.session.query(db.func.max(AuditEvent.at))
            .filter_by(entity_kind=entity_kind, entity_id=str(entity_id)).scalar())


def history(entity_kind: str, entity_id: int | str) -> list[AuditEvent]:
    """The audit rows of one entity, oldest first."""
    return (
        AuditEvent.query.filter_by(entity_kind=entity_kind, entity_id=str(entity_id))
        .order_by(AuditEvent.at, AuditEvent.id)
        .all()
    )


@event.listens_for(Session, "before_flush")
def _forbid_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditImmutable("audit events are append-only")
