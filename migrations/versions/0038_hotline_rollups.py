"""Daily roll-ups of the hotline dashboard's figures (issue 19 item 6): per received day and department,
and the days' versions that say whether a roll-up is current.

Revision ID: 0038_hotline_rollups
Revises: 0037_search_filter_lexemes
"""
import sqlalchemy as sa
from alembic import op

import core.db  # noqa: F401  (custom column types)

revision = '0038_hotline_rollups'
down_revision = '0037_search_filter_lexemes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hotline_rollup_days',
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('rolled_version', sa.Integer(), nullable=True),
        sa.Column('rolled_at', core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        'hotline_rollups',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('measure', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
    )
    op.create_index('ix_hotline_rollups_day', 'hotline_rollups', ['day', 'department_id'])


def downgrade():
    op.drop_index('ix_hotline_rollups_day', table_name='hotline_rollups')
    op.drop_table('hotline_rollups')
    op.drop_table('hotline_rollup_days')
