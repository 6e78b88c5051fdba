"""Pending uploads (core/pending_uploads.py: the files of a refused form, kept server-side between attempts) and
saved reply drafts (requests_module.models.ReplyDraft: 保存草稿 on the handling page), and stored files' content type
widened for Word/Excel (the .docx type is 71 characters) — issue 18 items 1 and 13.

Revision ID: 0034_pending_uploads
Revises: 0033_handoff
"""
import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = '0034_pending_uploads'
down_revision = '0033_handoff'
branch_labels = None
depends_on = None


FILE_TABLES = ('request_attachments', 'correction_evidence')


def upgrade():
    for table in FILE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('content_type', existing_type=sa.String(length=40), type_=sa.String(length=100),
                               existing_nullable=False)
    op.create_table(
        'pending_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('owner', sa.String(length=80), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_uploads')),
        sa.UniqueConstraint('token', name=op.f('uq_pending_uploads_token')))
    op.create_index(op.f('ix_pending_uploads_owner'), 'pending_uploads', ['owner'])
    op.create_index(op.f('ix_pending_uploads_expires_at'), 'pending_uploads', ['expires_at'])
    op.create_table(
        'reply_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('values', sa.Text(), nullable=False),
        sa.Column('saved_by_id', sa.Integer(), nullable=True),
        sa.Column('saved_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['disclosure_requests.id'],
                                name=op.f('fk_reply_drafts_request_id_disclosure_requests')),
        sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_reply_drafts_saved_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_drafts')),
        sa.UniqueConstraint('request_id', name=op.f('uq_reply_drafts_request_id')))


def downgrade():
    op.drop_table('reply_drafts')
    op.drop_index(op.f('ix_pending_uploads_expires_at'), table_name='pending_uploads')
    op.drop_index(op.f('ix_pending_uploads_owner'), table_name='pending_uploads')
    op.drop_table('pending_uploads')
    for table in FILE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('content_type', existing_type=sa.String(length=100), type_=sa.String(length=40),
                               existing_nullable=False)
