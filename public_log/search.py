"""Full-text search of the public log behind one interface, with two backends chosen by the database:

* SQLite: an FTS5 table over `public_search_docs` (external content, kept in step by triggers).
* PostgreSQL: a generated, weighted tsvector column over the same segmented text with a GIN index.

Both index only `public_search_docs`, which holds the segmented *masked* text of published records.
The backend finds the newest matches (filters applied in the same query, shared with browsing in
public_log.queries); `ranking.rank` orders them by relevance, ties newest first, alike on both.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import aliased

from core.extensions import db
from public_log.models import PublicRecord, PublicSearchDoc
from public_log.ranking import Candidate, rank
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


class SqliteFts:
    name = "sqlite-fts5"
    _fts = sa.table("public_search_fts", sa.column("rowid"))

    @staticmethod
    def _term(term):
        if term.parts:
            inner = " AND ".join(f'"{p}"' for p in term.parts)
            return f'("{term.word}" OR ({inner}))'
        return f'"{term.word}"'

    def candidates(self, stmt, parsed):
        """Match through the FTS5 table, newest record id first (FTS5 walks its doclists backwards)."""
        expr = " AND ".join(self._term(t) for t in parsed.terms)
        return (stmt.join(self._fts, self._fts.c.rowid == PublicRecord.id)
                .where(sa.text("public_search_fts MATCH :fts_q").bindparams(fts_q=expr))
                .order_by(self._fts.c.rowid.desc()))


class PostgresTsvector:
    name = "postgresql-tsvector"

    @staticmethod
    def _term(term):
        if term.parts:
            inner = " & ".join(f"'{p}'" for p in term.parts)
            return f"('{term.word}' | ({inner}))"
        return f"'{term.word}'"

    def candidates(self, stmt, parsed):
        """Match through the GIN-indexed tsvector, newest record id first."""
        expr = " & ".join(self._term(t) for t in parsed.terms)
        return (stmt.join(PublicSearchDoc, PublicSearchDoc.record_id == PublicRecord.id)
                .where(sa.text("public_search_docs.tsv @@ to_tsquery('simple', :ts_q)").bindparams(ts_q=expr))
                .order_by(PublicSearchDoc.record_id.desc()))


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


def search(query, filters=(), *, page=1, per_page=20):
    """Published records matching `query` (AND of words, exact phrases) and the filter clauses:
    the newest WINDOW matches, ranked by relevance (ranking.rank), one page of them."""
    parsed = parse_query(query)
    if parsed.empty:
        return SearchPage([], 0, parsed)
    engine = backend()
    stmt = sa.select(PublicRecord.id, PublicRecord.published_at).where(PublicRecord.status == "published", *filters)
    for phrase in parsed.phrases:
        doc = aliased(PublicSearchDoc)
        body = sa.select(doc.body).where(doc.record_id == PublicRecord.id).scalar_subquery()
        stmt = stmt.where((sa.func.instr(body, phrase) if db.engine.dialect.name == "sqlite"
                           else sa.func.strpos(body, phrase)) > 0)
    try:
        rows = db.session.execute(engine.candidates(stmt, parsed).limit(WINDOW + 1)).all()
        capped, rows = len(rows) > WINDOW, rows[:WINDOW]
        published = {r.id: r.published_at for r in rows}
        docs = db.session.execute(sa.select(
            PublicSearchDoc.record_id, PublicSearchDoc.title_tokens, PublicSearchDoc.request_tokens,
            PublicSearchDoc.reply_tokens).where(PublicSearchDoc.record_id.in_(list(published)))).all() if rows else []
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        raise SearchError(str(exc.orig)) from exc
    ranked = rank(parsed.terms, [Candidate(d.record_id, published[d.record_id], d.title_tokens, d.request_tokens,
                                           d.reply_tokens) for d in docs])
    start = (page - 1) * per_page
    return SearchPage(ranked[start:start + per_page], len(rows), parsed, engine.name, capped)


def count(query, filters=()):
    """How many published records match (for suggestions; at most WINDOW + 1)."""
    page = search(query, filters, per_page=1)
    return page.total + (1 if page.capped else 0)


def document_for(record):
    """The index row's values for a record: segmented masked text only."""
    return {"title_tokens": index_tokens(record.title), "request_tokens": index_tokens(record.request_text),
            "reply_tokens": index_tokens(record.reply_text),
            "body": normalise("\n".join((record.title, record.request_text, record.reply_text)))}


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
