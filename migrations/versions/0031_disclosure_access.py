"""条例 Art. 36 (1), (2) and Art. 37: a 予以公开 reply says which — published (已经主动公开: how and where to obtain
it) or provided (可以公开: provided, or how, where and when) — and both 予以公开 and 部分公开 say the 方式、途径和时间.

Replies made before keep both empty: their letters were issued with the general sentence (outcomes.ANSWERS),
which the letter still prints for them, so issued letters read as they were issued.

Revision ID: 0031_disclosure_access
Revises: 0030_party_type
"""
import sqlalchemy as sa
from alembic import op

revision = '0031_disclosure_access'
down_revision = '0030_party_type'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.add_column(sa.Column('disclosure_basis', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('disclosure_access', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.drop_column('disclosure_access')
        batch_op.drop_column('disclosure_basis')
