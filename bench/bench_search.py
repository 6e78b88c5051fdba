"""Search of the public log at scale: 1,000,000 published records on SQLite FTS5 and on PostgreSQL.

For each backend: load the records, build the index (and report its size and build time), run 1,000
mixed queries through the real search function (`public_log.search.search`, first page of 20 with the
total), and, in the same run, a naive `LIKE '%…%'` scan for a sample of the same queries.
Target (issue 6): p95 <= 50 ms for one- and two-word queries at 1,000,000 records.

Texts are built from the seed work plan's vocabulary (jieba words weighted by frequency), the 12345
catalogue and the departments' topic keywords. To keep generation within minutes, each word's index
tokens come from jieba once (cached) and a document's tokens are its words' tokens plus adjacent words
joined (as `index_tokens` does); jieba's own speed
on whole documents is measured separately and reported (that is what `flask log reindex` pays).

Run: `.venv/bin/python bench/bench_search.py` (BENCH_RECORDS, BENCH_QUERIES, BENCH_LIKE_QUERIES,
BENCH_BACKENDS=sqlite,postgresql, BENCH_DATABASE_URL; throw-away databases are dropped afterwards).
"""
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

N = int(os.environ.get("BENCH_RECORDS", 1_000_000))
QUERIES = int(os.environ.get("BENCH_QUERIES", 1000))
LIKE_QUERIES = int(os.environ.get("BENCH_LIKE_QUERIES", 40))
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
BATCH = 20_000
WINDOW_TEXT = "the search window"
SEED = ROOT.parent / "shared" / "seed" / "000_f3b475e30e097df4.txt"
PUNCT = "，，，。；、"


def vocabulary():
    import jieba

    from core.departments.seed_data import department_rows
    from hotline.catalogue import CATEGORIES
    from public_log.segment import _jieba
    _jieba()
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
    counts = Counter(w for w in jieba.cut(text) if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w))
    for _code, name, _dep in CATEGORIES:
        for w in jieba.cut(name):
            if len(w) >= 2:
                counts[w] += 20
    for dep in department_rows():
        for topic in dep["topics"]:
            for k in topic["keywords"]:
                counts[k] += 10
    words = sorted(counts)
    return words, [counts[w] for w in words]


class Corpus:
    def __init__(self, rng):
        from public_log.segment import index_tokens
        self.rng = rng
        self.words, self.weights = vocabulary()
        self.tokens = {w: index_tokens(w) for w in self.words}

    def sentence(self, k):
        return self.rng.choices(self.words, self.weights, k=k)

    def text(self, sentences, low, high):
        """Text and its index tokens: each word's tokens, and adjacent words joined (as index_tokens does)."""
        parts, tokens = [], []
        for _ in range(sentences):
            words = self.sentence(self.rng.randint(low, high))
            parts.append("".join(words) + self.rng.choice(PUNCT))
            for k, w in enumerate(words):
                tokens.append(self.tokens[w])
                if k:
                    tokens.append(words[k - 1] + w)
        return "".join(parts), " ".join(tokens)


def generate(n, seed=6):
    """Yield (record row, document row) pairs."""
    from core.departments.seed_data import department_rows
    from hotline.catalogue import CATEGORIES
    from hotline.sla import TYPES
    from requests_module.outcomes import OUTCOMES

    rng = random.Random(seed)
    corpus = Corpus(rng)
    leaf_categories = [c for c, _, _ in CATEGORIES if len(c) == 6]
    outcomes = list(OUTCOMES)
    n_departments = len(department_rows())
    start = date(2021, 1, 1)
    span = (date(2026, 11, 20) - start).days
    for i in range(1, n + 1):
        kind = "hotline" if rng.random() < 0.8 else "disclosure"
        title, title_t = corpus.text(1, 2, 4)
        title = title[:-1]
        request, request_t = corpus.text(rng.randint(1, 3), 4, 9)
        reply, reply_t = corpus.text(rng.randint(2, 5), 5, 10)
        replied = start + timedelta(days=(i - 1) * span // n)  # records are published in id order
        published = datetime(replied.year, replied.month, replied.day, 2, tzinfo=timezone.utc) + timedelta(
            minutes=rng.randrange(600))
        record = {"id": i, "public_id": f"GK-{replied.year}-{i:07d}", "kind": kind, "source_id": i,
                  "department_id": rng.randrange(n_departments) + 1,
                  "type_code": rng.choice(list(TYPES)) if kind == "hotline" else rng.choice(outcomes),
                  "category_code": rng.choice(leaf_categories) if kind == "hotline" else None,
                  "replied_on": replied, "original_title": title, "original_request": request,
                  "original_reply": reply, "title": title, "request_text": request, "reply_text": reply,
                  "maskings": [], "known": {}, "status": "published", "published_at": published,
                  "changed_at": published, "created_at": published}
        doc = {"record_id": i, "title_tokens": title_t, "request_tokens": request_t, "reply_tokens": reply_t,
               "body": "\n".join((title, request, reply)), "indexed_at": published,
               **{k: record[k] for k in ("kind", "department_id", "type_code", "category_code", "replied_on",
                                         "published_at")}}
        yield record, doc


def query_mix(rng, corpus_words, weights, departments, n):
    """(class, query, filters) — 45% one word, 35% two words, 10% phrases, 10% one word with a filter."""
    from public_log.queries import Filters
    out = []
    for i in range(n):
        r = i % 20
        if r < 9:
            out.append(("one word", rng.choices(corpus_words, weights)[0], Filters()))
        elif r < 16:
            out.append(("two words", " ".join(rng.choices(corpus_words, weights, k=2)), Filters()))
        elif r < 18:
            out.append(("phrase", '"' + "".join(rng.choices(corpus_words, weights, k=2)) + '"', Filters()))
        else:
            f = rng.choice([Filters(kind="disclosure"), Filters(department=rng.choice(departments)),
                            Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))])
            out.append(("word + filter", rng.choices(corpus_words, weights)[0], f))
    return out


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def like_scan(session, query, filters):
    """The naive alternative: substring scan of the three texts, newest first, with the total."""
    from public_log.models import PublicRecord
    from public_log.segment import parse_query
    words = [p for p in parse_query(query).phrases] or [t.word for t in parse_query(query).terms]
    conds = [sa.or_(PublicRecord.title.like(f"%{w}%"), PublicRecord.request_text.like(f"%{w}%"),
                    PublicRecord.reply_text.like(f"%{w}%")) for w in words]
    stmt = sa.select(PublicRecord.id).where(PublicRecord.status == "published", *conds, *filters.clauses())
    total = session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    ids = session.scalars(stmt.order_by(PublicRecord.published_at.desc()).limit(20)).all()
    return total, ids


