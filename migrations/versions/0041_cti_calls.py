"""The CTI call log (newCall → answer → hangup from the telephone system, and the ticket a call was logged as) and
the operators' extensions (issue 20 item 1).

Revision ID: 0041_cti_calls
Revises: 0040_hotspots
"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0041_cti_calls'
down_revision = '0040_hotspots'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cti_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pbx', sa.String(length=40), nullable=False),
        sa.Column('call_id', sa.String(length=250), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('from_number', sa.String(length=40), nullable=False),
        sa.Column('to_number', sa.String(length=40), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('queue', sa.String(length=60), nullable=True),
        sa.Column('rung', sa.String(length=200), nullable=False),
        sa.Column('extension', sa.String(length=20), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('ringing_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('answered_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('cause', sa.String(length=30), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f('ck_cti_calls_call_direction')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cti_calls_user_id_users')),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_cti_calls_ticket_id_tickets')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cti_calls')),
        sa.UniqueConstraint('pbx', 'call_id', name='uq_cti_calls_pbx_call'))
    op.create_index('ix_cti_calls_phone', 'cti_calls', ['phone'])
    op.create_index('ix_cti_calls_user_id', 'cti_calls', ['user_id'])
    op.create_index('ix_cti_calls_ticket_id', 'cti_calls', ['ticket_id'])
    op.create_index('ix_cti_calls_created_at', 'cti_calls', ['created_at'])
    op.create_table(
        'cti_agents',
        sa.Column('extension', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('since', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cti_agents_user_id_users')),
        sa.PrimaryKeyConstraint('extension', name=op.f('pk_cti_agents')),
        sa.UniqueConstraint('user_id', name=op.f('uq_cti_agents_user_id')))


def downgrade():
    op.drop_table('cti_agents')
    op.drop_index('ix_cti_calls_created_at', table_name='cti_calls')
    op.drop_index('ix_cti_calls_ticket_id', table_name='cti_calls')
    op.drop_index('ix_cti_calls_user_id', table_name='cti_calls')
    op.drop_index('ix_cti_calls_phone', table_name='cti_calls')
    op.drop_table('cti_calls')
