"""Organ details: whether an organ answers disclosure applications (条例 Art. 2, 36), a second
reconsideration body (行政复议法 2023 Art. 24 para. 4, Art. 28), the fee payment channel printed on the
收费通知书, and the 补正告知书's guidance (条例 Art. 30 给予指导和释明).

Revision ID: 0026_organ_details
Revises: 0025_reason_documents
"""
import sqlalchemy as sa
from alembic import op

revision = '0026_organ_details'
down_revision = '0025_reason_documents'
branch_labels = None
depends_on = None

PAYMENT = ('fee_payee', 'fee_bank', 'fee_account', 'fee_payment_note')


def upgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discloses', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('reconsideration_body_alt', sa.String(length=120), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('fee_payee', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee_bank', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee_account', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee_payment_note', sa.String(length=500), nullable=False, server_default=''))
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_guidance', sa.Text(), nullable=True))
    deps = sa.table('departments', sa.column('code', sa.String), sa.column('discloses', sa.Boolean),
                    sa.column('full_name', sa.String), sa.column('reconsideration_body', sa.String),
                    sa.column('reconsideration_body_alt', sa.String))
    # 区委办 and (since the 2018-19 reform, a 党委工作机关) 区编办 are party organs, not administrative organs
    # (条例 Art. 2): they answer no application. Their seeded full names become the party organs' own.
    op.execute(deps.update().where(deps.c.code.in_(('qwb', 'bb'))).values(discloses=False))
    for code, old, new in (('qwb', '盐城市亭湖区委办公室', '中共盐城市亭湖区委办公室'),
                           ('bb', '盐城市亭湖区机构编制委员会办公室', '中共盐城市亭湖区委机构编制委员会办公室')):
        op.execute(deps.update().where(deps.c.code == code).where(deps.c.full_name == old).values(full_name=new))
    # 公安分局: a 派出机构 of the city 公安局 by district (行政复议法 Art. 24 para. 4): 盐城市人民政府, or the
    # government of where it sits. Only the seeded default is corrected; an admin's edit is kept.
    op.execute(deps.update().where(deps.c.code == 'gafj').where(deps.c.reconsideration_body == '盐城市亭湖区人民政府')
               .values(reconsideration_body='盐城市人民政府', reconsideration_body_alt='盐城市亭湖区人民政府'))
    with op.batch_alter_table('departments', schema=None) as batch_op:
        for name in ('reconsideration_body_alt', *PAYMENT):
            batch_op.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.drop_column('correction_guidance')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        for name in ('discloses', 'reconsideration_body_alt', *PAYMENT):
            batch_op.drop_column(name)
