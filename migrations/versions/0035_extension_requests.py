"""Extension requests a clerk files and the issuing organ's head decides (条例 Art. 33 para. 2), and each staff
user's saved queue filters (issue 18 items 13).

Revision ID: 0035_extension_requests
Revises: 0034_pending_uploads
"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0035_extension_requests'
down_revision = '0034_pending_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'extension_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('refusal_reason', sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name=op.f('ck_extension_requests_status')),
        sa.ForeignKeyConstraint(['request_id'], ['disclosure_requests.id'],
                                name=op.f('fk_extension_requests_request_id_disclosure_requests')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_extension_requests_requested_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_extension_requests_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_requests')))
    op.create_index('ix_extension_requests_request_id', 'extension_requests', ['request_id'])
    op.create_table(
        'saved_filters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('queue', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=30), nullable=False),
        sa.Column('params', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_filters_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters')),
        sa.UniqueConstraint('user_id', 'queue', 'name', name='uq_saved_filters_user_queue_name'))
    op.create_index('ix_saved_filters_user_id', 'saved_filters', ['user_id'])
    op.create_index('uq_extension_requests_pending', 'extension_requests', ['request_id'], unique=True,
                    sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    op.drop_index('ix_saved_filters_user_id', table_name='saved_filters')
    op.drop_table('saved_filters')
    op.drop_index('uq_extension_requests_pending', table_name='extension_requests')
    op.drop_index('ix_extension_requests_request_id', table_name='extension_requests')
    op.drop_table('extension_requests')
