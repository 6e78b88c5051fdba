"""Full-text search of the public log behind one interface, with two backends chosen by the database:

* SQLite: an FTS5 table over `public_search_docs` (external content, kept in step by triggers).
* PostgreSQL: a generated, weighted tsvector column over the same segmented text with a GIN index.

Both index only `public_search_docs`, which holds the segmented *masked* text of published records.
The backend finds the newest matches with their relevance (filters applied in the same query,
shared with browsing in public_log.queries); they are ordered by relevance, ties newest first.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from public_log.models import PublicRecord, PublicSearchDoc
from public_log.segment import index_tokens, normalise, parse_query

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
    # A search reads each candidate's tsvector twice (match, rank): keep it in the row, lz4-compressed,
    # and move the long texts out of line instead (measured 25 ms → 4 ms for 1,000 candidates).
    "ALTER TABLE public_search_docs ALTER COLUMN tsv SET STORAGE MAIN, "
    "ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN title_tokens SET STORAGE EXTERNAL, "
    "ALTER COLUMN request_tokens SET STORAGE EXTERNAL, ALTER COLUMN reply_tokens SET STORAGE EXTERNAL",
    "DO $$ BEGIN ALTER TABLE public_search_docs ALTER COLUMN tsv SET COMPRESSION lz4; "
    "EXCEPTION WHEN feature_not_supported THEN RAISE NOTICE 'lz4 not available; pglz kept'; END $$",
]

for _stmt in SQLITE_DDL:
    event.listen(PublicSearchDoc.__table__, "after_create", sa.DDL(_stmt).execute_if(dialect="sqlite"))
for _stmt in POSTGRES_DDL:
    event.listen(PublicSearchDoc.__table__, "after_create", sa.DDL(_stmt).execute_if(dialect="postgresql"))


def include_name(name, type_, parent_names):
    """Alembic filter: the backends' own structures are not models (kept in migration 0007)."""
    return not (type_ == "table" and name.startswith("public_search_fts"))


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table":
        return include_name(name, type_, {})
    if type_ == "column" and name == "tsv" and obj.table.name == "public_search_docs":
        return False
    return not (type_ == "index" and name == "ix_public_search_docs_tsv")


class SearchError(Exception):
    """The search itself failed (the index is missing or the backend refused the query)."""


def match_expression(terms, quote, and_, or_):
    """A boolean query in a backend's syntax: terms AND-ed, each `word OR (part AND part …)`.
    Terms are word characters only (segment._WORD), so quoting cannot be broken out of."""
    def one(term):
        if term.parts:
            inner = f" {and_} ".join(f"{quote}{p}{quote}" for p in term.parts)
            return f"({quote}{term.word}{quote} {or_} ({inner}))"
        return f"{quote}{term.word}{quote}"
    return f" {and_} ".join(one(t) for t in terms)


class SqliteFts:
    name = "sqlite-fts5"
    _fts = sa.table("public_search_fts", sa.column("rowid"))
    # Measured at 1,000,000 records: stepping through id ranges made FTS5 slower (two-word p95 81 → 151 ms),
    # since its backward doclist walk already stops early; it searches the whole index at once.
    stepped = False

    def candidates(self, stmt, parsed, limit, above=None):
        """Match through the FTS5 table, newest record id first (FTS5 walks its doclists backwards)."""
        expr = match_expression(parsed.terms, '"', "AND", "OR")
        if above is not None:
            stmt = stmt.where(self._fts.c.rowid > above)  # FTS5 seeks to the rowid range
        score = sa.literal_column("bm25(public_search_fts, 10.0, 4.0, 1.0)")  # lower is better
        return (stmt.add_columns(score).join(self._fts, self._fts.c.rowid == PublicSearchDoc.record_id)
                .where(sa.text("public_search_fts MATCH :fts_q").bindparams(fts_q=expr))
                .order_by(self._fts.c.rowid.desc()).limit(limit))


class PostgresTsvector:
    name = "postgresql-tsvector"
    # Measured at 1,000,000 records: id-range steps bound the planner's bad guesses for rarer words
    # (one-word p95 144 → 103 ms, p99 642 → 129 ms).
    stepped = True

    def candidates(self, stmt, parsed, limit, above=None):
        """Match through the GIN-indexed tsvector, newest record id first; rank only those.

        The best plan depends on how common the words are (walk the newest rows for everyday words,
        the GIN index for rare ones); psycopg prepares repeated statements and PostgreSQL would then
        reuse one generic plan for all words (measured: 5 ms → 240 ms), so plan each search afresh."""
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
        if above is not None:
            stmt = stmt.where(PublicSearchDoc.record_id > above)
        expr = match_expression(parsed.terms, "'", "&", "|")
        tsv, query = sa.literal_column("public_search_docs.tsv"), sa.func.to_tsquery("simple", expr)
        newest = (stmt.add_columns(tsv.label("tsv")).where(tsv.op("@@")(query))
                  .order_by(PublicSearchDoc.record_id.desc()).limit(limit).subquery())
        return sa.select(newest.c.record_id, newest.c.published_at,
                         -sa.func.ts_rank(newest.c.tsv, query))  # lower is better, like bm25


