"""Each organ numbers its own documents (GB/T 9704-2012 7.2.4: 发文机关代字 + 年份 + 顺序号): departments get an
admin-editable 代字 (seeded: 亭政 for 区政府办 / the district government, 亭 + short name without 局 for the
others); counter series name an organ ("disclosure_reply/d12"), so the column widens. A reply entered as the
补录 of a paper letter keeps that letter's number (reply_paper_number). Numbers already issued are not changed.

Revision ID: 0029_organ_numbers
Revises: 0028_not_held_basis
"""
import sqlalchemy as sa
from alembic import op

revision = '0029_organ_numbers'
down_revision = '0028_not_held_basis'
branch_labels = None
depends_on = None


def _default(code, name):
    # a copy of core.departments.models.default_doc_code as of this revision
    if code == 'zfb':
        return '亭政'
    name = (name or '').strip().removeprefix('亭湖').removeprefix('区')
    for suffix in ('分局', '局'):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[:-len(suffix)]
            break
    return '亭' + name


def upgrade():
    with op.batch_alter_table('departments') as batch_op:
        batch_op.add_column(sa.Column('doc_code', sa.String(length=20), nullable=False, server_default=''))
    deps = sa.table('departments', sa.column('id', sa.Integer), sa.column('code', sa.String),
                    sa.column('name', sa.String), sa.column('doc_code', sa.String))
    conn = op.get_bind()
    for dep_id, code, name in conn.execute(sa.select(deps.c.id, deps.c.code, deps.c.name)).fetchall():
        conn.execute(deps.update().where(deps.c.id == dep_id).values(doc_code=_default(code, name)[:20]))
    with op.batch_alter_table('letter_number_counters') as batch_op:
        batch_op.alter_column('series', existing_type=sa.String(length=20), type_=sa.String(length=60),
                              existing_nullable=False)
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.add_column(sa.Column('reply_paper_number', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('disclosure_requests') as batch_op:
        batch_op.drop_column('reply_paper_number')
    op.execute("DELETE FROM letter_number_counters WHERE series LIKE '%/%'")
    with op.batch_alter_table('letter_number_counters') as batch_op:
        batch_op.alter_column('series', existing_type=sa.String(length=60), type_=sa.String(length=20),
                              existing_nullable=False)
    with op.batch_alter_table('departments') as batch_op:
        batch_op.drop_column('doc_code')
