"""Search of the public log at scale, all query classes, on SQLite FTS5 and on PostgreSQL, at 100,000 and
1,000,000 published records.

For each size and backend: load the records, build the index (and report its size and build time), run
1,000 mixed queries through the real search function (`public_log.search.search`, first page of 20 with
the total) and print p50/p95/p99 per class — one word, two words, quoted phrase, one word with a filter
(kind, department or half a year). In the same run, for the first BENCH_REF_QUERIES (10) queries of each
class, the references: a naive `LIKE '%…%'` scan of the records, and on PostgreSQL a `pg_trgm` GIN
index over the same text (the documents' normalised body; `CREATE EXTENSION pg_trgm` in the throw-away
database), each with its ratio to the search at p95. At the end: p95 per class at each size and the
growth ratio. Targets (issue 19): p95 <= 50 ms for every class, >= 30x the LIKE scan and >= 5x pg_trgm
at p95, p95 growing at most 2x for 10x the data.

Texts are built from the seed work plan's vocabulary (jieba words weighted by frequency), the 12345
catalogue and the departments' topic keywords. To keep generation within minutes, each word's index
tokens come from jieba once (cached) and a document's tokens are its words' tokens plus adjacent words
joined (as `index_tokens` does); jieba's own speed on whole documents is measured separately and
reported (that is what `flask log reindex` pays).

Run: `.venv/bin/python -u bench/bench_search.py`. Settings: BENCH_RECORDS=100000,1000000 (the sizes),
BENCH_QUERIES, BENCH_REF_QUERIES, BENCH_BACKENDS=sqlite,postgresql, BENCH_DATABASE_URL (the server's
admin database for the throw-away ones), BENCH_WARM_PASS (1: the whole mix runs once untimed first).
Keeping the builds (a 1,000,000-record build takes ~10 minutes per backend): BENCH_KEEP=1 keeps the
PostgreSQL databases (their names are printed) and BENCH_SQLITE_DIR=<dir> keeps the SQLite files
(<dir>/search_<n>.db); then BENCH_QUERY_ONLY=<url>[,<url>…] runs the mix (and the references, growth
and verdict) against them without rebuilding. Drop kept databases afterwards (DROP DATABASE …).
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

SIZES = [int(n) for n in os.environ.get("BENCH_RECORDS", "100000,1000000").split(",")]
N = max(SIZES)
QUERIES = int(os.environ.get("BENCH_QUERIES", 1000))
REF_QUERIES = int(os.environ.get("BENCH_REF_QUERIES", 10))
WARM_PASS = os.environ.get("BENCH_WARM_PASS", "1") == "1"
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
    from public_log.search import filter_tokens
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
               "filter_tokens": filter_tokens(record["kind"], record["department_id"], replied),
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


def trgm_scan(session, query, filters):
    """What a PostgreSQL user reaches for first: the same substrings, asked of a pg_trgm GIN index over
    the documents' text (normalised title, request and reply), newest first, with the total."""
    from public_log.models import PublicSearchDoc
    from public_log.segment import parse_query
    parsed = parse_query(query)
    words = parsed.phrases or [t.word for t in parsed.terms]
    stmt = sa.select(PublicSearchDoc.record_id).where(*(PublicSearchDoc.body.like(f"%{w}%") for w in words),
                                                      *filters.clauses(PublicSearchDoc))
    total = session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    ids = session.scalars(stmt.order_by(PublicSearchDoc.record_id.desc()).limit(20)).all()
    return total, ids


TRGM_DDL = ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX IF NOT EXISTS ix_bench_docs_body_trgm ON public_search_docs USING gin (body gin_trgm_ops)"]


