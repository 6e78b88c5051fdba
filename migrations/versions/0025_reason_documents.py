"""Art. 35 notices are documents with a delivery record: 说明理由告知书 and 延迟答复告知书.

Revision ID: 0025_reason_documents
Revises: 0024_correction_requests
"""
from alembic import op

revision = '0025_reason_documents'
down_revision = '0024_correction_requests'
branch_labels = None
depends_on = None

OLD = ("kind IN ('correction_notice', 'extension_notice', 'consultation_letter', 'fee_notice', 'reply', "
       "'disclosure_notice')")
NEW = ("kind IN ('correction_notice', 'extension_notice', 'consultation_letter', 'fee_notice', 'reply', "
       "'disclosure_notice', 'reason_notice', 'delay_notice')")


def _swap(condition):
    with op.batch_alter_table('request_documents') as batch_op:
        batch_op.drop_constraint(op.f('ck_request_documents_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_request_documents_kind'), condition)


def upgrade():
    _swap(NEW)


def downgrade():
    op.execute("DELETE FROM request_documents WHERE kind IN ('reason_notice', 'delay_notice')")
    _swap(OLD)
