"""Live events to open pages: `publish(channel, event, data)` and `stream(channels, …)`, the body of a
Server-Sent Events response (text/event-stream).

With REDIS_URL set, events go through Redis pub/sub, so that every web process (gunicorn workers, several
machines) reaches the pages it serves; without it (the embedded default, one process) through in-process
queues. Events are hints, never the record: they carry ids and names only (no personal data passes Redis),
a page that gets one fetches what changed through an ordinary authenticated request, and a page that lost
its connection reloads its list when it reconnects. So a lost event (Redis down, a slow page's full queue)
costs a moment's delay, never data.

Who may receive what is not decided here: the caller names the channels (hotline/access.py: live_channels).
Each stream lives at most `lifetime` seconds (a web thread is held while it runs; the browser reconnects by
itself), sends a comment every `heartbeat` seconds (proxies keep the connection, a closed one is noticed),
and a process serves at most `max_streams` at once (more are told to come back later).
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from redis.client import PubSub

log = logging.getLogger("live")
PREFIX = "gk:live:"  # Redis channel names: this application's, beside RQ's keys in the same database
LOCAL_QUEUE_SIZE = 200  # events waiting for one in-process stream; beyond it they are dropped (see above)
REDIS_RETRY_SECONDS = 30  # after Redis failed to take an event, publishing skips it this long


def encode(event: str, data: dict[str, Any], event_id: str | None = None) -> str:
    """One SSE message: its id (if any), its event name and a one-line JSON data field (ASCII: no line break can
    slip in)."""
    name = "".join(ch for ch in event if ch.isalnum() or ch in "-_") or "message"
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=True, separators=(',', ':'))}\n\n"


class Subscription(Protocol):
    def get(self, timeout: float) -> str | None: ...

    def close(self) -> None: ...


class LocalBroker:
    """In-process pub/sub: one bounded queue per open stream, registered under each of its channels."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, set[queue.Queue[str]]] = {}

    def subscribe(self, channels: Sequence[str]) -> LocalSubscription:
        q: queue.Queue[str] = queue.Queue(LOCAL_QUEUE_SIZE)
        with self._lock:
            for channel in channels:
                self._queues.setdefault(channel, set()).add(q)
        return LocalSubscription(self, q, tuple(channels))

    def unsubscribe(self, q: queue.Queue[str], channels: Iterable[str]) -> None:
        with self._lock:
            for channel in channels:
                members = self._queues.get(channel)
                if members is not None:
                    members.discard(q)
                    if not members:
                        del self._queues[channel]

    def publish(self, channel: str, message: str) -> int:
        """Put `message` in every queue listening to `channel`; returns how many took it."""
        with self._lock:
            members = list(self._queues.get(channel, ()))
        taken = 0
        for q in members:
            try:
                q.put_nowait(message)
                taken += 1
            except queue.Full:
                log.warning("live: a stream of %s is not reading; an event was dropped", channel)
        return taken

    def listeners(self, channel: str) -> int:
        with self._lock:
            return len(self._queues.get(channel, ()))


class LocalSubscription:
    def __init__(self, broker: LocalBroker, q: queue.Queue[str], channels: tuple[str, ...]) -> None:
        self._broker, self._queue, self._channels = broker, q, channels

    def get(self, timeout: float) -> str | None:
        try:
            return self._queue.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def close(self) -> None:
        self._broker.unsubscribe(self._queue, self._channels)


LOCAL = LocalBroker()


class RedisSubscription:
    """A Redis pub/sub connection on the stream's channels; ready once Redis has confirmed each channel."""

    def __init__(self, url: str, channels: Sequence[str], confirm_seconds: float = 5) -> None:
        from core.jobs import redis_connection

        names = list(dict.fromkeys(PREFIX + c for c in channels))
        self._pubsub: PubSub = redis_connection(url).pubsub()
        try:
            self._pubsub.subscribe(*names)
            confirmed, deadline = 0, time.monotonic() + confirm_seconds
            while confirmed < len(names):  # an event published from now on reaches this stream
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("Redis did not confirm the subscription")
                reply = self._pubsub.get_message(timeout=left)
                if reply is not None and reply.get("type") == "subscribe":
                    confirmed += 1
        except BaseException:
            self._pubsub.close()
            raise

    def get(self, timeout: float) -> str | None:
        deadline = time.monotonic() + max(timeout, 0)
        while True:
            reply = self._pubsub.get_message(timeout=max(deadline - time.monotonic(), 0))
            if reply is not None and reply.get("type") == "message":
                data = reply["data"]
                return data.decode() if isinstance(data, bytes) else str(data)
            if time.monotonic() >= deadline:
                return None

    def close(self) -> None:
        self._pubsub.close()


