"""Full-text search of the public log behind one interface, with two backends chosen by the database:

* SQLite: an FTS5 table over `public_search_docs` (external content, kept in step by triggers).
* PostgreSQL: a generated, weighted tsvector column over the same segmented text with a GIN index.

Both index only `public_search_docs`, which holds the segmented *masked* text of published records.
The backend finds the newest matches with their relevance (filters applied in the same query,
shared with browsing in public_log.queries); they are ordered by relevance, ties newest first.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event

from core.departments.models import Department
from core.extensions import db
from core.ttl_cache import RedisTTLCache, TTLCache
from public_log.models import PublicRecord, PublicSearchDoc
from public_log.segment import index_tokens, normalise, parse_query

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from typing import Any

    from sqlalchemy import Select

    from public_log.queries import Filters
    from public_log.segment import ParsedQuery, Term

_FTS_COLUMNS = "title_tokens, request_tokens, reply_tokens, filter_tokens"
_NEW = ", ".join(f"new.{c}" for c in _FTS_COLUMNS.split(", "))
_OLD = ", ".join(f"old.{c}" for c in _FTS_COLUMNS.split(", "))
SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE public_search_fts USING fts5({_FTS_COLUMNS}, "
    "content='public_search_docs', content_rowid='record_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER public_search_docs_ai AFTER INSERT ON public_search_docs BEGIN "
    f"INSERT INTO public_search_fts(rowid, {_FTS_COLUMNS}) VALUES (new.record_id, {_NEW}); END",
    "CREATE TRIGGER public_search_docs_ad AFTER DELETE ON public_search_docs BEGIN "
    f"INSERT INTO public_search_fts(public_search_fts, rowid, {_FTS_COLUMNS}) "
    f"VALUES ('delete', old.record_id, {_OLD}); END",
    "CREATE TRIGGER public_search_docs_au AFTER UPDATE ON public_search_docs BEGIN "
    f"INSERT INTO public_search_fts(public_search_fts, rowid, {_FTS_COLUMNS}) "
    f"VALUES ('delete', old.record_id, {_OLD}); "
    f"INSERT INTO public_search_fts(rowid, {_FTS_COLUMNS}) VALUES (new.record_id, {_NEW}); END",
]
# Record ids fall in buckets of 10,000; each document also holds its bucket as a lexeme ("zqid12",
# unweighted: weight D, which no word of the text has) so that a search can ask the GIN index for the
# matches among the newest ids, narrowed inside the index itself.
BUCKET, BUCKET_PREFIX = 10_000, "zqid"
# Each document also holds its filter columns as lexemes (filter_tokens: kind, department id, month of
# the reply; weight D on PostgreSQL, their own FTS5 column on SQLite), so that the index narrows a
# filtered search itself instead of the filter being checked on every match of the words.
KIND_PREFIX, DEPARTMENT_PREFIX, MONTH_PREFIX = "zqk", "zqd", "zqm"
LEXEME_PREFIX = "zq"  # what every filter and bucket lexeme begins with (public_log.search.word_weights)
MAX_MONTHS = 24  # a longer date range is hardly a narrowing: the date clauses alone decide
POSTGRES_DDL = [
    "ALTER TABLE public_search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', request_tokens), 'B') || "
    "setweight(to_tsvector('simple', reply_tokens), 'C') || to_tsvector('simple', filter_tokens) || "
    f"to_tsvector('simple', '{BUCKET_PREFIX}' || (record_id / {BUCKET}))) STORED",
    "CREATE INDEX ix_public_search_docs_tsv ON public_search_docs USING gin (tsv)",
    # A search reads each candidate's tsvector twice (match, rank): keep it in the row, lz4-compressed,
    # and move the long texts out of line instead (measured 25 ms → 4 ms for 1,000 candidates).
    "ALTER TABLE public_search_docs ALTER COLUMN tsv SET STORAGE MAIN, "
    "ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN title_tokens SET STORAGE EXTERNAL, "
    "ALTER COLUMN request_tokens SET STORAGE EXTERNAL, ALTER COLUMN reply_tokens SET STORAGE EXTERNAL",
    "DO $$ BEGIN ALTER TABLE public_search_docs ALTER COLUMN tsv SET COMPRESSION lz4; "
    "EXCEPTION WHEN feature_not_supported THEN RAISE NOTICE 'lz4 not available; pglz kept'; END $$",
]
# PostgreSQL keeps the documents in partitions of PARTITION record ids each (public_search_docs_p0 holds ids
# 0–99,999, _p1 the next …), each with its own GIN index (the parent's, created on every partition). A
# search whose words are rare among the newest records walks the partitions newest first and stops at the
# search window, reading those partitions' short posting lists instead of the whole index's
# (PostgresTsvector.walk). Partitions are made as records arrive (ensure_partitions); the first one with
# the table (POSTGRES_DDL), the ones existing data needs by migration 0043.
PARTITION, PARTITION_PREFIX = 100_000, "public_search_docs_p"
PARTITION_LOCK = 0x676B5344  # pg_advisory_xact_lock key: one session at a time makes a partition


def partition_ddl(number: int) -> str:
    return (f"CREATE TABLE IF NOT EXISTS {PARTITION_PREFIX}{number} PARTITION OF public_search_docs "
            f"FOR VALUES FROM ({number * PARTITION}) TO ({(number + 1) * PARTITION})")


POSTGRES_DDL.append(partition_ddl(0))

for _stmt in SQLITE_DDL:
    event.listen(PublicSearchDoc.__table__, "after_create", sa.DDL(_stmt).execute_if(dialect="sqlite"))
for _stmt in POSTGRES_DDL:
    event.listen(PublicSearchDoc.__table__, "after_create", sa.DDL(_stmt).execute_if(dialect="postgresql"))


def include_name(name: str, type_: str, parent_names: Any) -> bool:
    """Alembic filter: the backends' own structures are not models (the FTS5 tables of migration 0007, the
    PostgreSQL partitions of migration 0043)."""
    return not (type_ == "table" and name.startswith(("public_search_fts", PARTITION_PREFIX)))


def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table":
        return include_name(name, type_, {})
    if type_ == "column" and name == "tsv" and obj.table.name == "public_search_docs":
        return False
    return not (type_ == "index" and name == "ix_public_search_docs_tsv")


class SearchError(Exception):
    """The search itself failed (the index is missing or the backend refused the query)."""


def match_expression(terms: Iterable[Term], quote: str, and_: str, or_: str, suffix: str = "") -> str:
    """A boolean query in a backend's syntax: terms AND-ed, each `word OR (part AND part …)`, each
    word followed by `suffix` (a PostgreSQL weight such as `:A`). Terms are word characters only
    (segment._WORD), so quoting cannot be broken out of."""
    def one(term: Term) -> str:
        if term.parts:
            inner = f" {and_} ".join(f"{quote}{p}{quote}{suffix}" for p in term.parts)
            return f"({quote}{term.word}{quote}{suffix} {or_} ({inner}))"
        return f"{quote}{term.word}{quote}{suffix}"
    return f" {and_} ".join(one(t) for t in terms)


# Relevance, the same on both backends: each query word scores by the most prominent part of the
# record it is in — title 10, request 4, otherwise (the reply) 1 — summed over the words; ties go to
# the newer record. Unlike bm25 it needs no statistics over all matches, so ranking costs the same for
# everyday and rare words (measured at 1,000,000 records; see bench/RESULTS.md).
RANK = {"title": 10, "request": 4, "reply": 1}
_TOKEN = re.compile(r"\w+")


class SqliteFts:
    name = "sqlite-fts5"
    _fts = sa.table("public_search_fts", sa.column("rowid"))
    # Measured at 1,000,000 records: stepping through id ranges made FTS5 slower (two-word p95 81 → 151 ms),
    # since its backward doclist walk already stops early; it searches the whole index at once.

    def newest_id(self, filters: Filters | None) -> int:
        return 0  # not needed: FTS5 walks backwards from the highest rowid itself

    def ranked_page(self, stmt: Select[Any], parsed: ParsedQuery, window: int, newest: int,
                    lexemes: list[tuple[str, ...]], start: int, per_page: int) -> tuple[list[int], int]:
        """(ids of one page of the newest `window` matches ranked by relevance, how many matched up to
        window + 1): the newest window + 1 matches are read and ranked here."""
        rows = self.find(stmt, parsed, window + 1, lexemes)
        ranked = [r[0] for r in sorted(rows[:window], key=lambda r: (-r[2], -r[1].timestamp(), -r[0]))]
        return ranked[start:start + per_page], len(rows)

    def find(self, stmt: Select[Any], parsed: ParsedQuery, limit: int,
             lexemes: list[tuple[str, ...]]) -> list[tuple[int, datetime, float]]:
        """The newest `limit` matches (FTS5 walks its doclists backwards from the highest rowid), scored
        from the title and request tokens the same query reads (a word in neither is in the reply).
        Words are looked for in the text columns only; the filters' lexemes in their own column."""
        expr = "{title_tokens request_tokens reply_tokens}: (" + match_expression(parsed.match_terms, '"', "AND", "OR") + ")"
        for group in lexemes:
            expr += " AND filter_tokens: (" + " OR ".join(f'"{lexeme}"' for lexeme in group) + ")"
        rows = db.session.execute(
            stmt.add_columns(PublicSearchDoc.title_tokens, PublicSearchDoc.request_tokens)
            .join(self._fts, self._fts.c.rowid == PublicSearchDoc.record_id)
            .where(sa.text("public_search_fts MATCH :fts_q").bindparams(fts_q=expr))
            .order_by(self._fts.c.rowid.desc()).limit(limit)).all()
        return [(r[0], r[1], score(parsed.terms, r[2], r[3])) for r in rows]


