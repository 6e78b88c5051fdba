"""12345 as a hotline centre runs it (issue 16): the 110/119/120/122 linkage, the review of returns,
督办单 with their feedback, every round's answer, the department's first contact with the caller.

Existing replied tickets get their current answer as round 1 + reopen count; existing emergency
transfers get their outgoing transfer record, so history reads the same before and after.

Revision ID: 0032_hotline_centre
Revises: 0031_disclosure_access
"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0032_hotline_centre'
down_revision = '0031_disclosure_access'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.add_column(sa.Column('handover_ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('first_contact_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('contact_verdicts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('contact_in_time', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'ticket_transfers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('service', sa.String(length=3), nullable=False),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('reference', sa.String(length=40), nullable=True),
        sa.Column('counterpart', sa.String(length=60), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('feedback', sa.Text(), nullable=True),
        sa.Column('feedback_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("direction IN ('out', 'in')", name=op.f('ck_ticket_transfers_transfer_direction')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ticket_transfers_actor_id_users')),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_transfers_ticket_id_tickets')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_transfers')))
    op.create_index(op.f('ix_ticket_transfers_ticket_id'), 'ticket_transfers', ['ticket_id'])
    op.create_table(
        'ticket_returns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('decision', sa.String(length=10), nullable=True),
        sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_returns_ticket_id_tickets')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_ticket_returns_department_id_departments')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_ticket_returns_requested_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_ticket_returns_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_returns')))
    op.create_index(op.f('ix_ticket_returns_ticket_id'), 'ticket_returns', ['ticket_id'])
    op.create_index(op.f('ix_ticket_returns_department_id'), 'ticket_returns', ['department_id'])
    op.create_table(
        'supervision_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=True),
        sa.Column('issued_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('feedback', sa.Text(), nullable=True),
        sa.Column('feedback_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('feedback_by_id', sa.Integer(), nullable=True),
        sa.Column('feedback_on_time', sa.Boolean(), nullable=True),
        sa.Column('escalated_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('level', sa.Integer(), nullable=False, server_default='1'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_supervision_orders_ticket_id_tickets')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_supervision_orders_department_id_departments')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_supervision_orders_issued_by_id_users')),
        sa.ForeignKeyConstraint(['feedback_by_id'], ['users.id'],
                                name=op.f('fk_supervision_orders_feedback_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_orders')),
        sa.UniqueConstraint('number', name=op.f('uq_supervision_orders_number')))
    op.create_index(op.f('ix_supervision_orders_ticket_id'), 'supervision_orders', ['ticket_id'])
    op.create_index(op.f('ix_supervision_orders_department_id'), 'supervision_orders', ['department_id'])
    op.create_table(
        'ticket_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('direct', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('replied_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('satisfaction', sa.String(length=12), nullable=True),
        sa.Column('resolved', sa.Boolean(), nullable=True),
        sa.Column('superseded_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_answers_ticket_id_tickets')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_ticket_answers_department_id_departments')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ticket_answers_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_answers')))
    op.create_index(op.f('ix_ticket_answers_ticket_id'), 'ticket_answers', ['ticket_id'])
    op.execute("INSERT INTO ticket_answers (ticket_id, round, department_id, direct, text, replied_at, "
               "satisfaction, resolved) SELECT id, reopen_count + 1, department_id, direct, reply_text, replied_at, "
               "satisfaction, resolved FROM tickets WHERE reply_text IS NOT NULL AND replied_at IS NOT NULL")
    op.execute("INSERT INTO ticket_transfers (ticket_id, direction, service, at, note) "
               "SELECT id, 'out', transferred_to, closed_at, close_note FROM tickets "
               "WHERE transferred_to IS NOT NULL AND closed_at IS NOT NULL")


def downgrade():
    op.drop_table('ticket_answers')
    op.drop_table('supervision_orders')
    op.drop_table('ticket_returns')
    op.drop_table('ticket_transfers')
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.drop_column('contact_in_time')
        batch_op.drop_column('contact_verdicts')
        batch_op.drop_column('first_contact_at')
        batch_op.drop_column('handover_ref')
