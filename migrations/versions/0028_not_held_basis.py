"""条例 Art. 36 (4) and (5): a 本机关不掌握 reply says which — not_exist (该政府信息不存在) or not_ours (不属于本机关
负责公开, with its reasons and, when known, the responsible organ).

Revision ID: 0028_not_held_basis
Revises: 0027_third_party_objection
"""
import sqlalchemy as sa
from alembic import op

revision = '0028_not_held_basis'
down_revision = '0027_third_party_objection'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.add_column(sa.Column('not_held_basis', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('not_ours_reason', sa.Text(), nullable=True))
    # Replies made (or drafted) before: the letter said Art. 36 (5) when a holder organ was named, else (4);
    # the basis is recorded as the letter said it. The old (5) letter gave the organ as its reason, and
    # not_held.sentence words a reason-less (5) the same way, so issued letters read as they were issued.
    op.execute("UPDATE disclosure_requests SET not_held_basis = 'not_ours' "
               "WHERE outcome = 'unavailable_not_held' AND holder_organ IS NOT NULL AND holder_organ <> ''")
    op.execute("UPDATE disclosure_requests SET not_held_basis = 'not_exist' "
               "WHERE outcome = 'unavailable_not_held' AND not_held_basis IS NULL")


def downgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.drop_column('not_ours_reason')
        batch_op.drop_column('not_held_basis')
