"""The front of the procedure (issue 15 item 7): the Art. 35 说明理由 step of a disclosure application —
the request for reasons, the applicant's explanation, the organ's finding and the 延迟答复合理期限 set
with it.

Revision ID: 0023_procedure_front
Revises: 0019_reconsideration_body
Create Date: 2026-11-29 21:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0023_procedure_front'
down_revision = '0022_receiving_organ'
branch_labels = None
depends_on = None

COLUMNS = (
    ('reason_requested_on', sa.Date()),
    ('reason_items', sa.Text()),
    ('reason_due_on', sa.Date()),
    ('reason_received_on', sa.Date()),
    ('reason_text', sa.Text()),
    ('reason_decided_on', sa.Date()),
    ('reason_accepted', sa.Boolean()),
    ('reason_delay_due_on', sa.Date()),
)


def upgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
