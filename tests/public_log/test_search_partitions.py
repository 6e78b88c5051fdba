"""PostgreSQL keeps the search documents in partitions of record-id ranges (public_log.search.PARTITION) and
walks them newest first (PostgresTsvector.walk): partitions are made as records arrive, the newest matches
come back across partitions, and the older partitions are not read once the newer ones hold the window."""
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from public_log import indexing, search
from public_log.models import PublicRecord
from tests.conftest import at
from tests.public_log.helpers import publish


@pytest.fixture
def pg(seeded):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the partitions are PostgreSQL's (SQLite's FTS5 walks its rowids backwards itself)")
    jump_ids_to(1)  # earlier tests moved the sequence on


def jump_ids_to(first_id):
    """The next record gets id `first_id` (as if that many records had been published before)."""
    db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('public_records', 'id'), :v, false)"),
                       {"v": first_id})
    db.session.commit()


def partition_of(record_id):
    return db.session.execute(sa.text("SELECT tableoid::regclass::text FROM public_search_docs "
                                      "WHERE record_id = :id"), {"id": record_id}).scalar()


def partitions_read(query):
    """Search `query`; then run the search's own statement again under EXPLAIN ANALYZE and say, for each
    partition it names, whether it was read (how often its scans ran)."""
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "UNION ALL" in statement or "walked" in statement:
            statements.append((statement, parameters))
    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page = search.search(query)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert len(statements) == 1, "the walk is one statement"
    statement, parameters = statements[0]
    plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    loops = {}

    def visit(node):
        if node.get("Relation Name", "").startswith(search.PARTITION_PREFIX):
            name = node["Relation Name"]
            loops[name] = loops.get(name, 0) + node["Actual Loops"]
        for child in node.get("Plans", []):
            visit(child)
    visit(plan[0]["Plan"])
    db.session.rollback()
    return page, {int(name.removeprefix(search.PARTITION_PREFIX)): n > 0 for name, n in loops.items()}


def test_documents_land_in_partitions_made_as_they_arrive(pg):
    first = publish("噪声扰民", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, 1)).id
    jump_ids_to(2 * search.PARTITION + 7)
    third = publish("噪声扰民", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, 2)).id
    assert (partition_of(first), partition_of(third)) == (f"{search.PARTITION_PREFIX}0",
                                                                f"{search.PARTITION_PREFIX}2")
    made = db.session.execute(sa.text("SELECT relid::text FROM pg_partition_tree('public_search_docs') "
                                      "WHERE isleaf")).scalars().all()
    assert f"{search.PARTITION_PREFIX}1" not in made  # only the partitions records need
    # the full rebuild makes the partitions it needs too (here: after the index was emptied by hand)
    db.session.execute(sa.text(f"DROP TABLE {search.PARTITION_PREFIX}2"))
    db.session.commit()
    assert indexing.rebuild(at(2026, 11, 20, 9)) == 2
    assert partition_of(third) == f"{search.PARTITION_PREFIX}2"
    assert search.search("噪声").ids == [third, first]


def test_newest_matches_come_back_across_partitions_and_older_ones_are_not_read(pg, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 3)
    old = [publish(f"噪声{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 9, day)) for day in (1, 2)]
    jump_ids_to(search.PARTITION + 1)
    middle = [publish(f"噪声{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day)) for day in (1, 2)]
    jump_ids_to(3 * search.PARTITION + 1)
    new = [publish(f"噪声{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 11, day)) for day in (1, 2)]
    publish("道路积水", "积水", "已疏通。", replied_on=date(2026, 11, 3))
    # 噪声 is not among the newest STEPS[0] ids' neighbours only: the search walks the partitions
    monkeypatch.setattr(search, "STEPS", (1, 2))
    page, read = partitions_read("噪声")
    # the newest three matches, ranked (equal relevance: newest first); one more match exists: capped
    assert page.ids == [new[1].id, new[0].id, middle[1].id] and page.capped and page.total == 3
    # the newest partitions were read; the oldest one was not: the window was full before it
    assert read == {3: True, 2: True, 1: True, 0: False}
    # a word only the oldest partition holds is found by walking all of them
    db.session.execute(sa.text("UPDATE public_search_docs SET title_tokens = '银杏' WHERE record_id = :id"),
                       {"id": old[0].id})
    db.session.commit()
    page, read = partitions_read("银杏")
    assert page.ids == [old[0].id] and read == {3: True, 2: True, 1: True, 0: True}


def test_sessions_making_the_same_partition_at_once_both_index(pg, app):
    """Two index jobs for the first two records of a new partition, at the same moment: one makes the
    partition, the other waits for it; both documents are indexed."""
    jump_ids_to(5 * search.PARTITION)
    records = []
    for n in range(2):
        from tests.public_log.helpers import queue
        records.append(queue(f"噪声{n}", "夜间施工噪声", "已责令停工。"))
    db.session.execute(sa.text("UPDATE public_records SET status = 'published', published_at = :t WHERE id IN (:a, :b)"),
                       {"a": records[0].id, "b": records[1].id, "t": at(2026, 11, 20, 9)})
    db.session.commit()
    ids = [r.id for r in records]
    barrier, errors = threading.Barrier(2), []

    def index(record_id):
        with app.app_context():
            try:
                barrier.wait()
                indexing.index_job(record_id, now=at(2026, 11, 20, 9))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=index, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert {partition_of(i) for i in ids} == {f"{search.PARTITION_PREFIX}5"}
    assert sorted(search.search("噪声").ids) == sorted(ids)
    assert db.session.get(PublicRecord, ids[0]).status == "published"


def test_words_are_asked_at_any_weight_unless_they_could_be_a_filter_lexeme():
    """Without weights the GIN index alone proves a match (no row is read to check weights); a word that
    begins like the filter and bucket lexemes keeps the text's weights, so it never matches a filter."""
    from public_log.segment import parse_query
    assert search.word_weights(parse_query("低保 申请")) == ""
    assert search.word_weights(parse_query("低保 zqd12")) == ":ABC"
    assert search.word_weights(parse_query(f"{search.BUCKET_PREFIX}3")) == ":ABC"


def test_the_rank_fragment_takes_word_characters_only():
    """The rank is written out as SQL (search.rank_sql); a lexeme that is not word characters never reaches it."""
    from public_log.segment import Term
    assert "'''低保'':A'" in search.rank_sql([Term("低保")], "limited.tsv")
    with pytest.raises(search.SearchError):
        search.rank_sql([Term("低保'); DROP TABLE users; --")], "limited.tsv")
