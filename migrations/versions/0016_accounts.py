"""Accounts the way a bank's would be (issue 14): login failures counted per account key and per
address instead of a lock on the user row; a session version on the user; one-time codes for
registration and password reset; the status look-ups' access codes.

Existing applications and tickets get no access code here (a code nobody was told is of no use):
their applicants ask for one on the look-up page ("重新获取查询码"), which sends a fresh code to the
phone or email given at submission; citizens with an account see their items without a code.

Revision ID: 0016_accounts
Revises: 0015_public_record_place
Create Date: 2026-11-30 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0016_accounts'
down_revision = '0015_public_record_place'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    op.create_table('auth_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('login_key', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_codes'))
    )
    with op.batch_alter_table('auth_codes', schema=None) as batch_op:
        batch_op.create_index('ix_auth_codes_login', ['purpose', 'login_key', 'created_at'], unique=False)
    op.create_table('lookup_codes',
    sa.Column('entity_kind', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_kind', 'entity_id', name=op.f('pk_lookup_codes'))
    )


def downgrade():
    op.drop_table('lookup_codes')
    with op.batch_alter_table('auth_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_auth_codes_login')
    op.drop_table('auth_codes')
    op.drop_table('login_throttles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_column('session_version')
