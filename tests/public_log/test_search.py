"""Chinese full-text search of the public log; every test runs on SQLite FTS5 and PostgreSQL tsvector."""
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from public_log import indexing, search
from public_log.models import PublicRecord, PublicSearchDoc
from public_log.queries import Filters
from public_log.segment import parse_query
from tests.conftest import at
from tests.public_log.helpers import publish


def titles(q, filters=None, **kw):
    page = search.search(q, filters, **kw)
    return [db.session.get(PublicRecord, i).title for i in page.ids]


@pytest.fixture
def corpus(seeded):
    publish("低保申请条件", "咨询最低生活保障的申请条件", "低保向户籍所在镇街申请，需提供收入证明。",
            replied_on=date(2026, 10, 9))
    publish("扶贫资金使用情况", "申请公开2025年扶贫资金使用明细", "扶贫资金明细见附件。", kind="disclosure",
            type_code="disclosed", category=None, dept="czj", replied_on=date(2026, 10, 12))
    publish("城市低保户补助标准", "询问城市低保户每月补助", "城市低保标准为每人每月900元。", replied_on=date(2026, 11, 3))
    publish("道路积水", "解放路下雨积水严重", "已安排市政养护单位疏通。", dept="zjj", type_code="complaint",
            category="040101", replied_on=date(2026, 11, 5))
    publish("老旧小区改造", "小区改造资金何时到位", "改造资金已纳入年度计划，扶贫项目不涉及。", dept="zjj",
            replied_on=date(2026, 11, 6))


def test_two_character_words(corpus):
    assert set(titles("低保")) == {"低保申请条件", "城市低保户补助标准"}
    assert set(titles("扶贫")) == {"扶贫资金使用情况", "老旧小区改造"}


def test_words_inside_longer_compounds(corpus):
    # 低保户 is one word in the text; the index also holds 低保 inside it
    assert "城市低保户补助标准" in titles("低保")
    # 生活保障 is matched by its inner words in 最低生活保障
    assert titles("生活保障") == ["低保申请条件"]
    publish("城乡居民养老保险缴费", "咨询养老保险缴费档次", "缴费档次分为十二档。")
    assert titles("养老") == ["城乡居民养老保险缴费"] == titles("保险") == titles("养老保险")


def test_and_by_default_and_phrases(corpus):
    assert titles("扶贫 资金") == ["扶贫资金使用情况", "老旧小区改造"]
    assert titles("扶贫资金") == ["扶贫资金使用情况", "老旧小区改造"]  # segmented into 扶贫 + 资金, AND-ed
    assert titles('"扶贫资金"') == ["扶贫资金使用情况"]  # the exact phrase only
    assert titles("低保 积水") == []


def test_filters_combined_with_queries(corpus):
    assert titles("扶贫", Filters(kind="disclosure")) == ["扶贫资金使用情况"]
    assert titles("扶贫", Filters(department="zjj")) == ["老旧小区改造"]
    assert titles("低保", Filters(date_from=date(2026, 11, 1))) == ["城市低保户补助标准"]
    assert titles("低保", Filters(date_to=date(2026, 10, 31))) == ["低保申请条件"]
    assert titles("积水", Filters(type_code="complaint", category="040101")) == ["道路积水"]
    assert titles("积水", Filters(type_code="inquiry")) == []


def test_ranking_title_first_then_recency(seeded):
    publish("物业费问题", "询问物业费", "物业回复：按合同收取。", replied_on=date(2026, 9, 1))
    publish("电梯维修", "电梯坏了", "已联系物业维修。", replied_on=date(2026, 9, 2))
    publish("电梯维修", "电梯坏了", "已联系物业维修。", replied_on=date(2026, 9, 3))
    ranked = search.search("物业")
    records = [db.session.get(PublicRecord, i) for i in ranked.ids]
    assert records[0].title == "物业费问题"  # in title, request and reply
    # the other two score the same: the newer first
    assert [r.replied_on.day for r in records[1:]] == [3, 2]


