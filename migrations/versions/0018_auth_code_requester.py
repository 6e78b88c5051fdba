"""One-time codes belong to the browser session that asked for them (issue 14, F1/F2): the code row
keeps a hash of that session's requester token and the client address, so a code can only be redeemed
(and its registration data used) in that session, wrong tries elsewhere cannot burn it, and sending
is throttled per session and address rather than only per login.

Codes issued before this revision have no requester and can no longer be redeemed; they expire within
AUTH_CODE_MINUTES anyway (the citizen asks for a new one).

Revision ID: 0018_auth_code_requester
Revises: 0017_audit_entered_at
Create Date: 2026-11-30 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018_auth_code_requester'
down_revision = '0017_audit_entered_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('auth_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=80), nullable=True))
        batch_op.create_index('ix_auth_codes_address', ['address', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('auth_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_auth_codes_address')
        batch_op.drop_column('address')
        batch_op.drop_column('requester')
