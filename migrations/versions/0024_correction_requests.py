"""Correction requests (更正申请, 《政府信息公开条例》Art. 41) and their evidence files: their own tables, not a
kind of disclosure application (requests_module/correction_models.py says why).

Revision ID: 0024_correction_requests
Revises: 0019_reconsideration_body
Create Date: 2026-11-29 21:29:48

"""
import sqlalchemy as sa
from alembic import op

import core.db  # noqa: F401  (custom column types)

revision = '0024_correction_requests'
down_revision = '0023_procedure_front'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('correction_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('applicant_type', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('id_type', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('contact_person', sa.String(length=60), nullable=False),
    sa.Column('record_title', sa.String(length=200), nullable=False),
    sa.Column('provided_by', sa.String(length=120), nullable=False),
    sa.Column('provided_on', sa.Date(), nullable=False),
    sa.Column('inaccuracy', sa.Text(), nullable=False),
    sa.Column('requested_text', sa.Text(), nullable=False),
    sa.Column('submitted_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=True),
    sa.Column('decision_text', sa.Text(), nullable=True),
    sa.Column('target_organ', sa.String(length=120), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('letter_number', sa.String(length=60), nullable=True),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("applicant_type IN ('person', 'org')", name=op.f('ck_correction_requests_applicant_type')),
    sa.CheckConstraint("status IN ('received', 'closed')", name=op.f('ck_correction_requests_status')),
    sa.ForeignKeyConstraint(['citizen_id'], ['users.id'], name=op.f('fk_correction_requests_citizen_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_correction_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_correction_requests_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_correction_requests_number'))
    )
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_requests_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_requests_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_requests_status'), ['status'], unique=False)

    op.create_table('correction_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['correction_id'], ['correction_requests.id'], name=op.f('fk_correction_evidence_correction_id_correction_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_correction_evidence_stored_name'))
    )
    with op.batch_alter_table('correction_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_evidence_correction_id'), ['correction_id'], unique=False)



def downgrade():
    with op.batch_alter_table('correction_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_evidence_correction_id'))

    op.drop_table('correction_evidence')
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_requests_status'))
        batch_op.drop_index(batch_op.f('ix_correction_requests_department_id'))
        batch_op.drop_index(batch_op.f('ix_correction_requests_citizen_id'))

    op.drop_table('correction_requests')