def load(apps):
    """Load the same generated records into every backend (one generation pass), then build indexes."""
    from core.departments.service import seed_departments
    from core.extensions import db
    from public_log.models import PublicRecord, PublicSearchDoc
    from public_log.search import POSTGRES_DDL
    engines, built = {}, {}
    for backend, app in apps.items():
        with app.app_context():
            db.create_all()
            seed_departments(now=datetime(2026, 1, 1, tzinfo=timezone.utc))
            db.session.commit()
            engines[backend] = db.engine
            if backend == "postgresql":
                with db.engine.begin() as c:
                    c.execute(sa.text("DROP INDEX ix_public_search_docs_tsv"))
        built[backend] = {"load_s": 0.0, "index_s": 0.0}
    t0 = time.perf_counter()
    records, docs = [], []
    for record, doc in generate(N):
        records.append(record)
        docs.append(doc)
        if len(records) == BATCH or record["id"] == N:
            for backend, engine in engines.items():
                _flush(engine, records, docs, built[backend], PublicRecord, PublicSearchDoc)
            records, docs = [], []
            print(f"  {record['id']:,} records", file=sys.stderr, end="\r")
    generate_s = time.perf_counter() - t0 - sum(b["load_s"] + b["index_s"] for b in built.values())
    for backend, engine in engines.items():
        built[backend]["generate_s"] = generate_s
        if backend == "postgresql":
            t1 = time.perf_counter()
            with engine.begin() as c:
                c.execute(sa.text(POSTGRES_DDL[1]))
                c.execute(sa.text("ANALYZE"))
            built[backend]["index_s"] += time.perf_counter() - t1
            with engine.connect() as c:
                size = c.execute(sa.text("SELECT pg_total_relation_size('public_search_docs')")).scalar_one()
                gin = c.execute(sa.text("SELECT pg_relation_size('ix_public_search_docs_tsv')")).scalar_one()
                table = c.execute(sa.text("SELECT pg_total_relation_size('public_records')")).scalar_one()
            built[backend]["sizes"] = {"index (docs table + tsvector + GIN)": size, "of which GIN": gin,
                                       "records table": table}
        else:
            with engine.begin() as c:
                c.execute(sa.text("INSERT INTO public_search_fts(public_search_fts) VALUES ('optimize')"))
                c.execute(sa.text("ANALYZE"))
            built[backend]["sizes"] = sqlite_sizes(engine)
    return built


def _flush(engine, records, docs, built, PublicRecord, PublicSearchDoc):
    t0 = time.perf_counter()
    with engine.begin() as c:
        c.execute(sa.insert(PublicRecord), records)
    t1 = time.perf_counter()
    with engine.begin() as c:
        c.execute(sa.insert(PublicSearchDoc), docs)
    built["load_s"] += t1 - t0
    built["index_s"] += time.perf_counter() - t1