def test_ranking_sums_where_each_word_is(seeded):
    # per word where it is most prominent: title 10, request 4, reply 1; ties newest first
    both_in_reply = publish("来电咨询", "咨询", "噪声来自施工工地。", replied_on=date(2026, 9, 4))
    title_and_reply = publish("噪声投诉", "夜间扰民", "施工单位已整改。", replied_on=date(2026, 9, 3))
    request_both = publish("来电反映", "施工噪声", "已转交。", replied_on=date(2026, 9, 2))
    both_in_title = publish("施工噪声", "夜间扰民", "已转交。", replied_on=date(2026, 9, 1))
    assert search.search("噪声 施工").ids == [both_in_title.id, title_and_reply.id, request_both.id,
                                            both_in_reply.id]  # 20, 11, 8, 2


def test_next_span_follows_the_density_found():
    # 500 matches among the newest 10,000 ids: 1,001 more need about 20,000 ids, with a margin 30,030
    assert search.next_span(500, 10_000, 1001) == 30_030
    assert search.next_span(0, 10_000, 1001) is None  # none recent: the whole index (few matches to read)
    assert search.next_span(20, 10_000, 1001) is None  # sparse: past STEPS[1], the whole index


def test_postgres_documents_hold_their_id_bucket(seeded):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the bucket lexemes are PostgreSQL's (SQLite walks FTS5 rowids instead)")
    record = publish("低保申请条件", "咨询低保", "向镇街申请。")
    bucket = f"{search.BUCKET_PREFIX}{record.id // search.BUCKET}"
    for expr in (bucket, f"{bucket} & 低保"):
        assert db.session.execute(sa.text("SELECT count(*) FROM public_search_docs WHERE record_id = :id AND "
                                          "tsv @@ to_tsquery('simple', :q)"), {"id": record.id, "q": expr}).scalar() == 1
    other = f"{search.BUCKET_PREFIX}{record.id // search.BUCKET + 1}"
    assert db.session.execute(sa.text("SELECT count(*) FROM public_search_docs WHERE "
                                      "tsv @@ to_tsquery('simple', :q)"), {"q": other}).scalar() == 0
    # the bucket lexeme is never ranked and never found by a word query
    assert search.search(bucket).ids == []


