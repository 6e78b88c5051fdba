"""Public records keep the place as the public may see it (issue 13): the address cut to the road or
estate and masked, and the coordinates snapped to a grid, fixed when the reply enters review, so
Open311 serves them from the reviewed record and nothing is generalised on read.

Revision ID: 0015_public_record_place
Revises: 0014_ticket_clock_verdicts
Create Date: 2026-11-29 16:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0015_public_record_place'
down_revision = '0014_ticket_clock_verdicts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lng', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.drop_column('lng')
        batch_op.drop_column('lat')
        batch_op.drop_column('place')