def sqlite_sizes(engine):
    with engine.connect() as c:
        page = c.execute(sa.text("PRAGMA page_size")).scalar_one()
        try:
            rows = c.execute(sa.text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")).all()
        except sa.exc.OperationalError:
            return {"database file": c.execute(sa.text("PRAGMA page_count")).scalar_one() * page}
    by = dict(rows)
    fts = sum(v for k, v in by.items() if k.startswith("public_search_fts"))
    return {"FTS5 index": fts, "docs table (segmented text)": by.get("public_search_docs", 0),
            "records table": by.get("public_records", 0)}


def run_queries(app, mix):
    from core.extensions import db
    from public_log import search
    timings, hits, capped = {}, {}, {}
    with app.app_context():
        for _cls, q, f in mix[:20]:  # warm-up
            search.search(q, f)
        for cls, q, f in mix:
            t0 = time.perf_counter()
            page = search.search(q, f)
            timings.setdefault(cls, []).append(time.perf_counter() - t0)
            hits.setdefault(cls, []).append(page.total)
            capped.setdefault(cls, []).append(page.capped)
        like = []
        sample = [m for m in mix if m[0] in ("one word", "two words")][:LIKE_QUERIES]
        for _cls, q, f in sample:
            t0 = time.perf_counter()
            like_scan(db.session, q, f)
            like.append(time.perf_counter() - t0)
        db.session.remove()
    return timings, hits, like, capped


def make_app(url):
    from app import create_app
    from config import TestingConfig

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
    return create_app(Cfg)


def report(backend, built, timings, hits, like, capped):
    mb = 1024 * 1024
    print(f"\n## {backend}: {N:,} records")
    print(f"generate (both backends, one pass) {built['generate_s']:.1f} s · load records {built['load_s']:.1f} s · "
          f"build index {built['index_s']:.1f} s")
    for k, v in built["sizes"].items():
        print(f"size {k}: {v / mb:,.0f} MB")
    print(f"| queries | n | p50 ms | p95 ms | p99 ms | median matches (capped at {WINDOW_TEXT}) | more than the window |")
    print("|---|---|---|---|---|---|---|")
    all_t = []
    for cls, values in timings.items():
        all_t += values
        print(f"| {cls} | {len(values)} | {pct(values, 50):.1f} | {pct(values, 95):.1f} | {pct(values, 99):.1f} | "
              f"{statistics.median(hits[cls]):,.0f} | {sum(capped[cls]) / len(values):.0%} |")
    one_two = timings.get("one word", []) + timings.get("two words", [])
    print(f"| **one- and two-word** | {len(one_two)} | {pct(one_two, 50):.1f} | **{pct(one_two, 95):.1f}** | "
          f"{pct(one_two, 99):.1f} | | |")
    print(f"| all | {len(all_t)} | {pct(all_t, 50):.1f} | {pct(all_t, 95):.1f} | {pct(all_t, 99):.1f} | | |")
    if like:
        print(f"| naive LIKE scan, newest 20 + total (same first {len(like)} one/two-word queries) | {len(like)} | "
              f"{pct(like, 50):.1f} | {pct(like, 95):.1f} | {pct(like, 99):.1f} | | |")
    return pct(one_two, 95)


def jieba_speed(n=3000):
    """Real jieba segmentation of whole generated documents (what indexing pays per record)."""
    from types import SimpleNamespace

    from public_log.search import document_for
    rows = [rec for rec, _ in generate(n, seed=99)]
    t0 = time.perf_counter()
    for row in rows:
        document_for(SimpleNamespace(**row))
    return n / (time.perf_counter() - t0), statistics.mean(len(r["request_text"]) + len(r["reply_text"]) for r in rows)


def queries_only(url):
    """BENCH_QUERY_ONLY=<database URL>: run the query mix against a database kept from an earlier run."""
    from core.departments.seed_data import department_rows
    words, weights = vocabulary()
    mix = query_mix(random.Random(7), words, weights, [d["code"] for d in department_rows()], QUERIES)
    app = make_app(url)
    timings, hits, like, capped = run_queries(app, mix)
    report(url.split(":")[0], {"generate_s": 0, "load_s": 0, "index_s": 0, "sizes": {}}, timings, hits, like, capped)


def main():
    if os.environ.get("BENCH_QUERY_ONLY"):
        return queries_only(os.environ["BENCH_QUERY_ONLY"])
    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}, Python {platform.python_version()}")
    rate, chars = jieba_speed()
    print(f"jieba search-mode segmentation of whole documents: {rate:,.0f} records/s (mean {chars:.0f} chars) "
          f"→ {N / rate / 60:.1f} min for {N:,} records on one core")
    rng = random.Random(7)
    words, weights = vocabulary()
    from core.departments.seed_data import department_rows
    mix = query_mix(rng, words, weights, [d["code"] for d in department_rows()], QUERIES)
    results = {}
    with tempfile.TemporaryDirectory() as tmp, throwaway_database("bench_search") as pg_url:
        # BENCH_SQLITE_PATH keeps the SQLite database (like BENCH_KEEP for PostgreSQL) for a closer look
        urls = {"sqlite": f"sqlite:///{os.environ.get('BENCH_SQLITE_PATH') or tmp + '/search.db'}",
                "postgresql": pg_url}
        apps = {backend: make_app(urls[backend]) for backend in BACKENDS}
        built = load(apps)
        for backend, app in apps.items():
            results[backend] = report(backend, built[backend], *run_queries(app, mix))
            with app.app_context():
                from core.extensions import db
                db.engine.dispose()
    for backend, p95 in results.items():
        print(f"{backend}: one/two-word p95 {p95:.1f} ms — target <= 50 ms {'met' if p95 <= 50 else 'MISSED'}")


if __name__ == "__main__":
    main()