def test_pagination_and_total(seeded):
    for day in range(1, 8):
        publish(f"噪声扰民{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day))
    first = search.search("噪声", page=1, per_page=3)
    third = search.search("噪声", page=3, per_page=3)
    assert first.total == 7 and len(first.ids) == 3 and len(third.ids) == 1
    assert not set(first.ids) & set(third.ids)


def test_full_width_digits_and_case_are_normalised(seeded):
    publish("２０２５年ＰＭ２.５监测数据", "请公开监测数据", "数据见附件。")
    assert titles("2025年") and titles("pm2")


def test_withdrawn_and_unpublished_records_leave_the_index(corpus):
    from public_log import review
    from tests.public_log.helpers import reviewer
    record = PublicRecord.query.filter_by(title="道路积水").one()
    review.withdraw(record, reason="含有不应公开的内容", now=at(2026, 11, 20, 9), actor=reviewer())
    assert titles("积水") == []
    assert db.session.get(PublicSearchDoc, record.id) is None


def test_correction_is_reindexed(corpus):
    from public_log import review
    from tests.public_log.helpers import reviewer
    record = PublicRecord.query.filter_by(title="道路积水").one()
    review.correct(record, reply_text="已安排排水公司疏通管网。", note="答复单位更正", now=at(2026, 11, 20, 9),
                   actor=reviewer())
    assert titles("排水") == ["道路积水"] and titles("养护") == []


def test_catch_up_indexes_what_a_lost_job_left_out_and_rebuild(corpus):
    db.session.execute(sa.delete(PublicSearchDoc))
    db.session.commit()
    assert titles("低保") == []
    assert indexing.search_catch_up(at(2026, 11, 20, 9)) == 5
    assert set(titles("低保")) == {"低保申请条件", "城市低保户补助标准"}
    assert indexing.search_catch_up(at(2026, 11, 20, 9, 1)) == 0
    assert indexing.rebuild(at(2026, 11, 20, 9, 2), batch=2) == 5
    assert set(titles("扶贫")) == {"扶贫资金使用情况", "老旧小区改造"}


def test_only_masked_text_is_indexed(seeded):
    publish("张三反映噪声", "张三，电话13812345678，身份证320902198001011231", "张三您好：已处理。",
            names=["张三"], phones=["13812345678"])
    row = db.session.execute(sa.select(PublicSearchDoc)).scalar_one()
    stored = " ".join((row.title_tokens, row.request_tokens, row.reply_tokens, row.body))
    for secret in ("张三", "13812345678", "320902198001011231"):
        assert secret not in stored
    assert titles("13812345678") == [] and titles("张三") == []


def test_index_tokens_hold_inner_words_and_adjacent_pairs():
    from public_log.segment import index_tokens
    tokens = index_tokens("城市低保户，扶贫资金使用").split()
    assert {"低保", "低保户", "扶贫", "资金", "扶贫资金", "资金使用"} <= set(tokens)
    assert "低保户扶贫" not in tokens  # no pair across punctuation


def test_query_parsing():
    parsed = parse_query('“扶贫资金”  低保户')
    assert parsed.phrases == ["扶贫资金"]
    # the phrase's words, the other word, and the phrase's adjacent words joined (indexed as pairs)
    assert [t.word for t in parsed.terms] == ["扶贫", "资金", "低保户", "扶贫资金"]
    assert parsed.terms[-1].parts == ()
    assert parse_query("养老保险").terms[0].parts == ("养老", "保险")
    assert parse_query("保障金").terms[0].parts == ()  # 保障 alone does not cover 保障金
    assert parse_query('"未闭合 引号').problem
    assert parse_query("，。！").empty


def test_broad_queries_rank_the_newest_window(seeded, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 3)
    for day in range(1, 6):
        publish(f"噪声{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day))
    page = search.search("噪声")
    assert page.capped and page.total == 3
    assert [db.session.get(PublicRecord, i).replied_on.day for i in page.ids] == [5, 4, 3]
    assert search.count("噪声") == 4  # "more than 3"



def test_search_widens_its_range_until_the_window_is_full(seeded, monkeypatch):
    monkeypatch.setattr(search, "STEPS", (2, 3))
    monkeypatch.setattr(search, "WINDOW", 2)
    old = publish("噪声扰民", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, 1))
    for day in (2, 3, 4):
        publish(f"道路积水{day}", "积水", "已疏通。", replied_on=date(2026, 10, day))
    # the newest two records hold no 噪声: the search goes further back (PostgreSQL steps) and finds the old one
    assert search.search("噪声").ids == [old.id]
    page = search.search("积水")
    assert page.capped and len(page.ids) == 2


def test_documents_hold_their_filters_as_lexemes_no_word_matches(corpus):
    record = PublicRecord.query.filter_by(title="扶贫资金使用情况").one()
    doc = db.session.get(PublicSearchDoc, record.id)
    assert doc.filter_tokens.split() == ["zqkdisclosure", f"zqd{record.department_id}", "zqm202610"]
    # a user typing a filter lexeme (or a bucket's) finds nothing: words are looked for in the text only
    for lexeme in (*doc.filter_tokens.split(), f"{search.BUCKET_PREFIX}0"):
        assert search.search(lexeme).ids == [] and search.count(lexeme) == 0
    # a text holding such a string is found by the word, and never by the filter it spells
    spoof = publish(f"来电反映 zqd{record.department_id}", "zqkdisclosure", "扶贫 zqm202610",
                    replied_on=date(2026, 11, 9))
    assert search.search(f"zqd{record.department_id}").ids == [spoof.id]
    assert titles("扶贫", Filters(kind="disclosure")) == ["扶贫资金使用情况"]
    assert titles("扶贫", Filters(department="czj")) == ["扶贫资金使用情况"]
    assert "来电反映" not in " ".join(titles("扶贫", Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))))


def test_bounded_date_ranges_decide_to_the_day(corpus):
    # the month lexemes narrow; the date clauses decide within the month
    assert titles("低保", Filters(date_from=date(2026, 10, 10), date_to=date(2026, 11, 2))) == []
    assert titles("低保", Filters(date_from=date(2026, 10, 9), date_to=date(2026, 11, 3))) == [
        "城市低保户补助标准", "低保申请条件"]
    assert titles("扶贫", Filters(date_from=date(2026, 11, 6), date_to=date(2026, 11, 6))) == ["老旧小区改造"]
    assert titles("扶贫", Filters(kind="hotline", department="zjj", date_from=date(2025, 1, 1),
                                date_to=date(2026, 12, 31))) == ["老旧小区改造"]
    assert titles("扶贫", Filters(date_from=date(2020, 1, 1), date_to=date(2026, 12, 31))) == [
        "扶贫资金使用情况", "老旧小区改造"]  # past MAX_MONTHS: no month lexemes, the same answer


