"""Applications keep the frozen verdict of their newest answer clock (answer_on_time, set when the clock
stops: requests_module.common.keep_answer_verdict), backfilled from the clocks, so that the disclosure
dashboard reads no clock (issue 19 item 6).

Revision ID: 0039_answer_verdict
Revises: 0038_hotline_rollups
"""
import sqlalchemy as sa
from alembic import op

import core.db  # noqa: F401  (custom column types)

revision = '0039_answer_verdict'
down_revision = '0038_hotline_rollups'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_on_time', sa.Boolean(), nullable=True))

    # The newest answer clock's frozen verdict (None while it runs), as keep_answer_verdict keeps it from now on;
    # each application's clocks are found by ix_clocks_entity.
    op.execute("UPDATE disclosure_requests SET answer_on_time = (SELECT clocks.on_time FROM clocks "
               "WHERE clocks.entity_kind = 'disclosure_request' "
               "AND clocks.entity_id = CAST(disclosure_requests.id AS VARCHAR) AND clocks.name = 'answer' "
               "ORDER BY clocks.id DESC LIMIT 1)")


def downgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.drop_column('answer_on_time')
