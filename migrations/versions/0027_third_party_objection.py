"""Art. 32: the structured result of a consultation (agreed / objected / silent); 国办函〔2020〕109号: the refund
of a 按量 fee when the reply provides no information.

Revision ID: 0027_third_party_objection
Revises: 0026_organ_details
"""
import sqlalchemy as sa
from alembic import op

revision = '0027_third_party_objection'
down_revision = '0026_organ_details'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.add_column(sa.Column('answer', sa.String(length=12), nullable=True))
    # A silence was recorded without an opinion; an answer with text cannot be told agreed from objected
    # after the fact, so it stays without a structured result (the handling page shows its text).
    op.execute("UPDATE consultations SET answer = 'silent' WHERE answered_on IS NOT NULL AND opinion IS NULL")
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.add_column(sa.Column('fee_refunded_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('fee_refund_amount', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('fee_refund_method', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('fee_refund_note', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.drop_column('fee_refund_note')
        batch_op.drop_column('fee_refund_method')
        batch_op.drop_column('fee_refund_amount')
        batch_op.drop_column('fee_refunded_on')
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.drop_column('answer')
