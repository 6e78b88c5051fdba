"""PostgreSQL: the search tsvector also holds the record id's bucket (see public_log.search.BUCKET).

The generated column is redefined, which rewrites `public_search_docs` and rebuilds its GIN index
(at 1,000,000 records: minutes; run it in a quiet hour). SQLite: nothing changes.

Revision ID: 0012_search_id_buckets
Revises: 0011_clock_stop_reason
"""
from alembic import op

revision = '0012_search_id_buckets'
down_revision = '0011_clock_stop_reason'
branch_labels = None
depends_on = None

_WORDS = ("setweight(to_tsvector('simple', title_tokens), 'A') || "
          "setweight(to_tsvector('simple', request_tokens), 'B') || "
          "setweight(to_tsvector('simple', reply_tokens), 'C')")
_BUCKETS = " || to_tsvector('simple', 'zqid' || (record_id / 10000))"


def _redefine(expression):
    """Drop and re-add the generated column: kept in the row, lz4 where the server has it (0009)."""
    op.execute("DROP INDEX IF EXISTS ix_public_search_docs_tsv")
    op.execute("ALTER TABLE public_search_docs DROP COLUMN tsv")
    add = f"ADD COLUMN tsv tsvector %s GENERATED ALWAYS AS ({expression}) STORED, ALTER COLUMN tsv SET STORAGE MAIN"
    op.execute(f"DO $$ BEGIN ALTER TABLE public_search_docs {add % 'COMPRESSION lz4'}; "
               f"EXCEPTION WHEN feature_not_supported THEN ALTER TABLE public_search_docs {add % ''}; END $$")
    op.execute("CREATE INDEX ix_public_search_docs_tsv ON public_search_docs USING gin (tsv)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _redefine(_WORDS + _BUCKETS)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _redefine(_WORDS)
