"""Caches whose entries expire a fixed time after they were stored (public search results:
public_log/search.py). TTLCache: in one process, thread-safe (gunicorn's threads share it), at most `size`
entries, the oldest dropped first. RedisTTLCache: the same in Redis, shared by all processes and nodes.
The clock is passed in so that tests set the time."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

V = TypeVar("V")
log = logging.getLogger(__name__)


class TTLCache(Generic[V]):
    def __init__(self, seconds: float, size: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.size, self.clock = seconds, size, clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value stored under `key` less than `seconds` ago, else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() - entry[0] >= self.seconds:
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key: Hashable, value: V) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (self.clock(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisTTLCache:
    """The same interface over Redis, shared by every web process and node: values are JSON; keys are hashed
    under `prefix`. Redis failing never fails the caller: a miss is answered, and Redis is left alone for
    `retry_seconds` (short timeouts, so a hung Redis costs a request at most `timeout` seconds once)."""

    def __init__(self, url: str, seconds: float, prefix: str, *, timeout: float = 0.25, retry_seconds: float = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from redis import Redis
        self.seconds, self.prefix, self.retry_seconds, self.clock = seconds, prefix, retry_seconds, clock
        self.redis = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self._down_until = 0.0

    def _key(self, key: Hashable) -> str:
        return self.prefix + hashlib.sha256(repr(key).encode()).hexdigest()

    def _failed(self, exc: Exception) -> None:
        log.warning("search cache: Redis unavailable (%s); searching without it for %ss", exc, self.retry_seconds)
        self._down_until = self.clock() + self.retry_seconds

    def get(self, key: Hashable) -> Any:
        from redis.exceptions import RedisError
        if self.seconds <= 0 or self.clock() < self._down_until:
            return None
        try:
            raw = self.redis.get(self._key(key))
        except RedisError as exc:
            self._failed(exc)
            return None
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:  # not JSON, not UTF-8: a damaged entry is a miss (the caller stores a good one)
            log.warning("search cache: unreadable entry under %s ignored", self._key(key))
            return None

    def put(self, key: Hashable, value: Any) -> None:
        from redis.exceptions import RedisError
        if self.seconds <= 0 or self.clock() < self._down_until:
            return
        try:
            self.redis.set(self._key(key), json.dumps(value), px=int(self.seconds * 1000))
        except RedisError as exc:
            self._failed(exc)
