"""The audit trail is append-only."""
import pytest

from core import audit
from core.audit import AuditEvent, AuditImmutable
from core.extensions import db


def test_record_and_history(app, now):
    audit.log_change(now=now, actor="cli", entity_kind="thing", entity_id=7, action="made", after={"名称": "甲"})
    db.session.commit()
    rows = audit.history("thing", 7)
    assert len(rows) == 1 and rows[0].after_data == {"名称": "甲"} and rows[0].actor_label == "cli"
    assert rows[0].at == now


def test_rows_cannot_be_changed_or_deleted_through_the_orm(app, now):
    row = audit.log_change(now=now, actor="cli", entity_kind="thing", entity_id=1, action="made")
    db.session.commit()
    row.action = "forged"
    with pytest.raises(AuditImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, row.id))
    with pytest.raises(AuditImmutable):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, row.id).action == "made"
