"""Written intake (issue 20 item 2): inbound e-mail and SMS stored raw, their attachments, ticket mail threads
and messages, and the extra headers (threading) of an outgoing notification.

Revision ID: 0042_inbound_messages
Revises: 0041_cti_calls
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0042_inbound_messages'
down_revision = '0041_cti_calls'
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        'inbound_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel', sa.String(6), nullable=False),
        sa.Column('received_at', core.db.UTCDateTime(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=True),
        sa.Column('envelope_from', sa.String(254), nullable=False),
        sa.Column('envelope_to', sa.String(1000), nullable=False),
        sa.Column('external_id', sa.String(255), nullable=True),
        sa.Column('sender', sa.String(254), nullable=False),
        sa.Column('sender_name', sa.String(120), nullable=False),
        sa.Column('subject', sa.String(255), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=True),
        sa.Column('decided_at', core.db.UTCDateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_inbound_external')),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_inbound_messages_inbound_channel')),
    )
    for column in ('received_at', 'sender', 'status', 'ticket_id'):
        op.create_index(f'ix_inbound_messages_{column}', 'inbound_messages', [column])
    op.create_table(
        'inbound_attachments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('message_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), nullable=False),
        sa.Column('filename', sa.String(200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content_type', sa.String(100), nullable=True),
        sa.Column('sha256', sa.String(64), nullable=True),
        sa.Column('stored_name', sa.String(64), nullable=True),
        sa.Column('refused', sa.Text(), nullable=True),
    )
    op.create_index('ix_inbound_attachments_message_id', 'inbound_attachments', ['message_id'])
    op.create_table(
        'ticket_mail_threads',
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), primary_key=True),
        sa.Column('secret', sa.String(16), nullable=False),
        sa.Column('address', sa.String(254), nullable=False),
    )
    op.create_table(
        'ticket_mails',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=False),
        sa.Column('direction', sa.String(3), nullable=False),
        sa.Column('at', core.db.UTCDateTime(), nullable=False),
        sa.Column('address', sa.String(254), nullable=False),
        sa.Column('subject', sa.String(255), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('header_id', sa.String(255), nullable=True),
        sa.Column('inbound_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), nullable=True),
        sa.Column('notification_id', BIGINT, sa.ForeignKey('notifications.id'), nullable=True),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('bounced_at', core.db.UTCDateTime(), nullable=True),
        sa.Column('bounce_note', sa.Text(), nullable=True),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f('ck_ticket_mails_mail_direction')),
    )
    op.create_index('ix_ticket_mails_ticket_id', 'ticket_mails', ['ticket_id'])
    op.create_index('ix_ticket_mails_header_id', 'ticket_mails', ['header_id'])
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('headers')
    op.drop_table('ticket_mails')
    op.drop_table('ticket_mail_threads')
    op.drop_table('inbound_attachments')
    op.drop_table('inbound_messages')
