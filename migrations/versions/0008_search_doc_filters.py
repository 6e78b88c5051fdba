"""Search documents copy their record's filter and ordering columns, so a search reads one table.

The index is derived data: the table and its backend structures are recreated empty; the catch-up
after the next deadline sweep (or `flask log reindex`) fills them again.

Revision ID: 0008_search_doc_filters
Revises: 0007_public_search
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0008_search_doc_filters'
down_revision = '0007_public_search'
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


def _drop():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("public_search_docs_au", "public_search_docs_ad", "public_search_docs_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS public_search_fts")
    op.drop_table('public_search_docs')


def _create(with_filters):
    extra = [sa.Column('kind', sa.String(length=12), nullable=False),
             sa.Column('department_id', sa.Integer(), nullable=True),
             sa.Column('type_code', sa.String(length=40), nullable=True),
             sa.Column('category_code', sa.String(length=6), nullable=True),
             sa.Column('replied_on', sa.Date(), nullable=False),
             sa.Column('published_at', core.db.UTCDateTime(), nullable=False)] if with_filters else []
    op.create_table('public_search_docs',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('title_tokens', sa.Text(), nullable=False),
    sa.Column('request_tokens', sa.Text(), nullable=False),
    sa.Column('reply_tokens', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    *extra,
    sa.Column('indexed_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['public_records.id'],
                            name=op.f('fk_public_search_docs_record_id_public_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_public_search_docs'))
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(dialect, []):
        op.execute(statement)


def upgrade():
    _drop()
    _create(with_filters=True)


def downgrade():
    _drop()
    _create(with_filters=False)
