"""A city-wide 12345 centre with district sub-centres (issue 20 item 3): organisations form a tree (a
department's parent, kinds centre and subcentre beside organ and town), and a ticket remembers the sub-centre
that holds it at the first level of a two-level dispatch (when it was dispatched there and signed for).

A district deployment has no sub-centre: every existing row keeps parent NULL and subcentre NULL.

Revision ID: 0045_dispatch_tiers
Revises: 0044_idempotency_keys
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0045_dispatch_tiers'
down_revision = '0044_idempotency_keys'
branch_labels = None
depends_on = None


def _swap(condition):
    with op.batch_alter_table('departments') as batch_op:
        batch_op.drop_constraint(op.f('ck_departments_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_departments_kind'), condition)


def upgrade():
    with op.batch_alter_table('departments') as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_departments_parent_id_departments'), 'departments',
                                    ['parent_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_departments_parent_id'), ['parent_id'], unique=False)
    _swap("kind IN ('organ', 'town', 'centre', 'subcentre')")
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.add_column(sa.Column('subcentre_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('subcentre_dispatched_at', core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('subcentre_signed_at', core.db.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tickets_subcentre_id_departments'), 'departments',
                                    ['subcentre_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_tickets_subcentre_id'), ['subcentre_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_subcentre_id'))
        batch_op.drop_constraint(batch_op.f('fk_tickets_subcentre_id_departments'), type_='foreignkey')
        batch_op.drop_column('subcentre_signed_at')
        batch_op.drop_column('subcentre_dispatched_at')
        batch_op.drop_column('subcentre_id')
    op.execute("UPDATE departments SET kind = 'organ' WHERE kind IN ('centre', 'subcentre')")
    _swap("kind IN ('organ', 'town')")
    with op.batch_alter_table('departments') as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_parent_id'))
        batch_op.drop_constraint(batch_op.f('fk_departments_parent_id_departments'), type_='foreignkey')
        batch_op.drop_column('parent_id')