def test_months_between_a_bounded_range():
    assert search.months_between(Filters(date_from=date(2025, 11, 20), date_to=date(2026, 2, 1))) == [
        "202511", "202512", "202601", "202602"]
    assert search.months_between(Filters(date_from=date(2026, 1, 1))) == []  # open range: no narrowing
    assert search.months_between(Filters(date_from=date(2024, 1, 1), date_to=date(2025, 12, 31))) == [
        f"{y}{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    assert search.months_between(Filters(date_from=date(2024, 1, 1), date_to=date(2026, 1, 1))) == []


def test_a_date_range_search_starts_from_the_ranges_newest_record(seeded, monkeypatch):
    monkeypatch.setattr(search, "STEPS", (2, 3))
    monkeypatch.setattr(search, "WINDOW", 2)
    october = [publish(f"噪声扰民{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day))
               for day in (1, 2, 3)]
    for day in (2, 3, 4, 5):
        publish(f"噪声投诉{day}", "施工噪声", "已处理。", replied_on=date(2026, 11, day))
    page = search.search("噪声", Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)))
    assert page.capped and set(page.ids) == {october[2].id, october[1].id}
    if db.engine.dialect.name == "postgresql":
        assert search.PostgresTsvector().newest_id(Filters(date_from=date(2026, 10, 1),
                                                           date_to=date(2026, 10, 31))) == october[2].id
        assert search.PostgresTsvector().newest_id(Filters(date_from=date(2026, 9, 1),
                                                           date_to=date(2026, 9, 30))) == 0
    assert search.search("噪声", Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))).ids == []


def test_migration_fills_the_filter_lexemes_as_the_index_does(corpus):
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "migrations/versions/0037_search_filter_lexemes.py"
    spec = importlib.util.spec_from_file_location("m0037", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    PublicRecord.query.filter_by(title="道路积水").one().department_id = None
    db.session.commit()
    indexing.rebuild(at(2026, 11, 20, 9))
    expected = dict(db.session.execute(sa.select(PublicSearchDoc.record_id, PublicSearchDoc.filter_tokens)).all())
    assert any("zqd" not in tokens for tokens in expected.values())
    db.session.execute(sa.update(PublicSearchDoc).values(filter_tokens=""))
    db.session.execute(sa.text(migration._FILL.format(month=migration._MONTH[db.engine.dialect.name])))
    assert dict(db.session.execute(sa.select(PublicSearchDoc.record_id, PublicSearchDoc.filter_tokens)).all()) == expected
    db.session.rollback()


def test_two_word_chinese_phrases_are_proved_by_the_index_others_by_the_text(corpus):
    assert parse_query('"扶贫资金"').text_checks == []  # the pair token 扶贫资金 is a substring of its text
    assert parse_query('"资金使用情况"').text_checks == ["资金使用情况"]  # pairs 资金使用 + 使用情况: anywhere
    assert parse_query('"扶贫 资金"').text_checks == ["扶贫 资金"]  # the space is not indexed
    apart = publish("资金公示", "资金使用已公示", "使用情况良好，扶贫 资金另行公布。", replied_on=date(2026, 11, 7))
    assert titles('"扶贫资金"') == ["扶贫资金使用情况"]
    assert titles('"资金使用情况"') == ["扶贫资金使用情况"]  # both pairs are in `apart` too, the phrase is not
    assert search.search("资金使用 使用情况").ids[-1] == apart.id
    assert titles('"改造资金"') == ["老旧小区改造"] and titles('"资金改造"') == []


def test_a_phrase_is_asked_of_the_index_by_its_pair_tokens_only():
    """A pair token is indexed only where both of its words are, so the phrase's words are not asked for as
    well (an everyday word's posting list is long); relevance is still scored over every word."""
    parsed = parse_query('低保 "扶贫 资金"')
    assert [t.word for t in parsed.terms] == ["低保", "扶贫", "资金", "扶贫资金"]
    assert [t.word for t in parsed.match_terms] == ["低保", "扶贫资金"]
    assert [t.word for t in parse_query("扶贫 资金").match_terms] == ["扶贫", "资金"]  # no phrase: every word
