"""The client address (a keyed hash, never the address itself) of an anonymous visitor's pending upload, for the
per-address budget of core/pending_uploads.py (issue 18, review of item 1).

Revision ID: 0036_pending_upload_address
Revises: 0035_extension_requests
"""
import sqlalchemy as sa
from alembic import op

revision = '0036_pending_upload_address'
down_revision = '0035_extension_requests'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pending_uploads') as batch:
        batch.add_column(sa.Column('address_hash', sa.String(length=64), nullable=True))
        batch.create_index('ix_pending_uploads_address_hash', ['address_hash'])


def downgrade():
    with op.batch_alter_table('pending_uploads') as batch:
        batch.drop_index('ix_pending_uploads_address_hash')
        batch.drop_column('address_hash')
