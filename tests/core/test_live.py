"""core/live.py: the Server-Sent Events stream gets what is published on its channels and nothing else, beats
while nothing comes, ends after its lifetime, gives back its place, refuses beyond the process's cap — in-process
and through the real Redis (TEST_REDIS_URL); publishing never raises, with Redis down or not."""
import json
import uuid

import pytest

from core import live

LOCAL = ""  # redis_url for the in-process broker


def _channel(name):
    return f"test:{name}:{uuid.uuid4().hex}"  # other tests' streams may still listen in this process


def _open(channels, redis_url=LOCAL, **options):
    options = {"lifetime": 30, "heartbeat": 0.05, "max_streams": live.active_streams() + 5, **options}
    stream = live.stream(channels, redis_url=redis_url, **options)
    first = next(stream)  # subscribed from here on
    return stream, first


def _event(text):
    lines = dict(line.split(": ", 1) for line in text.strip().split("\n"))
    return lines["event"], json.loads(lines["data"])


def test_encode_is_one_sse_message_with_one_line_of_json():
    text = live.encode("queue", {"ticket": 7, "note": "第一行\n第二行"})
    assert text == 'event: queue\ndata: {"ticket":7,"note":"\\u7b2c\\u4e00\\u884c\\n\\u7b2c\\u4e8c\\u884c"}\n\n'
    assert live.encode("bad\nname: x", {}).startswith("event: badnamex\n")  # no line can be forged


def test_a_stream_gets_its_channels_events_and_beats_otherwise():
    mine, other = _channel("mine"), _channel("other")
    stream, first = _open([mine])
    try:
        assert first.startswith("retry: 3000\n")
        live.publish(other, "queue", {"ticket": 1}, redis_url=LOCAL)
        assert next(stream) == ": keepalive\n\n"  # not its channel: only the heartbeat
        live.publish(mine, "queue", {"ticket": 2}, redis_url=LOCAL)
        assert _event(next(stream)) == ("queue", {"ticket": 2})
        live.publish_many([(mine, "call", {"call": 3}), (mine, "call", {"call": 4})], redis_url=LOCAL)
        assert [_event(next(stream))[1]["call"] for _ in range(2)] == [3, 4]
    finally:
        stream.close()
    assert live.LOCAL.listeners(mine) == 0  # closing the stream (the client went away) unsubscribes it


def test_one_event_on_two_of_a_streams_channels_comes_once():
    desk, department = _channel("desk"), _channel("department")
    stream, _ = _open([desk, department])
    try:
        data = {"ticket": 9}
        live.publish_many([(desk, "queue", data), (department, "queue", data)], redis_url=LOCAL)
        live.publish(department, "queue", {"ticket": 9}, redis_url=LOCAL)  # a later event, alike: it comes
        assert [_event(next(stream)) for _ in range(2)] == [("queue", {"ticket": 9})] * 2
        assert next(stream) == ": keepalive\n\n"
    finally:
        stream.close()


def test_a_stream_ends_after_its_lifetime_and_gives_its_place_back():
    ticks = iter(range(0, 1000, 4))  # a clock four seconds further on at each look
    channel = _channel("life")
    before = live.active_streams()
    stream = live.stream([channel], redis_url=LOCAL, lifetime=10, heartbeat=0.01, max_streams=before + 1,
                         clock=lambda: next(ticks))
    chunks = list(stream)
    assert chunks[0].startswith("retry:") and chunks[1:] == [": keepalive\n\n"] * 2  # at 4 and 8; at 12 it ends
    assert live.active_streams() == before and live.LOCAL.listeners(channel) == 0


def test_beyond_the_cap_a_stream_is_told_to_come_back_later():
    channel = _channel("cap")
    held, _ = _open([channel], max_streams=live.active_streams() + 1)
    try:
        refused = list(live.stream([channel], redis_url=LOCAL, lifetime=30, heartbeat=1,
                                   max_streams=live.active_streams()))
        assert refused == ["retry: 15000\n: busy\n\n"]
        assert live.LOCAL.listeners(channel) == 1  # only the one held
    finally:
        held.close()
    again, first = _open([channel], max_streams=live.active_streams() + 1)
    again.close()
    assert first.startswith("retry: 3000")


def test_a_full_in_process_queue_drops_events_instead_of_blocking(monkeypatch):
    monkeypatch.setattr(live, "LOCAL_QUEUE_SIZE", 2)
    channel = _channel("full")
    stream, _ = _open([channel])
    try:
        for n in range(5):
            live.publish(channel, "queue", {"n": n}, redis_url=LOCAL)  # returns at once
        assert [_event(next(stream))[1]["n"] for _ in range(2)] == [0, 1]
        assert next(stream) == ": keepalive\n\n"
    finally:
        stream.close()


def test_through_redis_pub_sub(redis_url):
    """Two streams on the real Redis, as two web processes would hold them: each gets its own channel's events."""
    a, b = _channel("a"), _channel("b")
    stream_a, first = _open([a], redis_url=redis_url, heartbeat=0.2)
    stream_b, _ = _open([b], redis_url=redis_url, heartbeat=0.2)
    try:
        assert first.startswith("retry: 3000")
        live.publish_many([(a, "call", {"call": 1}), (b, "queue", {"ticket": 2})], redis_url=redis_url)
        assert _event(next(stream_a)) == ("call", {"call": 1})
        assert _event(next(stream_b)) == ("queue", {"ticket": 2})
        assert next(stream_a) == ": keepalive\n\n"
    finally:
        stream_a.close()
        stream_b.close()


def test_redis_down_neither_publishing_nor_streaming_raises(monkeypatch):
    monkeypatch.setattr(live, "_redis_down_until", 0.0)
    down = "redis://127.0.0.1:1/0"  # nothing listens there
    live.publish("test:down", "queue", {"ticket": 1}, redis_url=down)  # logged, dropped
    assert live._redis_down_until > 0  # and Redis is left alone for a while: a commit does not wait on it
    before = live.active_streams()
    assert list(live.stream(["test:down"], redis_url=down, lifetime=30, heartbeat=1, max_streams=before + 1)) == [
        "retry: 15000\n: unavailable\n\n"]
    assert live.active_streams() == before


@pytest.mark.parametrize("configured", [None, "redis://127.0.0.1:1/0"])
def test_publish_takes_the_applications_redis_by_default(app, monkeypatch, configured):
    monkeypatch.setattr(live, "_redis_down_until", 0.0)
    app.config["REDIS_URL"] = configured
    try:
        channel = _channel("default")
        stream, _ = _open([channel])
        try:
            live.publish(channel, "queue", {"ticket": 5})
            expected = ("queue", {"ticket": 5}) if configured is None else None
            got = next(stream)
            assert (_event(got) if "event: " in got else None) == expected
        finally:
            stream.close()
    finally:
        app.config["REDIS_URL"] = None