def load(apps, n=None, trgm=False):
    """Load the same generated records into every backend (one generation pass), then build indexes
    (with `trgm`, on PostgreSQL also the pg_trgm reference index)."""
    n = n or N
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
                from public_log.search import PARTITION, partition_ddl
                with db.engine.begin() as c:
                    c.execute(sa.text("DROP INDEX ix_public_search_docs_tsv"))
                    for number in range(n // PARTITION + 1):  # what ensure_partitions does as records arrive
                        c.execute(sa.text(partition_ddl(number)))
        built[backend] = {"load_s": 0.0, "index_s": 0.0}
    t0 = time.perf_counter()
    records, docs = [], []
    for record, doc in generate(n):
        records.append(record)
        docs.append(doc)
        if len(records) == BATCH or record["id"] == n:
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
            t1 = time.perf_counter()
            with engine.begin() as c:
                for stmt in TRGM_DDL if trgm else ():
                    c.execute(sa.text(stmt))
            if trgm:
                built[backend]["trgm_s"] = time.perf_counter() - t1
            with engine.connect() as c:
                size = c.execute(sa.text("SELECT sum(pg_total_relation_size(relid)) "  # all partitions
                                         "FROM pg_partition_tree('public_search_docs')")).scalar_one()
                gin = c.execute(sa.text("SELECT sum(pg_relation_size(relid)) "
                                        "FROM pg_partition_tree('ix_public_search_docs_tsv')")).scalar_one()
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


def run_queries(app, mix, backend):
    """Time every query of the mix through the real search; then, for the first REF_QUERIES of each
    class, the same-run references: the naive LIKE scan and (PostgreSQL) the pg_trgm index."""
    from core.extensions import db
    from public_log import search
    out = {"timings": {}, "hits": {}, "capped": {}, "sample": {}}
    with app.app_context():
        # warm-up: the first 20 queries, or (BENCH_WARM_PASS=1, the default) the whole mix once untimed, so that
        # both backends are measured with their index in memory, as a running service has it (a first pass over
        # a database just opened measures the disk cache instead: printed with BENCH_WARM_PASS=0)
        for _cls, q, f in mix if WARM_PASS else mix[:20]:
            search.search(q, f)
        seen = Counter()
        for cls, q, f in mix:
            t0 = time.perf_counter()
            page = search.search(q, f)
            took = time.perf_counter() - t0
            out["timings"].setdefault(cls, []).append(took)
            out["hits"].setdefault(cls, []).append(page.total)
            out["capped"].setdefault(cls, []).append(page.capped)
            seen[cls] += 1
            if seen[cls] <= REF_QUERIES:
                out["sample"].setdefault(cls, []).append((q, f, took))
        out["like"], out["trgm"] = {}, {}
        for cls, sample in out["sample"].items():
            for q, f, _took in sample:
                t0 = time.perf_counter()
                like_scan(db.session, q, f)
                out["like"].setdefault(cls, []).append(time.perf_counter() - t0)
                if backend == "postgresql":
                    t0 = time.perf_counter()
                    trgm_scan(db.session, q, f)
                    out["trgm"].setdefault(cls, []).append(time.perf_counter() - t0)
        db.session.remove()
    return out


def make_app(url):
    from app import create_app
    from config import TestingConfig

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SEARCH_CACHE_SECONDS = 0  # the search itself is measured, never a cached answer
    return create_app(Cfg)


TARGET_CLASSES = ("one word", "two words", "phrase", "word + filter")


def report(backend, n, built, result):
    """Print the figures of one backend at one size; return the p95 per class (and 'all')."""
    mb = 1024 * 1024
    timings, hits, capped = result["timings"], result["hits"], result["capped"]
    print(f"\n## {backend}: {n:,} records")
    if built:
        print(f"generate (both backends, one pass) {built['generate_s']:.1f} s · load records {built['load_s']:.1f} s · "
              f"build index {built['index_s']:.1f} s" + (f" · pg_trgm reference index {built['trgm_s']:.1f} s"
                                                          if "trgm_s" in built else ""))
        for k, v in built["sizes"].items():
            print(f"size {k}: {v / mb:,.0f} MB")
    print(f"| queries | n | p50 ms | p95 ms | p99 ms | median matches (capped at {WINDOW_TEXT}) | more than the window |")
    print("|---|---|---|---|---|---|---|")
    p95, all_t = {}, []
    for cls, values in timings.items():
        all_t += values
        p95[cls] = pct(values, 95)
        print(f"| {cls} | {len(values)} | {pct(values, 50):.1f} | {p95[cls]:.1f} | {pct(values, 99):.1f} | "
              f"{statistics.median(hits[cls]):,.0f} | {sum(capped[cls]) / len(values):.0%} |")
    p95["all"] = pct(all_t, 95)
    print(f"| all | {len(all_t)} | {pct(all_t, 50):.1f} | {p95['all']:.1f} | {pct(all_t, 99):.1f} | | |")
    refs = [("naive LIKE scan", result["like"])] + ([("pg_trgm GIN index", result["trgm"])] if result["trgm"] else [])
    print(f"\nSame run, the first {REF_QUERIES} queries of each class (p50 / p95 ms; ratio = reference p95 / search p95):")
    print("| queries | search | " + " | ".join(f"{name} | ratio" for name, _ in refs) + " |")
    print("|---|---|" + "---|---|" * len(refs))
    ratios = {}
    rows = [(cls, [t for _q, _f, t in result["sample"][cls]], {name: ref[cls] for name, ref in refs})
            for cls in result["sample"]]
    rows.append(("all sampled", sum((r[1] for r in rows), []), {name: sum((r[2][name] for r in rows), [])
                                                                  for name, _ in refs}))
    for cls, ours, theirs in rows:
        cells = []
        for name, _ in refs:
            ratios[(cls, name)] = pct(theirs[name], 95) / pct(ours, 95)
            cells.append(f"{pct(theirs[name], 50):,.1f} / {pct(theirs[name], 95):,.1f} | {ratios[(cls, name)]:,.0f}×")
        print(f"| {cls} | {pct(ours, 50):.1f} / {pct(ours, 95):.1f} | " + " | ".join(cells) + " |")
    return p95, ratios


def growth(results):
    """p95 per class at each size, and how much it grew from the smallest to the largest size."""
    for backend, by_size in results.items():
        sizes = sorted(by_size)
        if len(sizes) < 2:
            continue
        print(f"\n## growth, {backend}: p95 ms at " + ", ".join(f"{n:,}" for n in sizes) + " records (target ≤ 2×)")
        print("| queries | " + " | ".join(f"{n:,}" for n in sizes) + f" | {sizes[-1] // sizes[0]}× the data |")
        print("|---|" + "---|" * (len(sizes) + 1))
        for cls in (*TARGET_CLASSES, "all"):
            values = [by_size[n][0][cls] for n in sizes]
            print(f"| {cls} | " + " | ".join(f"{v:.1f}" for v in values) + f" | {values[-1] / values[0]:.2f}× |")


def verdict(results):
    for backend, by_size in results.items():
        n = max(by_size)
        p95, ratios = by_size[n]
        checks = [f"{cls} p95 {p95[cls]:.1f} ms {'met' if p95[cls] <= 50 else 'MISSED'}" for cls in TARGET_CLASSES]
        checks += [f"{name} ×{r:,.0f} {'met' if r >= (30 if 'LIKE' in name else 5) else 'MISSED'}"
                   for (cls, name), r in ratios.items() if cls == "all sampled"]
        if len(by_size) > 1:
            g = p95["all"] / by_size[min(by_size)][0]["all"]
            checks.append(f"growth of the whole mix's p95 {g:.2f}× {'met' if g <= 2 else 'MISSED'}")
        print(f"{backend} at {n:,} records: " + " · ".join(checks))


def jieba_speed(n=3000):
    """Real jieba segmentation of whole generated documents (what indexing pays per record)."""
    from types import SimpleNamespace

    from public_log.search import document_for
    rows = [rec for rec, _ in generate(n, seed=99)]
    t0 = time.perf_counter()
    for row in rows:
        document_for(SimpleNamespace(**row))
    return n / (time.perf_counter() - t0), statistics.mean(len(r["request_text"]) + len(r["reply_text"]) for r in rows)


def mix_for():
    from core.departments.seed_data import department_rows
    words, weights = vocabulary()
    return query_mix(random.Random(7), words, weights, [d["code"] for d in department_rows()], QUERIES)


def queries_only(urls):
    """BENCH_QUERY_ONLY=<url>[,<url>…]: run the mix against databases kept from earlier runs (their size
    read from them; several sizes of one backend give the growth)."""
    mix, results = mix_for(), {}
    for url in urls:
        backend = "postgresql" if url.startswith("postgresql") else "sqlite"
        app = make_app(url)
        with app.app_context():
            from core.extensions import db
            if backend == "postgresql":
                with db.engine.begin() as c:
                    for stmt in TRGM_DDL:
                        c.execute(sa.text(stmt))
            n = db.session.execute(sa.text("SELECT count(*) FROM public_search_docs")).scalar_one()
            db.session.remove()
        results.setdefault(backend, {})[n] = report(backend, n, None, run_queries(app, mix, backend))
        with app.app_context():
            db.engine.dispose()
    growth(results)
    verdict(results)


def main():
    if os.environ.get("BENCH_QUERY_ONLY"):
        return queries_only(os.environ["BENCH_QUERY_ONLY"].split(","))
    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}, Python {platform.python_version()}")
    rate, chars = jieba_speed()
    print(f"jieba search-mode segmentation of whole documents: {rate:,.0f} records/s (mean {chars:.0f} chars) "
          f"→ {max(SIZES) / rate / 60:.1f} min for {max(SIZES):,} records on one core")
    mix, results = mix_for(), {}
    keep_dir = os.environ.get("BENCH_SQLITE_DIR")
    for n in SIZES:
        with tempfile.TemporaryDirectory() as tmp, throwaway_database(f"bench_search_{n}") as pg_url:
            urls = {"sqlite": f"sqlite:///{keep_dir or tmp}/search_{n}.db", "postgresql": pg_url}
            apps = {backend: make_app(urls[backend]) for backend in BACKENDS}
            built = load(apps, n, trgm=True)
            for backend, app in apps.items():
                results.setdefault(backend, {})[n] = report(backend, n, built[backend], run_queries(app, mix, backend))
                with app.app_context():
                    from core.extensions import db
                    db.engine.dispose()
            if keep_dir and "sqlite" in apps:
                print(f"kept {urls['sqlite']}")
    growth(results)
    verdict(results)


if __name__ == "__main__":
    main()
