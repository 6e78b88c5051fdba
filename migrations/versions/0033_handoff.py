"""One-use, expiring hand-over tokens (core/handoff.py): a 12345 call that asks for government information
becomes a prefilled 依申请公开 application form, without personal data in the link (issue 16 item 2).

Revision ID: 0033_handoff
Revises: 0032_hotline_centre
"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0033_handoff'
down_revision = '0032_hotline_centre'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'handoffs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=40), nullable=False),
        sa.Column('source_kind', sa.String(length=20), nullable=False),
        sa.Column('source_id', sa.String(length=40), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('used_ref', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs')),
        sa.UniqueConstraint('token', name=op.f('uq_handoffs_token')))
    op.create_index('ix_handoffs_source', 'handoffs', ['source_kind', 'source_id'])


def downgrade():
    op.drop_index('ix_handoffs_source', table_name='handoffs')
    op.drop_table('handoffs')
