"""SMS replies threaded onto their ticket (issue 20 item 2): a ticket's conversation with the citizen and its
messages say their channel, e-mail or SMS; a thread's address (mail address or mobile number) is indexed, since an
inbound SMS finds its ticket by the sender's number.

Every existing conversation is an e-mail one: the columns default to 'email'.

Revision ID: 0046_sms_conversation
Revises: 0045_dispatch_tiers
"""
import sqlalchemy as sa
from alembic import op

revision = '0046_sms_conversation'
down_revision = '0045_dispatch_tiers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ticket_mail_threads') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(5), nullable=False, server_default='email'))
        batch_op.create_check_constraint(op.f('ck_ticket_mail_threads_thread_channel'), "channel IN ('email', 'sms')")
        batch_op.create_index(batch_op.f('ix_ticket_mail_threads_address'), ['address'], unique=False)
    with op.batch_alter_table('ticket_mails') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(5), nullable=False, server_default='email'))
        batch_op.create_check_constraint(op.f('ck_ticket_mails_mail_channel'), "channel IN ('email', 'sms')")


def downgrade():
    with op.batch_alter_table('ticket_mails') as batch_op:
        batch_op.drop_constraint(op.f('ck_ticket_mails_mail_channel'), type_='check')
        batch_op.drop_column('channel')
    with op.batch_alter_table('ticket_mail_threads') as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_mail_threads_address'))
        batch_op.drop_constraint(op.f('ck_ticket_mail_threads_thread_channel'), type_='check')
        batch_op.drop_column('channel')
