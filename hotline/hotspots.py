"""热点预警 (hot-spot early warning, issue 20 item 4): the periodic detection and its alerts.

One run at `now` reads the tickets received in the window (now − HOTSPOT_WINDOW_DAYS, now] — open or closed,
merged duplicates included (a merge says "the same matter", which is what a hot spot is), but not the ones
12345 did not keep (transferred to 110/119/120/122, not accepted, referred to a disclosure application) —
gives each its place and topic (hotline/hotspot_places.py, hotline/hotspot_topics.py) and finds the clusters
over the thresholds (hotline/hotspot_cluster.py).

A cluster that holds a ticket of a known hot spot is that hot spot: its new tickets join it and each
supervisor's alert is rewritten (unread again, hotline.hotspots.alert); any other cluster is a new hot spot
and raises one alert per active supervisor. A second run at the same `now` changes nothing, and runs are
serialised (core.db.serialise) so that two workers never raise one cluster twice. The periodic duty
(hotspot_watch, after every deadline sweep) runs the detection at most every HOTSPOT_INTERVAL_MINUTES;
`flask hotline hotspots` runs it at once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_

from core import audit
from core.auth.models import Role, User
from core.db import serialise, unit_of_work
from core.extensions import db
from core.notifications.service import notify_current
from hotline.hotspot_cluster import Cluster, Item, Thresholds, caller_of, find_clusters
from hotline.hotspot_models import Hotspot, HotspotMember, HotspotRun
from hotline.hotspot_places import place_of
from hotline.hotspot_topics import keywords
from hotline.models import Category, Ticket
from hotline.scope import NOT_ACCEPTED, REFERRED

ENTITY = "hotspot"  # audit trail and notifications
EVENT = "hotspot_alert"
LEFT_OUT = ("transferred", NOT_ACCEPTED, REFERRED)  # close reasons of matters 12345 did not keep
ALERT_TICKETS = 20  # ticket numbers an alert names; the hot spot's page lists them all


@dataclass(frozen=True)
class Settings:
    """The detection's settings (config.py: HOTSPOT_*), each kept within sense."""

    window_days: int = 7
    thresholds: Thresholds = Thresholds()
    grid_m: int = 200
    interval_minutes: int = 15
    chart_days: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        def bounded(name: str, low: int, high: int) -> int:
            return min(max(int(config[name]), low), high)

        tickets = bounded("HOTSPOT_MIN_TICKETS", 2, 10_000)
        return cls(window_days=bounded("HOTSPOT_WINDOW_DAYS", 1, 366),
                   thresholds=Thresholds(min_tickets=tickets, min_callers=bounded("HOTSPOT_MIN_CALLERS", 1, tickets),
                                         shared_keywords=bounded("HOTSPOT_SHARED_KEYWORDS", 1, 10)),
                   grid_m=bounded("HOTSPOT_GRID_M", 10, 100_000),
                   interval_minutes=bounded("HOTSPOT_INTERVAL_MINUTES", 0, 7 * 24 * 60),
                   chart_days=bounded("HOTSPOT_CHART_DAYS", 7, 366))

    @property
    def rule(self) -> str:
        """The thresholds as pages and alerts state them."""
        t = self.thresholds
        return f"近 {self.window_days} 天同一地点、同一主题不少于 {t.min_tickets} 件，来自不少于 {t.min_callers} 位来电人"


def settings() -> Settings:
    return Settings.from_config(current_app.config)


@dataclass
class RunResult:
    tickets: int = 0  # tickets in the window
    clusters: int = 0  # clusters over the thresholds
    raised: list[int] = field(default_factory=list)  # new hot spots
    grown: list[int] = field(default_factory=list)  # known hot spots that gained tickets
    skipped: bool = False  # the last run was less than the interval ago


def window_items(now: datetime, s: Settings) -> list[Item]:
    """The tickets of the window with their place and topic words. A place with fewer tickets than a hot spot
    needs cannot hold one: its tickets are not segmented at all (jieba is the run's main cost)."""
    rows = (db.session.query(Ticket.id, Ticket.address, Ticket.lat, Ticket.lng, Ticket.category_code, Ticket.content,
                             Ticket.summary, Ticket.caller_phone, Ticket.citizen_id, Ticket.received_at)
            .filter(Ticket.received_at > now - timedelta(days=s.window_days), Ticket.received_at <= now,
                    or_(Ticket.close_reason.is_(None), Ticket.close_reason.notin_(LEFT_OUT)))
            .order_by(Ticket.received_at, Ticket.id).all())
    by_place = defaultdict(list)
    for r in rows:
        place = place_of(r.address, r.lat, r.lng, s.grid_m)
        if place is not None:
            by_place[place].append(r)
    items = []
    for place, group in by_place.items():
        if len(group) < s.thresholds.min_tickets:
            continue
        items += [Item(r.id, place, r.category_code, keywords(f"{r.content}\n{r.summary or ''}", place=place.label),
                       caller_of(r.caller_phone, r.citizen_id, r.id), r.received_at, r.lat, r.lng) for r in group]
    return items


def _ran_within(now: datetime, span: timedelta) -> bool:
    last = db.session.query(func.max(HotspotRun.now)).scalar()
    return last is not None and timedelta(0) <= now - last < span


