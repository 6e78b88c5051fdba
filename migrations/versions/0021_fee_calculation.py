"""The information-processing fee keeps its calculation (issue 15; 国办函〔2020〕109号 Art. 3–5): the method
(按件 piece | 按量 pages), the units it counted and the itemised bands with the amount, so the fee notice can
state its standard and the annual report (section 六) can add up what was collected.

Revision ID: 0021_fee_calculation
Revises: 0019_reconsideration_body
Create Date: 2026-11-29 21:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021_fee_calculation'
down_revision = '0020_request_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_method', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('fee_units', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_calculation', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.drop_column('fee_calculation')
        batch_op.drop_column('fee_units')
        batch_op.drop_column('fee_method')
