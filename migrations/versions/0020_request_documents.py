"""Documents issued on a disclosure application and their delivery (issue 15 item 3): 补正告知书, 延期告知书,
征求意见书, 收费通知书, 答复书, and the notice to a third party whose objection was overruled (Art. 32). A third party's consultation deadline runs from its receipt of the letter
(Art. 32), so it is unknown until the delivery is recorded.

Revision ID: 0020_request_documents
Revises: 0019_reconsideration_body
Create Date: 2026-11-29 21:50:00

"""
import sqlalchemy as sa
from alembic import op

import core.db  # noqa: F401  (custom column types)

revision = '0020_request_documents'
down_revision = '0019_reconsideration_body'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'request_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('addressee', sa.String(length=120), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('period_workdays', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('answer_due_on', sa.Date(), nullable=True),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('delivery_method', sa.String(length=16), nullable=True),
        sa.Column('tracking_number', sa.String(length=40), nullable=True),
        sa.Column('delivered_on', sa.Date(), nullable=True),
        sa.Column('delivery_recorded_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('delivery_recorded_by', sa.String(length=120), nullable=True),
        sa.Column('lapse_decision', sa.String(length=16), nullable=True),
        sa.Column('lapse_reason', sa.Text(), nullable=True),
        sa.Column('lapse_decided_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('lapse_decided_by', sa.String(length=120), nullable=True),
        sa.CheckConstraint("kind IN ('correction_notice', 'extension_notice', 'consultation_letter', "
                           "'fee_notice', 'reply', 'disclosure_notice')", name=op.f('ck_request_documents_kind')),
        sa.CheckConstraint("delivery_method IS NULL OR delivery_method IN ('online_read', 'sms', 'email', "
                           "'registered_mail', 'in_person')", name=op.f('ck_request_documents_delivery_method')),
        sa.CheckConstraint("lapse_decision IS NULL OR lapse_decision IN ('abandoned', 'late_accepted')",
                           name=op.f('ck_request_documents_lapse_decision')),
        sa.ForeignKeyConstraint(['request_id'], ['disclosure_requests.id'],
                                name=op.f('fk_request_documents_request_id_disclosure_requests')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_request_documents_consultation_id_consultations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_request_documents')),
    )
    with op.batch_alter_table('request_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_documents_request_id'), ['request_id'], unique=False)
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.alter_column('deadline_on', existing_type=sa.Date(), nullable=True)


def downgrade():
    consultations = sa.table('consultations', sa.column('sent_on', sa.Date), sa.column('deadline_on', sa.Date))
    op.execute(consultations.update().where(consultations.c.deadline_on.is_(None))
               .values(deadline_on=consultations.c.sent_on))
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.alter_column('deadline_on', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('request_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_documents_request_id'))
    op.drop_table('request_documents')