def backend():
    return PostgresTsvector() if db.engine.dialect.name == "postgresql" else SqliteFts()


@dataclass
class SearchPage:
    ids: list
    total: int
    parsed: object
    backend: str = ""
    capped: bool = False  # more than WINDOW matches: `total` is WINDOW, ranked among the newest WINDOW


# Relevance is computed over at most this many matches — the newest ones. Queries as broad as a
# single everyday word would otherwise rank hundreds of thousands of rows per page view.
WINDOW = 1000
# On PostgreSQL the newest matches are looked for among the newest records first, then further back:
# an everyday word is settled within the newest 20,000 records, a rare one reads its few matches last.
STEPS = (20_000, 200_000)


def search(query, filters=None, *, page=1, per_page=20):
    """Published records matching `query` (AND of words, exact phrases) and the Filters: the newest
    WINDOW matches, ranked by relevance, one page of them. Reads the search documents only (they
    copy the records' filter columns; withdrawn records leave the index)."""
    parsed = parse_query(query)
    if parsed.empty:
        return SearchPage([], 0, parsed)
    engine = backend()
    stmt = sa.select(PublicSearchDoc.record_id, PublicSearchDoc.published_at).select_from(PublicSearchDoc).where(
        *(filters.clauses(PublicSearchDoc) if filters is not None else ()))
    for phrase in parsed.phrases:
        stmt = stmt.where((sa.func.instr(PublicSearchDoc.body, phrase) if db.engine.dialect.name == "sqlite"
                           else sa.func.strpos(PublicSearchDoc.body, phrase)) > 0)
    try:
        newest = db.session.execute(sa.select(sa.func.max(PublicSearchDoc.record_id))).scalar_one() or 0
        for span in (STEPS if engine.stepped else ()) + (None,):
            above = newest - span if span is not None and span < newest else None
            rows = db.session.execute(engine.candidates(stmt, parsed, WINDOW + 1, above)).all()
            if len(rows) > WINDOW or above is None:
                break
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        raise SearchError(str(exc.orig)) from exc
    capped, rows = len(rows) > WINDOW, rows[:WINDOW]
    # relevance from the backend (bm25 / ts_rank, title weighted highest); ties: newer, then higher id
    ranked = [r[0] for r in sorted(rows, key=lambda r: (round(r[2], 9), -r[1].timestamp(), -r[0]))]
    start = (page - 1) * per_page
    return SearchPage(ranked[start:start + per_page], len(rows), parsed, engine.name, capped)


def count(query, filters=None):
    """How many published records match (for suggestions; at most WINDOW + 1)."""
    page = search(query, filters, per_page=1)
    return page.total + (1 if page.capped else 0)


def document_for(record):
    """The index row's values for a record: segmented masked text only."""
    return {"title_tokens": index_tokens(record.title), "request_tokens": index_tokens(record.request_text),
            "reply_tokens": index_tokens(record.reply_text),
            "body": normalise("\n".join((record.title, record.request_text, record.reply_text))),
            "kind": record.kind, "department_id": record.department_id, "type_code": record.type_code,
            "category_code": record.category_code, "replied_on": record.replied_on,
            "published_at": record.published_at}


def index_record(record, *, now):
    """Put a published record in the index (or refresh it); remove anything else from it."""
    doc = db.session.get(PublicSearchDoc, record.id)
    if record.status != "published":
        if doc is not None:
            db.session.delete(doc)
        return False
    values = document_for(record)
    if doc is None:
        db.session.add(PublicSearchDoc(record_id=record.id, indexed_at=now, **values))
    else:
        for key, value in values.items():
            setattr(doc, key, value)
        doc.indexed_at = now
    return True


def unindexed_ids(limit=None):
    """Published records missing from the index, or changed after they were indexed."""
    stmt = (sa.select(PublicRecord.id).outerjoin(PublicSearchDoc, PublicSearchDoc.record_id == PublicRecord.id)
            .where(PublicRecord.status == "published",
                   sa.or_(PublicSearchDoc.record_id.is_(None), PublicSearchDoc.indexed_at < PublicRecord.changed_at))
            .order_by(PublicRecord.id))
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def stale_doc_ids():
    """Index rows whose record is no longer published (withdrawn)."""
    stmt = sa.select(PublicSearchDoc.record_id).join(PublicRecord, PublicRecord.id == PublicSearchDoc.record_id).where(
        PublicRecord.status != "published")
    return list(db.session.scalars(stmt))
