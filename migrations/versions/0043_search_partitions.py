"""PostgreSQL: `public_search_docs` partitioned by ranges of record ids (public_log.search.PARTITION), each
partition with its own GIN index, so that a search whose words are rare among the newest records reads the
newest partitions' short posting lists first (public_log.search.PostgresTsvector.walk).

The table is copied into the partitioned one and its indexes built again (at 1,000,000 records: minutes;
run it in a quiet hour). SQLite: nothing changes. Downgrade copies the documents back into one table.

Revision ID: 0043_search_partitions
Revises: 0042_inbound_messages
"""
from alembic import op

revision = '0043_search_partitions'
down_revision = '0042_inbound_messages'
branch_labels = None
depends_on = None

PARTITION, PREFIX = 100_000, "public_search_docs_p"  # public_log.search.PARTITION, PARTITION_PREFIX
_COLUMNS = ("record_id, title_tokens, request_tokens, reply_tokens, body, filter_tokens, kind, department_id, "
            "type_code, category_code, replied_on, published_at, indexed_at")


def _move(partitioned):
    """Copy public_search_docs into a new table of the same columns (the generated tsvector and its
    storage included), partitioned or not, then give it the old one's name, keys and indexes."""
    op.execute("ALTER TABLE public_search_docs RENAME TO public_search_docs_old")
    op.execute("ALTER TABLE public_search_docs_old DROP CONSTRAINT pk_public_search_docs, "
               "DROP CONSTRAINT fk_public_search_docs_record_id_public_records")
    op.execute("DROP INDEX ix_public_search_docs_replied_on")
    op.execute("DROP INDEX ix_public_search_docs_tsv")
    op.execute("CREATE TABLE public_search_docs (LIKE public_search_docs_old INCLUDING DEFAULTS INCLUDING GENERATED "
               "INCLUDING STORAGE INCLUDING COMPRESSION)" + (" PARTITION BY RANGE (record_id)" if partitioned else ""))
    if partitioned:
        newest = op.get_bind().exec_driver_sql("SELECT coalesce(max(record_id), 0) FROM public_search_docs_old").scalar()
        for number in range(newest // PARTITION + 1):
            op.execute(f"CREATE TABLE {PREFIX}{number} PARTITION OF public_search_docs "
                       f"FOR VALUES FROM ({number * PARTITION}) TO ({(number + 1) * PARTITION})")
    op.execute(f"INSERT INTO public_search_docs ({_COLUMNS}) SELECT {_COLUMNS} FROM public_search_docs_old")
    op.execute("DROP TABLE public_search_docs_old")
    op.execute("ALTER TABLE public_search_docs ADD CONSTRAINT pk_public_search_docs PRIMARY KEY (record_id), "
               "ADD CONSTRAINT fk_public_search_docs_record_id_public_records FOREIGN KEY (record_id) "
               "REFERENCES public_records (id) ON DELETE CASCADE")
    op.execute("CREATE INDEX ix_public_search_docs_replied_on ON public_search_docs (replied_on, record_id)")
    op.execute("CREATE INDEX ix_public_search_docs_tsv ON public_search_docs USING gin (tsv)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _move(partitioned=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _move(partitioned=False)
