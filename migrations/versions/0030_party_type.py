"""A consulted third party is addressed as a person (您) or an organisation (贵单位), as the applicant is.

Revision ID: 0030_party_type
Revises: 0029_organ_numbers
"""
import sqlalchemy as sa
from alembic import op

revision = '0030_party_type'
down_revision = '0029_organ_numbers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.add_column(sa.Column('party_type', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.drop_column('party_type')
