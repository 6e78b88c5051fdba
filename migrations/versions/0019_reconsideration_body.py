"""Departments know their reconsideration body (issue 15; 行政复议法 2023 Art. 24, 27): the organ named in the
remedy paragraph of their letters. The district government decides for its departments, towns and
streets; 盐城市人民政府 for the office acting for the district government; the next organ up for
vertically led ones.

Revision ID: 0019_reconsideration_body
Revises: 0018_auth_code_requester
Create Date: 2026-11-29 20:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0019_reconsideration_body'
down_revision = '0018_auth_code_requester'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reconsideration_body', sa.String(length=120), nullable=False,
                                      server_default='盐城市亭湖区人民政府'))
    departments = sa.table('departments', sa.column('code', sa.String), sa.column('reconsideration_body', sa.String))
    for code, body in (("zfb", "盐城市人民政府"), ("qxj", "盐城市气象局")):
        op.execute(departments.update().where(departments.c.code == code).values(reconsideration_body=body))
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.alter_column('reconsideration_body', server_default=None)


def downgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('reconsideration_body')
