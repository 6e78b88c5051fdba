"""Public search results are kept for SEARCH_CACHE_SECONDS (core/ttl_cache.py) — in each web process, or in
Redis for all of them when REDIS_URL is set: a query many citizens ask is searched once; a withdrawn record
never shows, whatever the cache holds; a new publication shows once the entry has expired; Redis failing
never fails a search. Runs on SQLite and PostgreSQL, and on the real test Redis."""
import socket
from datetime import date

import pytest

from core.extensions import db
from core.ttl_cache import RedisTTLCache, TTLCache
from public_log import review, search
from public_log.queries import Filters
from tests.conftest import at
from tests.public_log.helpers import publish, reviewer


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_entries_expire_and_the_oldest_go_first():
    clock = Clock()
    cache = TTLCache(60, size=2, clock=clock)
    cache.put("a", 1)
    clock.t += 59.9
    assert cache.get("a") == 1
    clock.t += 0.1
    assert cache.get("a") is None
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)


def test_a_cache_of_zero_seconds_keeps_nothing():
    cache = TTLCache(0)
    cache.put("a", 1)
    assert cache.get("a") is None


@pytest.fixture
def cached(app):
    """The app's search cache switched on with a clock the test sets."""
    clock = Clock()
    app.extensions[search.CACHE_KEY] = TTLCache(60, clock=clock)
    yield clock
    app.extensions.pop(search.CACHE_KEY)


def ids(client, q):
    body = client.get("/api/v1/log", query_string={"q": q}).get_json()
    return [item["public_id"] for item in body["items"]], body["total"]


def test_repeated_search_is_answered_from_the_cache(client, seeded, cached):
    first = publish("低保申请条件", "咨询低保", "向镇街申请。", replied_on=date(2026, 11, 2))
    before = ids(client, "低保")
    assert before == ([first.public_id], 1)
    # published after the search was cached: not yet found (within the cache's minute) ...
    second = publish("城市低保标准", "询问低保标准", "每人每月900元。", replied_on=date(2026, 11, 3))
    cached.t += 59
    assert ids(client, "低保") == before
    # ... and found once the entry expired
    cached.t += 1
    assert ids(client, "低保") == ([second.public_id, first.public_id], 2)  # same rank: the newer first


def test_a_withdrawn_record_never_shows_from_the_cache(client, seeded, cached):
    record = publish("低保申请条件", "咨询低保", "向镇街申请。")
    assert ids(client, "低保")[0] == [record.public_id]
    assert "申请条件" in client.get("/log/?q=低保").get_data(as_text=True)
    review.withdraw(record, reason="误发", now=at(2026, 11, 20, 9), actor=reviewer())
    db.session.expire_all()
    assert ids(client, "低保")[0] == []
    assert "申请条件" not in client.get("/log/?q=低保").get_data(as_text=True)


def test_filters_and_pages_are_cached_apart(client, seeded, cached):
    publish("低保申请条件", "咨询低保", "向镇街申请。", dept="mzj")
    publish("低保资金", "低保资金发放", "已发放。", dept="czj", kind="disclosure", type_code="disclosed", category=None)
    assert search.search("低保", Filters(department="mzj")).total == 1
    assert search.search("低保", Filters()).total == 2
    assert search.search("低保", Filters(), page=2, per_page=1).total == 2
    assert len(search.search("低保", Filters(), page=2, per_page=1).ids) == 1
    assert search.search("低保", Filters(department="czj")).total == 1
    past_the_end = search.search("低保", Filters(), page=5, per_page=1)  # counted even when the page is empty
    assert (past_the_end.ids, past_the_end.total) == ([], 2)


def test_redis_cache_keeps_values_for_its_time_only(redis_url):
    from redis import Redis
    cache = RedisTTLCache(redis_url, 60, "gk:test:")
    cache.put(("低保", None, 1, 20), {"ids": [3, 1], "total": 2})
    assert cache.get(("低保", None, 1, 20)) == {"ids": [3, 1], "total": 2}
    assert cache.get(("低保", None, 2, 20)) is None
    ttl = Redis.from_url(redis_url).pttl(cache._key(("低保", None, 1, 20)))
    assert 59_000 < ttl <= 60_000  # Redis expires it


def test_redis_down_answers_a_miss_and_is_left_alone_for_a_while():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clock = Clock()
    cache = RedisTTLCache(f"redis://127.0.0.1:{port}/0", 60, "gk:test:", clock=clock)
    cache.put("k", {"ids": []})  # no error
    assert cache.get("k") is None
    assert cache._down_until == clock.t + 30
    cache.redis = None  # while it is down, Redis is not asked at all
    assert cache.get("k") is None
    cache.put("k", {"ids": []})


def test_processes_share_the_results_through_redis(app, client, seeded, redis_url, monkeypatch):
    from redis import Redis
    monkeypatch.setitem(app.config, "SEARCH_CACHE_SECONDS", 60)
    app.extensions.pop(search.CACHE_KEY, None)
    # published without REDIS_URL, so that the index jobs run in this process (a worker would run them)
    first = publish("低保申请条件", "咨询低保", "向镇街申请。", replied_on=date(2026, 11, 2))
    try:
        with monkeypatch.context() as m:
            m.setitem(app.config, "REDIS_URL", redis_url)
            assert isinstance(search.results_cache(), RedisTTLCache)
            assert ids(client, "低保") == ([first.public_id], 1)
        publish("城市低保标准", "询问低保标准", "每人每月900元。", replied_on=date(2026, 11, 3))
        with monkeypatch.context() as m:
            m.setitem(app.config, "REDIS_URL", redis_url)
            app.extensions.pop(search.CACHE_KEY)  # another web process: a cache object of its own ...
            assert ids(client, "低保") == ([first.public_id], 1)  # ... answered from the shared entry in Redis
            keys = Redis.from_url(redis_url).keys("gk:search:*")
            assert len(keys) == 1
            Redis.from_url(redis_url).delete(*keys)  # expired
            assert ids(client, "低保")[1] == 2
    finally:
        app.extensions.pop(search.CACHE_KEY, None)


@pytest.mark.parametrize("garbage", [b"\xff\x00not json", b"[1, 2]", b'{"ids": ["1 OR 1=1"], "total": 1}',
                                     b'{"ids": [1], "total": "many", "backend": "x", "capped": false}',
                                     b'{"ids": [99999999999999999999999], "total": 1, "backend": "x", "capped": 0}'])
def test_garbage_in_redis_is_a_miss(app, client, seeded, redis_url, monkeypatch, garbage):
    """Whatever the shared Redis holds under a search's key (another version's entry, a damaged value), the
    search is answered from the database."""
    from redis import Redis
    monkeypatch.setitem(app.config, "SEARCH_CACHE_SECONDS", 60)
    app.extensions.pop(search.CACHE_KEY, None)
    record = publish("低保申请条件", "咨询低保", "向镇街申请。")
    try:
        with monkeypatch.context() as m:
            m.setitem(app.config, "REDIS_URL", redis_url)
            cache = search.results_cache()
            Redis.from_url(redis_url).set(cache._key(("低保", Filters().cache_key(), 1, 20)), garbage)
            assert ids(client, "低保") == ([record.public_id], 1)
            assert client.get("/log/?q=低保").status_code == 200
    finally:
        app.extensions.pop(search.CACHE_KEY, None)