def detect(now: datetime, s: Settings | None = None, *, unless_ran_within: timedelta | None = None) -> RunResult:
    """One detection run at `now` (one unit of work): new clusters raise a hot spot and its alert, known ones
    gain their new tickets; recorded as a HotspotRun. With `unless_ran_within`, nothing is done when the last
    run's `now` lies less than that before this one."""
    s = s or settings()
    result = RunResult()
    with unit_of_work():
        serialise("hotline-hotspots")
        if unless_ran_within is not None and _ran_within(now, unless_ran_within):
            result.skipped = True
            return result
        items = window_items(now, s)
        clusters = find_clusters(items, s.thresholds)
        ids = [i for c in clusters for i in c.ids]
        member_of = dict(db.session.query(HotspotMember.ticket_id, HotspotMember.hotspot_id)
                         .filter(HotspotMember.ticket_id.in_(ids))) if ids else {}
        for cluster in clusters:
            known = sorted({member_of[i] for i in cluster.ids if i in member_of})
            if not known:
                result.raised.append(_raise(cluster, now, s).id)
                continue
            fresh = [i for i in cluster.items if i.id not in member_of]
            if fresh:
                _grow(db.session.get(Hotspot, known[0]), cluster, fresh, now, s)
                result.grown.append(known[0])
        result.tickets, result.clusters = len(items), len(clusters)
        db.session.add(HotspotRun(now=now, tickets=len(items), clusters=len(clusters), raised=len(result.raised),
                                  grown=len(result.grown)))
    return result


def hotspot_watch(now: datetime) -> int:
    """The periodic duty (after every deadline sweep): a detection run when the last is HOTSPOT_INTERVAL_MINUTES
    old; the number of hot spots raised or grown."""
    s = settings()
    result = detect(now, s, unless_ran_within=timedelta(minutes=s.interval_minutes))
    return len(result.raised) + len(result.grown)


def _add_members(hotspot: Hotspot, items: list[Item], now: datetime) -> None:
    for item in items:
        db.session.add(HotspotMember(hotspot_id=hotspot.id, ticket_id=item.id, added_at=now))
    db.session.flush()


def _describe(hotspot: Hotspot, cluster: Cluster) -> None:
    """The hot spot's topic from its cluster now, its figures from all its tickets (older ones included)."""
    hotspot.category_code, hotspot.keywords = cluster.category, " ".join(cluster.words)
    hotspot.place_label, hotspot.place_kind = cluster.place.label, cluster.place.kind
    rows = (db.session.query(Ticket.id, Ticket.caller_phone, Ticket.citizen_id, Ticket.received_at, Ticket.lat,
                             Ticket.lng).join(HotspotMember, HotspotMember.ticket_id == Ticket.id)
            .filter(HotspotMember.hotspot_id == hotspot.id).all())
    hotspot.ticket_count = len(rows)
    hotspot.caller_count = len({caller_of(r.caller_phone, r.citizen_id, r.id) for r in rows})
    hotspot.first_received_at = min(r.received_at for r in rows)
    hotspot.last_received_at = max(r.received_at for r in rows)
    points = [(r.lat, r.lng) for r in rows if r.lat is not None and r.lng is not None]
    if points:
        hotspot.lat = sum(p[0] for p in points) / len(points)
        hotspot.lng = sum(p[1] for p in points) / len(points)


def _raise(cluster: Cluster, now: datetime, s: Settings) -> Hotspot:
    first = cluster.items[0]
    hotspot = Hotspot(place_key=cluster.place.key, place_kind=cluster.place.kind, place_label=cluster.place.label,
                      category_code=cluster.category, keywords="", ticket_count=0, caller_count=0,
                      first_received_at=first.received_at, last_received_at=first.received_at, raised_at=now)
    db.session.add(hotspot)
    db.session.flush()
    _add_members(hotspot, cluster.items, now)
    _describe(hotspot, cluster)
    audit.log_change(now=now, actor="system", entity_kind=ENTITY, entity_id=hotspot.id, action="raised",
                     after={"place": hotspot.place_key, "category": hotspot.category_code, "tickets": cluster.ids})
    alert(hotspot, now=now, s=s)
    return hotspot


def _grow(hotspot: Hotspot, cluster: Cluster, fresh: list[Item], now: datetime, s: Settings) -> None:
    _add_members(hotspot, fresh, now)
    hotspot.grown_at = now
    _describe(hotspot, cluster)
    audit.log_change(now=now, actor="system", entity_kind=ENTITY, entity_id=hotspot.id, action="grown",
                     after={"tickets": [i.id for i in fresh], "count": hotspot.ticket_count})
    alert(hotspot, now=now, s=s, new=len(fresh))


def title(hotspot: Hotspot) -> str:
    """How pages and alerts name a hot spot: place · category (shared keywords)."""
    words = hotspot.keywords.split()
    category = db.session.get(Category, hotspot.category_code)
    name = category.name if category is not None else hotspot.category_code
    return f"{hotspot.place_label} · {name}" + (f"（{'、'.join(words)}）" if words else "")


def alert(hotspot: Hotspot, *, now: datetime, s: Settings, new: int = 0) -> None:
    """Each active supervisor's one alert about the hot spot, with its ticket numbers (DESIGN §1: supervisors
    supervise); when it grows, the same alert is rewritten (core.notifications.service.notify_current)."""
    numbers = [n for (n,) in db.session.query(Ticket.number).join(HotspotMember, HotspotMember.ticket_id == Ticket.id)
               .filter(HotspotMember.hotspot_id == hotspot.id).order_by(Ticket.received_at, Ticket.id)
               .limit(ALERT_TICKETS)]
    more = f" 等 {hotspot.ticket_count} 件" if hotspot.ticket_count > len(numbers) else ""
    context = {"label": title(hotspot), "count": hotspot.ticket_count, "callers": hotspot.caller_count,
               "days": s.window_days, "grown": f"（本次新增 {new} 件）" if new else "", "detail": s.rule,
               "items": "、".join(numbers) + more}
    for user in User.query.filter(User.role == Role.SUPERVISOR, User.active.is_(True)).order_by(User.id):
        notify_current(EVENT, now=now, user=user, context=context, key=f"{ENTITY}:{hotspot.id}",
                       entity=(ENTITY, hotspot.id))
