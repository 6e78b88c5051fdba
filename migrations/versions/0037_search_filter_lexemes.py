"""Search documents hold their filter columns as index lexemes (public_log.search.filter_tokens: kind,
department id, month of the reply) and an index on (replied_on, record_id), so that a filtered search is
narrowed by the index itself (issue 19).

The new column is filled here with the same text `filter_tokens` builds; then PostgreSQL's generated
tsvector is redefined (rewrites `public_search_docs` and rebuilds its GIN index: minutes at 1,000,000
records, run it in a quiet hour) and SQLite's FTS5 table is rebuilt with a fourth column.
`flask log reindex` afterwards gives the same index (it is not needed).

Revision ID: 0037_search_filter_lexemes
Revises: 0036_pending_upload_address
"""
import sqlalchemy as sa
from alembic import op

revision = '0037_search_filter_lexemes'
down_revision = '0036_pending_upload_address'
branch_labels = None
depends_on = None

# Copied from public_log.search when this migration was written (migrations stay as they ran).
_WORDS = ("setweight(to_tsvector('simple', title_tokens), 'A') || "
          "setweight(to_tsvector('simple', request_tokens), 'B') || "
          "setweight(to_tsvector('simple', reply_tokens), 'C')")
_FILTERS = " || to_tsvector('simple', filter_tokens)"
_BUCKETS = " || to_tsvector('simple', 'zqid' || (record_id / 10000))"
_MONTH = {"postgresql": "to_char(replied_on, 'YYYYMM')", "sqlite": "strftime('%Y%m', replied_on)"}
_FILL = ("UPDATE public_search_docs SET filter_tokens = 'zqk' || kind || coalesce(' zqd' || department_id, '') "
         "|| ' zqm' || {month}")
_TRIGGERS = ("public_search_docs_au", "public_search_docs_ad", "public_search_docs_ai")


def _redefine_tsv(expression):
    """Drop and re-add the generated column: kept in the row, lz4 where the server has it (0009, 0012)."""
    op.execute("DROP INDEX IF EXISTS ix_public_search_docs_tsv")
    op.execute("ALTER TABLE public_search_docs DROP COLUMN IF EXISTS tsv")
    if expression is None:
        return
    add = f"ADD COLUMN tsv tsvector %s GENERATED ALWAYS AS ({expression}) STORED, ALTER COLUMN tsv SET STORAGE MAIN"
    op.execute(f"DO $$ BEGIN ALTER TABLE public_search_docs {add % 'COMPRESSION lz4'}; "
               f"EXCEPTION WHEN feature_not_supported THEN ALTER TABLE public_search_docs {add % ''}; END $$")
    op.execute("CREATE INDEX ix_public_search_docs_tsv ON public_search_docs USING gin (tsv)")


def _rebuild_fts(columns):
    """SQLite: the FTS5 table and its triggers over `columns` of public_search_docs, filled from it
    (None: dropped only)."""
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS public_search_fts")
    if columns is None:
        return
    cols = ", ".join(columns)
    new, old = ", ".join(f"new.{c}" for c in columns), ", ".join(f"old.{c}" for c in columns)
    op.execute(f"CREATE VIRTUAL TABLE public_search_fts USING fts5({cols}, content='public_search_docs', "
               "content_rowid='record_id', tokenize='unicode61 remove_diacritics 0')")
    op.execute("CREATE TRIGGER public_search_docs_ai AFTER INSERT ON public_search_docs BEGIN "
               f"INSERT INTO public_search_fts(rowid, {cols}) VALUES (new.record_id, {new}); END")
    op.execute("CREATE TRIGGER public_search_docs_ad AFTER DELETE ON public_search_docs BEGIN "
               f"INSERT INTO public_search_fts(public_search_fts, rowid, {cols}) "
               f"VALUES ('delete', old.record_id, {old}); END")
    op.execute("CREATE TRIGGER public_search_docs_au AFTER UPDATE ON public_search_docs BEGIN "
               f"INSERT INTO public_search_fts(public_search_fts, rowid, {cols}) "
               f"VALUES ('delete', old.record_id, {old}); "
               f"INSERT INTO public_search_fts(rowid, {cols}) VALUES (new.record_id, {new}); END")
    op.execute(f"INSERT INTO public_search_fts(rowid, {cols}) SELECT record_id, {cols} FROM public_search_docs")


_TEXT = ("title_tokens", "request_tokens", "reply_tokens")


def upgrade():
    dialect = op.get_bind().dialect.name
    # the index structures go first, so that filling the column does not update them row by row
    if dialect == "postgresql":
        _redefine_tsv(None)
    elif dialect == "sqlite":
        _rebuild_fts(None)
    op.add_column("public_search_docs", sa.Column("filter_tokens", sa.Text(), nullable=False, server_default=""))
    if dialect in _MONTH:
        op.execute(_FILL.format(month=_MONTH[dialect]))
    op.create_index("ix_public_search_docs_replied_on", "public_search_docs", ["replied_on", "record_id"])
    if dialect == "postgresql":
        _redefine_tsv(_WORDS + _FILTERS + _BUCKETS)
    elif dialect == "sqlite":
        _rebuild_fts((*_TEXT, "filter_tokens"))


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _redefine_tsv(None)
    elif dialect == "sqlite":
        _rebuild_fts(None)
    op.drop_index("ix_public_search_docs_replied_on", table_name="public_search_docs")
    op.drop_column("public_search_docs", "filter_tokens")
    if dialect == "postgresql":
        _redefine_tsv(_WORDS + _BUCKETS)
    elif dialect == "sqlite":
        _rebuild_fts(_TEXT)