_redis_down_until = 0.0


def publish(channel: str, event: str, data: dict[str, Any], *, redis_url: str | None = None) -> None:
    """Send one event to every stream listening to `channel` (see publish_many)."""
    publish_many([(channel, event, data)], redis_url=redis_url)


def publish_many(messages: Iterable[tuple[str, str, dict[str, Any]]], *, redis_url: str | None = None) -> None:
    """Send each (channel, event, data) to the streams listening to its channel: through Redis (one round trip
    for all of them) when `redis_url` — by default the application's REDIS_URL — is set, else in-process.
    Never raises: an event that cannot be sent is logged and dropped (events are hints; see the module)."""
    global _redis_down_until
    ids: dict[int, str] = {}  # one id per event, whatever the number of channels it goes to (see stream)
    batch = [(channel, encode(event, data, ids.setdefault(id(data), uuid.uuid4().hex[:16])))
             for channel, event, data in messages]
    if not batch:
        return
    url = redis_url if redis_url is not None else _configured_redis()
    if not url:
        for channel, message in batch:
            LOCAL.publish(channel, message)
        return
    if time.monotonic() < _redis_down_until:
        return
    from redis.exceptions import RedisError

    from core.jobs import redis_connection
    try:
        pipe = redis_connection(url).pipeline(transaction=False)
        for channel, message in batch:
            pipe.publish(PREFIX + channel, message)
        pipe.execute()
    except (RedisError, OSError) as exc:
        _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
        log.warning("live: %d event(s) not published, Redis failed (%s); skipping Redis for %d s",
                    len(batch), exc, REDIS_RETRY_SECONDS)


def _configured_redis() -> str | None:
    from flask import current_app, has_app_context
    return current_app.config.get("REDIS_URL") if has_app_context() else None


_active_lock = threading.Lock()
_active = 0


def active_streams() -> int:
    """How many streams this process is serving now."""
    return _active


def stream(channels: Sequence[str], *, redis_url: str | None, lifetime: float, heartbeat: float,
           max_streams: int, retry_ms: int = 3000, clock: Callable[[], float] = time.monotonic) -> Iterator[str]:
    """The text of a Server-Sent Events response listening to `channels` for `lifetime` seconds.

    It subscribes before its first chunk (so an event published once the page saw the connection open
    reaches it), then yields each event, a heartbeat comment when `heartbeat` seconds pass without one, and
    ends after `lifetime`; `retry_ms` tells the browser when to reconnect. Needs no request or application
    context (a stream must not hold a database connection): pass the Redis URL (None: in-process)."""
    global _active
    with _active_lock:
        full = _active >= max_streams
        if not full:
            _active += 1
    if full:  # every thread on streams would leave none for pages: come back later
        yield f"retry: {max(retry_ms, 15000)}\n: busy\n\n"
        return
    subscription: Subscription | None = None
    try:
        try:
            subscription = (RedisSubscription(redis_url, channels) if redis_url
                            else LOCAL.subscribe(channels))
        except Exception as exc:  # noqa: BLE001  (Redis down: the browser retries; pages work without events)
            log.warning("live: could not subscribe (%s); the browser will retry", exc)
            yield f"retry: {max(retry_ms, 15000)}\n: unavailable\n\n"
            return
        yield f"retry: {retry_ms}\n: connected\n\n"
        deadline = clock() + lifetime
        seen: deque[str | None] = deque(maxlen=100)
        while (left := deadline - clock()) > 0:
            message = subscription.get(min(heartbeat, left))
            if message is None:
                yield ": keepalive\n\n"
                continue
            event_id = message[4:message.find("\n")] if message.startswith("id: ") else None
            if event_id is not None and event_id in seen:
                continue  # one event sent to two of this stream's channels (the desk's and a department's)
            seen.append(event_id)
            yield message
    finally:
        if subscription is not None:
            subscription.close()
        with _active_lock:
            _active -= 1
