"""PostgreSQL: keep the search tsvector in the row with lz4 compression, the long texts out of line.

Rows already stored keep their old layout until re-indexed (`flask log reindex`).

Revision ID: 0009_search_tsv_storage
Revises: 0008_search_doc_filters
"""
from alembic import op

revision = '0009_search_tsv_storage'
down_revision = '0008_search_doc_filters'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE public_search_docs ALTER COLUMN tsv SET STORAGE MAIN, "
               "ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN title_tokens SET STORAGE EXTERNAL, "
               "ALTER COLUMN request_tokens SET STORAGE EXTERNAL, ALTER COLUMN reply_tokens SET STORAGE EXTERNAL")
    op.execute("DO $$ BEGIN ALTER TABLE public_search_docs ALTER COLUMN tsv SET COMPRESSION lz4; "
               "EXCEPTION WHEN feature_not_supported THEN RAISE NOTICE 'lz4 not available; pglz kept'; END $$")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE public_search_docs ALTER COLUMN tsv SET STORAGE EXTENDED, "
               "ALTER COLUMN tsv SET COMPRESSION pglz, ALTER COLUMN body SET STORAGE EXTENDED, "
               "ALTER COLUMN title_tokens SET STORAGE EXTENDED, ALTER COLUMN request_tokens SET STORAGE EXTENDED, "
               "ALTER COLUMN reply_tokens SET STORAGE EXTENDED")
