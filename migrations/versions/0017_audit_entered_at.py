"""Audit rows of actions entered later than they happened (补录, issue 14) carry the time of entry.

Revision ID: 0017_audit_entered_at
Revises: 0016_accounts
Create Date: 2026-11-29 18:20:00

"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0017_audit_entered_at'
down_revision = '0016_accounts'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy on SQLite): the append-only triggers of audit_events must stay.
    op.add_column('audit_events', sa.Column('entered_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('entered_at')