def score(terms: Iterable[Term], title_tokens: str, request_tokens: str) -> float:
    """RANK for one document from its indexed title and request tokens (FTS5's unicode61 splitting)."""
    title, request = set(_TOKEN.findall(title_tokens)), set(_TOKEN.findall(request_tokens))

    def has(term: Term, tokens: set[str]) -> bool:
        return term.word in tokens or (bool(term.parts) and all(p in tokens for p in term.parts))
    return sum(RANK["title"] if has(t, title) else RANK["request"] if has(t, request) else RANK["reply"]
               for t in terms)


class PostgresTsvector:
    name = "postgresql-tsvector"

    def newest_id(self, filters: Filters | None) -> int:
        """The highest id a match can have: the newest document's, or the newest of a date range's."""
        row = db.session.execute(sa.select(PublicSearchDoc.record_id, PublicSearchDoc.replied_on)
                                 .order_by(PublicSearchDoc.record_id.desc()).limit(1)).first()
        if row is None:
            return 0
        if filters is not None and (filters.date_from or date.min) <= row.replied_on <= (filters.date_to or date.max):
            return int(row.record_id)  # the newest record is in the range (no day-by-day look)
        bound = newest_in_dates(filters)
        return row.record_id if bound is None else min(row.record_id, bound)

    def ranked_page(self, stmt: Select[Any], parsed: ParsedQuery, window: int, newest: int,
                    lexemes: list[tuple[str, ...]], start: int, per_page: int) -> tuple[list[int], int]:
        """One page of the newest `window` matches ranked by relevance, and how many matched (up to
        window + 1). The matches are looked for among the newest STEPS[0] ids first, then over a span
        sized from the matches found so far, then (rare words) the whole index. Measured at 1,000,000
        records: a search reads about as many rows as it returns, for everyday and rare words alike."""
        span = STEPS[0]
        while True:
            if span is None or span >= newest:
                return self.find(stmt, parsed, window, lexemes, start, per_page, walk_from=newest)
            first_bucket = (newest - span + 1) // BUCKET
            ids, found = self.find(stmt, parsed, window, lexemes, start, per_page, first_bucket, newest // BUCKET)
            if found > window:
                return ids, found
            span = next_span(found, newest - first_bucket * BUCKET + 1, window + 1)

    def find(self, stmt: Select[Any], parsed: ParsedQuery, window: int, lexemes: list[tuple[str, ...]],
             start: int, per_page: int, first_bucket: int | None = None,
             last_bucket: int | None = None, walk_from: int | None = None) -> tuple[list[int], int]:
        """The newest window + 1 matches through the GIN-indexed tsvector (within the buckets, if given),
        counted, the newest `window` of them ranked and one page of them returned — in one statement, so
        that only the page's ids leave the database (reading the thousand ranked rows into Python cost
        more than the search itself: bench_public.py).

        The filters and the buckets are asked of the GIN index as lexemes (weight D only: never a
        word of the text), so it narrows the matches itself (two everyday words no longer fetch every
        row holding both, nor a department's search every row holding the word). The best plan
        depends on how common the words are; psycopg prepares repeated statements and PostgreSQL would then reuse one generic
        plan for all words (measured: 5 ms → 240 ms), so plan each search afresh."""
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
        expr = match_expression(parsed.match_terms, "'", "&", "|", word_weights(parsed))  # never a filter lexeme
        if first_bucket is not None:
            lexemes = [*lexemes, tuple(f"{BUCKET_PREFIX}{b}" for b in range(first_bucket, last_bucket + 1))]
            # only the partitions holding the span are planned and read: their whole id ranges (a narrower
            # range would have the planner AND the primary key's btree into the bitmap, which costs more
            # than it saves; the bucket lexemes narrow inside the GIN index)
            stmt = stmt.where(PublicSearchDoc.record_id >= first_bucket * BUCKET // PARTITION * PARTITION,
                              PublicSearchDoc.record_id < ((last_bucket + 1) * BUCKET // PARTITION + 1) * PARTITION)
        for group in lexemes:
            expr = f"({expr}) & (" + " | ".join(f"'{lexeme}':D" for lexeme in group) + ")"
        tsv = sa.literal_column("public_search_docs.tsv")
        # The newest window + 1 matches with their tsvectors, then their ranks: a rank reads the tsvector up
        # to twice per word, so it is computed for those rows only, not for every match found on the way.
        matches = stmt.add_columns(tsv.label("tsv")).where(tsv.op("@@")(sa.func.to_tsquery("simple", expr)))
        if walk_from is None:
            limited = matches.order_by(PublicSearchDoc.record_id.desc()).limit(window + 1).subquery("limited")
        else:
            limited = self.walk(matches, walk_from, window + 1).subquery("limited")

        rank = sa.literal_column(rank_sql(parsed.terms, "limited.tsv"), sa.Integer)
        # The CTE holds the ranks, not the documents' tsvectors (copying those took half the time).
        newest = sa.select(limited.c.record_id, limited.c.published_at, rank.label("rank")).cte("newest")
        counted = sa.select(sa.func.count().label("found")).select_from(newest).subquery("counted")
        ranked = sa.select(newest).order_by(newest.c.record_id.desc()).limit(window).subquery("ranked")
        # relevance (RANK: where each word is), ties: newer, then higher id
        order = (ranked.c.rank.desc(), ranked.c.published_at.desc(), ranked.c.record_id.desc())
        page = sa.select(ranked).order_by(*order).limit(per_page).offset(start).subquery("page")
        rows = db.session.execute(
            sa.select(counted.c.found, page.c.record_id).select_from(counted.outerjoin(page, sa.true()))
            .order_by(page.c.rank.desc(), page.c.published_at.desc(), page.c.record_id.desc())).all()
        return [r.record_id for r in rows if r.record_id is not None], int(rows[0].found)


    @staticmethod
    def walk(matches: Select[Any], newest: int, limit: int) -> Select[Any]:
        """The newest `limit` of `matches`, partition by partition from the one holding id `newest` down:
        a branch per partition (its id range prunes the plan to that partition and its own GIN index), the
        branches UNION ALL-ed newest first under one LIMIT. PostgreSQL runs the branches of a plain Append in
        order and stops pulling rows at the LIMIT, so the older partitions are not read once the newest
        ones hold enough matches (parallel plans, which could run them out of order, are switched off for
        the statement). tests/public_log/test_search_partitions.py checks the newest matches come back
        across partitions."""
        db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
        doc_id = PublicSearchDoc.record_id
        branches = [matches.where(doc_id >= number * PARTITION, doc_id < (number + 1) * PARTITION)
                    .order_by(doc_id.desc()).limit(limit) for number in range(newest // PARTITION, -1, -1)]
        walked = sa.union_all(*branches).subquery("walked") if len(branches) > 1 else branches[0].subquery("walked")
        return sa.select(walked).limit(limit)


def ensure_partitions(record_ids: Iterable[int]) -> None:
    """PostgreSQL: make the partitions that will hold these records' documents if they are missing. Called
    before the caller's unit of work touches the documents (index_job, search_catch_up, rebuild), in a short
    transaction of its own: making a partition locks the whole table, which must not wait for a lock the
    caller itself holds, and one session at a time makes it (an advisory lock; the next finds it made). A
    partition made for a unit of work that then fails stays, empty. SQLite: nothing to do."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:
        missing = [number for number in sorted({record_id // PARTITION for record_id in record_ids})
                   if conn.execute(sa.text("SELECT to_regclass(:name)"),
                                   {"name": f"{PARTITION_PREFIX}{number}"}).scalar() is None]
        if missing:
            conn.execute(sa.text("SET LOCAL lock_timeout = '20s'"))  # never a silent wait on a held lock
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PARTITION_LOCK})
            for number in missing:
                conn.execute(sa.text(partition_ddl(number)))


def rank_sql(terms: Iterable[Term], tsv: str) -> str:
    """RANK as SQL over the tsvector column `tsv`: per word, 10 when it is in the title (weight A), 4 in the
    request (B), else 1, summed. Written out as one SQL fragment (building it as SQLAlchemy expressions cost
    more Python time than the ranking itself, at a dozen words): every lexeme is word characters only
    (segment._WORD), checked again here, so it cannot break out of its quotes."""
    parts = []
    for term in terms:
        for lexeme in (term.word, *term.parts):
            if not _TOKEN.fullmatch(lexeme):
                raise SearchError(f"not a word: {lexeme!r}")
        title, request = (match_expression([term], "'", "&", "|", f":{label}") for label in "AB")
        parts.append(f"CASE WHEN {tsv} @@ to_tsquery('simple', '{_quoted(title)}') THEN {RANK['title']} "
                     f"WHEN {tsv} @@ to_tsquery('simple', '{_quoted(request)}') THEN {RANK['request']} "
                     f"ELSE {RANK['reply']} END")
    return " + ".join(parts) or "0"


def _quoted(tsquery: str) -> str:
    """A tsquery text as the body of an SQL string literal (its own quotes doubled)."""
    return tsquery.replace("'", "''")


def word_weights(parsed: ParsedQuery) -> str:
    """The weights a query's words are asked at on PostgreSQL: any (no suffix) — the GIN index then decides
    alone, without reading each match's row to check its weights — unless a word could be one of the
    documents' filter or bucket lexemes (they all begin with `zq`): such a query asks the text's
    weights A–C only, which the lexemes (weight D) never have."""
    words = [w for t in parsed.terms for w in (t.word, *t.parts)]
    return ":ABC" if any(w.startswith(LEXEME_PREFIX) for w in words) else ""


def next_span(found: int, covered: int, limit: int) -> int | None:
    """How many of the newest ids to look through next, after `found` matches among the newest
    `covered`: enough for `limit` at the density seen (with a margin), or None — the whole index —
    when nothing was found or the span would pass STEPS[1]."""
    if not found:
        return None
    span = int(1.5 * limit * covered / found)
    return span if span <= STEPS[1] else None


def newest_in_dates(filters: Filters | None) -> int | None:
    """PostgreSQL: the newest id replied within a bounded date range of at most MAX_MONTHS (else no
    bound), asked day by day of the (replied_on, record_id) index: a few hundred index probes, however
    many records the range holds. The search then starts from there instead of the newest records."""
    if filters is None or not months_between(filters):
        return None
    return db.session.execute(sa.text(
        "SELECT coalesce(max(m.id), 0) FROM generate_series(CAST(:a AS date), CAST(:b AS date), "
        "interval '1 day') AS d(day) CROSS JOIN LATERAL (SELECT max(record_id) AS id FROM public_search_docs "
        "WHERE replied_on = CAST(d.day AS date)) AS m"), {"a": filters.date_from, "b": filters.date_to}).scalar_one()


def months_between(filters: Filters) -> list[str]:
    """The months (YYYYMM) a bounded date range touches, or none past MAX_MONTHS."""
    if not filters.date_from or not filters.date_to:
        return []
    first = filters.date_from.year * 12 + filters.date_from.month - 1
    last = filters.date_to.year * 12 + filters.date_to.month - 1
    if last - first >= MAX_MONTHS:
        return []
    return [f"{m // 12}{m % 12 + 1:02d}" for m in range(first, last + 1)]


def filter_tokens(kind: str, department_id: int | None, replied_on: date) -> str:
    """A document's filter lexemes: its kind, department and month of the reply (see KIND_PREFIX)."""
    department = f" {DEPARTMENT_PREFIX}{department_id}" if department_id is not None else ""
    return f"{KIND_PREFIX}{kind}{department} {MONTH_PREFIX}{replied_on:%Y%m}"


def filter_lexemes(filters: Filters | None) -> list[tuple[str, ...]]:
    """The Filters as lexemes a document must hold: AND of OR-groups (kind, department, the months of
    a bounded date range). A narrowing only: the filter clauses still decide, dates to the day."""
    if filters is None:
        return []
    groups: list[tuple[str, ...]] = []
    if filters.kind.isalpha():
        groups.append((KIND_PREFIX + filters.kind,))
    if filters.department:
        department_id = db.session.execute(
            sa.select(Department.id).where(Department.code == filters.department)).scalar()
        if department_id is not None:
            groups.append((f"{DEPARTMENT_PREFIX}{department_id}",))
    if months := months_between(filters):
        groups.append(tuple(MONTH_PREFIX + m for m in months))
    return groups


def backend() -> SqliteFts | PostgresTsvector:
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
CACHE_KEY = "gk_search_results"
# On PostgreSQL the newest matches are looked for among the newest 10,000 records first, then over a
# span sized from what was found, up to 50,000 records (at most 6 bucket lexemes); past that, and for
# words not among the newest at all, partition by partition, newest first (PostgresTsvector.walk).
# Measured at 1,000,000 records: 29 bucket lexemes OR-ed cost the GIN index 20 ms over three partitions,
# where the walk read the same three partitions' matches in 5.
STEPS = (10_000, 50_000)


def search(query: str, filters: Filters | None = None, *, page: int = 1, per_page: int = 20) -> SearchPage:
    """Published records matching `query` (AND of words, exact phrases) and the Filters: the newest
    WINDOW matches, ranked by relevance, one page of them. Reads the search documents only (they
    copy the records' filter columns; withdrawn records leave the index)."""
    cache = results_cache()
    key = (query, filters.cache_key() if filters is not None else None, page, per_page)
    if (hit := cached_page(cache.get(key), query)) is not None:
        return hit
    parsed = parse_query(query)
    if parsed.empty:
        return SearchPage([], 0, parsed)
    engine = backend()
    stmt = sa.select(PublicSearchDoc.record_id, PublicSearchDoc.published_at).select_from(PublicSearchDoc).where(
        *(filters.clauses(PublicSearchDoc) if filters is not None else ()))
    for phrase in parsed.text_checks:
        stmt = stmt.where((sa.func.instr(PublicSearchDoc.body, phrase) if db.engine.dialect.name == "sqlite"
                           else sa.func.strpos(PublicSearchDoc.body, phrase)) > 0)
    start = (page - 1) * per_page
    try:
        newest = engine.newest_id(filters)
        ids, found = engine.ranked_page(stmt, parsed, WINDOW, newest, filter_lexemes(filters), start, per_page)
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        raise SearchError(str(exc.orig)) from exc
    result = SearchPage(ids, min(found, WINDOW), parsed, engine.name, found > WINDOW)
    cache.put(key, {"ids": ids, "total": result.total, "backend": engine.name, "capped": result.capped})
    return result


def cached_page(value: Any, query: str) -> SearchPage | None:
    """The SearchPage a cache entry holds, or None when it holds none of the shape search() stores (a shared
    Redis may hold another version's entry or a damaged one: such an entry is a miss, never an error)."""
    def count(v: Any) -> bool:
        return type(v) is int and 0 <= v <= 2**63 - 1  # a record id / a total the database can take
    if not isinstance(value, dict):
        return None
    ids, total, name, capped = (value.get(k) for k in ("ids", "total", "backend", "capped"))
    if not (isinstance(ids, list) and all(map(count, ids)) and count(total) and isinstance(name, str)
            and isinstance(capped, bool)):
        return None
    return SearchPage(ids, total, parse_query(query), name, capped)


def results_cache() -> TTLCache[dict[str, Any]] | RedisTTLCache:
    """This app's cache of search results (SEARCH_CACHE_SECONDS; core/ttl_cache.py): in Redis, shared by every
    web process and node, when REDIS_URL is set; else in this process. Only ids and counts are kept: the
    records are read afresh for every page (queries.by_ids: published ones only)."""
    cache = current_app.extensions.get(CACHE_KEY)
    if cache is None:
        seconds, url = current_app.config["SEARCH_CACHE_SECONDS"], current_app.config.get("REDIS_URL")
        # one deployment's results only, whoever else shares the Redis (another database, a test run)
        scope = hashlib.sha256(db.engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
        made = RedisTTLCache(url, seconds, f"gk:search:{scope}:") if url and seconds > 0 else TTLCache(seconds)
        cache = current_app.extensions.setdefault(CACHE_KEY, made)
    return cache


def count(query: str, filters: Filters | None = None) -> int:
    """How many published records match (for suggestions; at most WINDOW + 1)."""
    page = search(query, filters, per_page=1)
    return page.total + (1 if page.capped else 0)


def document_for(record: PublicRecord) -> dict[str, Any]:
    """The index row's values for a record: segmented masked text only."""
    return {"title_tokens": index_tokens(record.title), "request_tokens": index_tokens(record.request_text),
            "reply_tokens": index_tokens(record.reply_text),
            "body": normalise("\n".join((record.title, record.request_text, record.reply_text))),
            "filter_tokens": filter_tokens(record.kind, record.department_id, record.replied_on),
            "kind": record.kind, "department_id": record.department_id, "type_code": record.type_code,
            "category_code": record.category_code, "replied_on": record.replied_on,
            "published_at": record.published_at}


def index_record(record: PublicRecord, *, now: datetime) -> bool:
    """Put a published record in the index (or refresh it); remove anything else from it."""
    doc = db.session.get(PublicSearchDoc, record.id)
    if record.status != "published":
        if doc is not None:
            db.session.delete(doc)
        return False
    values = document_for(record)
    if doc is None:  # on PostgreSQL its partition exists: ensure_partitions ran before the unit of work
        db.session.add(PublicSearchDoc(record_id=record.id, indexed_at=now, **values))
    else:
        for key, value in values.items():
            setattr(doc, key, value)
        doc.indexed_at = now
    return True


def unindexed_ids(limit: int | None = None) -> list[int]:
    """Published records missing from the index, or changed after they were indexed."""
    stmt = (sa.select(PublicRecord.id).outerjoin(PublicSearchDoc, PublicSearchDoc.record_id == PublicRecord.id)
            .where(PublicRecord.status == "published",
                   sa.or_(PublicSearchDoc.record_id.is_(None), PublicSearchDoc.indexed_at < PublicRecord.changed_at))
            .order_by(PublicRecord.id))
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def stale_doc_ids() -> list[int]:
    """Index rows whose record is no longer published (withdrawn)."""
    stmt = sa.select(PublicSearchDoc.record_id).join(PublicRecord, PublicRecord.id == PublicSearchDoc.record_id).where(
        PublicRecord.status != "published")
    return list(db.session.scalars(stmt))
