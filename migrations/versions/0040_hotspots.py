"""热点预警 (issue 20 item 4): hot spots of tickets of one place and topic, their members, the detection's runs.

Revision ID: 0040_hotspots
Revises: 0039_answer_verdict
"""
import sqlalchemy as sa
from alembic import op

import core.db  # noqa: F401  (custom column types)

revision = '0040_hotspots'
down_revision = '0039_answer_verdict'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hotline_hotspots',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('place_key', sa.String(length=160), nullable=False),
        sa.Column('place_kind', sa.String(length=10), nullable=False),
        sa.Column('place_label', sa.String(length=160), nullable=False),
        sa.Column('category_code', sa.String(length=6), sa.ForeignKey('hotline_categories.code'), nullable=False),
        sa.Column('keywords', sa.String(length=200), nullable=False),
        sa.Column('ticket_count', sa.Integer(), nullable=False),
        sa.Column('caller_count', sa.Integer(), nullable=False),
        sa.Column('first_received_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_received_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('raised_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('grown_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lng', sa.Float(), nullable=True),
        sa.Column('handled_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('handled_how', sa.String(length=10), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
    )
    op.create_index('ix_hotline_hotspots_place_key', 'hotline_hotspots', ['place_key'])
    op.create_table(
        'hotline_hotspot_members',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('hotspot_id', sa.Integer(), sa.ForeignKey('hotline_hotspots.id'), nullable=False),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=False),
        sa.Column('added_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('hotspot_id', 'ticket_id', name='uq_hotspot_member'),
    )
    op.create_index('ix_hotline_hotspot_members_hotspot_id', 'hotline_hotspot_members', ['hotspot_id'])
    op.create_index('ix_hotline_hotspot_members_ticket_id', 'hotline_hotspot_members', ['ticket_id'])
    op.create_table(
        'hotline_hotspot_runs',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('now', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('clusters', sa.Integer(), nullable=False),
        sa.Column('raised', sa.Integer(), nullable=False),
        sa.Column('grown', sa.Integer(), nullable=False),
    )
    op.create_index('ix_hotline_hotspot_runs_now', 'hotline_hotspot_runs', ['now'])


def downgrade():
    op.drop_index('ix_hotline_hotspot_runs_now', table_name='hotline_hotspot_runs')
    op.drop_table('hotline_hotspot_runs')
    op.drop_index('ix_hotline_hotspot_members_ticket_id', table_name='hotline_hotspot_members')
    op.drop_index('ix_hotline_hotspot_members_hotspot_id', table_name='hotline_hotspot_members')
    op.drop_table('hotline_hotspot_members')
    op.drop_index('ix_hotline_hotspots_place_key', table_name='hotline_hotspots')
    op.drop_table('hotline_hotspots')
