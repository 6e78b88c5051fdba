"""Idempotency keys (issue 21): an API caller's Idempotency-Key or a form's one-time submission token, stored with
the answer of the request that used it, for 24 hours.

Revision ID: 0044_idempotency_keys
Revises: 0043_search_partitions
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0044_idempotency_keys'
down_revision = '0043_search_partitions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('scope', sa.String(80), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('content_type', sa.String(100), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('location', sa.String(500), nullable=True),
        sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
        sa.Column('expires_at', core.db.UTCDateTime(), nullable=False),
        sa.UniqueConstraint('scope', 'key', name='uq_idempotency_keys_scope_key'),
    )
    op.create_index('ix_idempotency_keys_expires_at', 'idempotency_keys', ['expires_at'])


def downgrade():
    op.drop_index('ix_idempotency_keys_expires_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
