"""Public log search: corrections on public records, the search documents table and its index
(an FTS5 table with triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL).

Revision ID: 0007_public_search
Revises: 0006_public_records
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0007_public_search'
down_revision = '0006_public_records'
branch_labels = None
depends_on = None

# Copied from public_log.search when this migration was written (migrations stay as they ran).
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE public_search_fts USING fts5(title_tokens, request_tokens, reply_tokens, "
    "content='public_search_docs', content_rowid='record_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER public_search_docs_ai AFTER INSERT ON public_search_docs BEGIN "
    "INSERT INTO public_search_fts(rowid, title_tokens, request_tokens, reply_tokens) "
    "VALUES (new.record_id, new.title_tokens, new.request_tokens, new.reply_tokens); END",
    "CREATE TRIGGER public_search_docs_ad AFTER DELETE ON public_search_docs BEGIN "
    "INSERT INTO public_search_fts(public_search_fts, rowid, title_tokens, request_tokens, reply_tokens) "
    "VALUES ('delete', old.record_id, old.title_tokens, old.request_tokens, old.reply_tokens); END",
    "CREATE TRIGGER public_search_docs_au AFTER UPDATE ON public_search_docs BEGIN "
    "INSERT INTO public_search_fts(public_search_fts, rowid, title_tokens, request_tokens, reply_tokens) "
    "VALUES ('delete', old.record_id, old.title_tokens, old.request_tokens, old.reply_tokens); "
    "INSERT INTO public_search_fts(rowid, title_tokens, request_tokens, reply_tokens) "
    "VALUES (new.record_id, new.title_tokens, new.request_tokens, new.reply_tokens); END",
]
POSTGRES_DDL = [
    "ALTER TABLE public_search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', request_tokens), 'B') || "
    "setweight(to_tsvector('simple', reply_tokens), 'C')) STORED",
    "CREATE INDEX ix_public_search_docs_tsv ON public_search_docs USING gin (tsv)",
]


def upgrade():
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('correction_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('changed_at', core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('known', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.alter_column('known', server_default=None)
    op.execute("UPDATE public_records SET changed_at = published_at")
    op.create_table('public_search_docs',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('title_tokens', sa.Text(), nullable=False),
    sa.Column('request_tokens', sa.Text(), nullable=False),
    sa.Column('reply_tokens', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('indexed_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['public_records.id'],
                            name=op.f('fk_public_search_docs_record_id_public_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_public_search_docs'))
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(dialect, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("public_search_docs_au", "public_search_docs_ad", "public_search_docs_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS public_search_fts")
    op.drop_table('public_search_docs')
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.drop_column('known')
        batch_op.drop_column('changed_at')
        batch_op.drop_column('correction_note')
        batch_op.drop_column('corrected_at')
