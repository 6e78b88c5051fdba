"""Clusters of tickets of one place and one topic over the thresholds (热点预警, issue 20 item 4). Pure
functions over what the detection read of each ticket in the window; no database, no clock.

Within a place, tickets are linked when they share a topic (hotline.hotspot_topics.same_topic), and a cluster is
every ticket reachable through such links. A cluster is a hot spot when it holds at least `min_tickets` tickets
from at least `min_callers` callers: five calls of one angry neighbour are one person, not a hot spot.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from hotline.hotspot_places import Place
from hotline.hotspot_topics import same_topic, shared_words


@dataclass(frozen=True)
class Item:
    """One ticket as the detection sees it."""

    id: int
    place: Place
    category: str
    words: frozenset[str]
    caller: str  # the caller's phone, account or (unknown) the ticket itself
    received_at: datetime
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True)
class Thresholds:
    min_tickets: int = 5
    min_callers: int = 3
    shared_keywords: int = 2


@dataclass
class Cluster:
    place: Place
    items: list[Item] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [i.id for i in self.items]

    @property
    def callers(self) -> int:
        return len({i.caller for i in self.items})

    @property
    def category(self) -> str:
        """The most frequent category (the smallest code among equals)."""
        counts = Counter(i.category for i in self.items)
        return min(counts, key=lambda c: (-counts[c], c))

    @property
    def words(self) -> list[str]:
        return shared_words([i.words for i in self.items])

    @property
    def centre(self) -> tuple[float, float] | None:
        """The mean of the members' coordinates, or None when none has any."""
        points = [(i.lat, i.lng) for i in self.items if i.lat is not None and i.lng is not None]
        if not points:
            return None
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def caller_of(phone: str | None, citizen_id: int | None, ticket_id: int) -> str:
    """Who called, as far as the ticket tells: the phone, else the citizen's account, else nobody known (the
    ticket counts as its own caller)."""
    if phone:
        return f"phone:{phone}"
    if citizen_id is not None:
        return f"citizen:{citizen_id}"
    return f"ticket:{ticket_id}"


def _groups(items: list[Item], shared: int) -> list[list[Item]]:
    """The topic clusters of one place's items: connected components of same_topic (union-find)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if root(i) != root(j) and same_topic(a.category, a.words, b.category, b.words, shared):
                parent[root(j)] = root(i)
    out: dict[int, list[Item]] = {}
    for i, item in enumerate(items):
        out.setdefault(root(i), []).append(item)
    return list(out.values())


def find_clusters(items: list[Item], thresholds: Thresholds) -> list[Cluster]:
    """The clusters over the thresholds, the largest first (then by place); members in order of reception."""
    found = []
    ordered = sorted(items, key=lambda i: (i.place.key, i.received_at, i.id))
    for _key, same_place in groupby(ordered, key=lambda i: i.place.key):
        for members in _groups(list(same_place), thresholds.shared_keywords):
            cluster = Cluster(members[0].place, members)
            if len(members) >= thresholds.min_tickets and cluster.callers >= thresholds.min_callers:
                found.append(cluster)
    return sorted(found, key=lambda c: (-len(c.items), c.place.key, c.items[0].id))
