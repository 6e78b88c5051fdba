"""What the 热点预警 pages and API read: hot spots by state, their tickets, the chart of clusters over time and the
points of the map (issue 20 item 4)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, not_, or_

from core.errors import ValidationError
from core.extensions import db
from hotline.hotspot_models import Hotspot, HotspotMember
from hotline.hotspots import title
from hotline.models import Ticket

FILTERS = {"open": "待处置", "handled": "已处置", "all": "全部"}
STATES = {"open": ("待处置", "bg-danger"), "handled": ("已处置", "bg-success")}
HOW = {"merge": "合并办理", "dispatch": "联合派单"}
CHART_SERIES = 8  # hot spots drawn in the chart (the largest); the table lists them all
# Handled: a one-click action was taken and no ticket joined since (a grown hot spot is open again).
HANDLED = and_(Hotspot.handled_at.is_not(None), or_(Hotspot.grown_at.is_(None), Hotspot.grown_at <= Hotspot.handled_at))


def state_of(hotspot: Hotspot) -> str:
    """"handled" when a one-click action was taken since its last new ticket, else "open"."""
    handled = hotspot.handled_at is not None and (hotspot.grown_at is None or hotspot.grown_at <= hotspot.handled_at)
    return "handled" if handled else "open"


def listing(state: object = "open", limit: int = 200) -> list[Hotspot]:
    """Hot spots in a state (open, handled or all), the most recently active first."""
    if state not in FILTERS:
        raise ValidationError("筛选条件无效：state 应为 open（待处置）、handled（已处置）或 all（全部）", field="state")
    query = Hotspot.query
    if state == "open":
        query = query.filter(not_(HANDLED))
    elif state == "handled":
        query = query.filter(HANDLED)
    return query.order_by(Hotspot.last_received_at.desc(), Hotspot.id.desc()).limit(limit).all()


def members(hotspot: Hotspot) -> list[Ticket]:
    """The hot spot's tickets in order of reception."""
    return (Ticket.query.join(HotspotMember, HotspotMember.ticket_id == Ticket.id)
            .filter(HotspotMember.hotspot_id == hotspot.id).order_by(Ticket.received_at, Ticket.id).all())


def chart(hotspots: Iterable[Hotspot], *, today: date, days: int, tz: tzinfo) -> dict[str, Any]:
    """Clusters over time: the tickets per local day of the largest CHART_SERIES hot spots, the `days` days up
    to `today`."""
    chosen = sorted(hotspots, key=lambda h: (-h.ticket_count, h.id))[:CHART_SERIES]
    start = today - timedelta(days=days - 1)
    labels = [start + timedelta(days=d) for d in range(days)]
    counts = {h.id: [0] * days for h in chosen}
    if chosen:
        since = datetime.combine(start, time(), tz)
        rows = (db.session.query(HotspotMember.hotspot_id, Ticket.received_at)
                .join(Ticket, Ticket.id == HotspotMember.ticket_id)
                .filter(HotspotMember.hotspot_id.in_(list(counts)), Ticket.received_at >= since))
        for hotspot_id, received_at in rows:
            index = (received_at.astimezone(tz).date() - start).days
            if 0 <= index < days:
                counts[hotspot_id][index] += 1
    return {"days": [d.isoformat() for d in labels],
            "series": [{"id": h.id, "label": title(h), "counts": counts[h.id]} for h in chosen]}


def map_points(hotspots: Iterable[Hotspot], link: Callable[[int], str]) -> list[dict[str, Any]]:
    """The hot spots that have coordinates (the mean of their tickets'), for the map."""
    return [{"label": title(h), "count": h.ticket_count, "lat": round(h.lat, 6), "lng": round(h.lng, 6),
             "href": link(h.id)} for h in hotspots if h.lat is not None and h.lng is not None]


def ticket_points(tickets: Iterable[Ticket], link: Callable[[int], str]) -> list[dict[str, Any]]:
    """A hot spot's tickets that have coordinates, for its map."""
    return [{"label": t.number, "count": 1, "lat": t.lat, "lng": t.lng, "href": link(t.id)}
            for t in tickets if t.lat is not None and t.lng is not None]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def represent(hotspot: Hotspot, tickets: list[Ticket] | None = None) -> dict[str, Any]:
    """A hot spot for the API; with its tickets when given."""
    out = {"id": hotspot.id, "title": title(hotspot), "place": hotspot.place_label, "place_kind": hotspot.place_kind,
           "category": hotspot.category_code, "keywords": hotspot.keywords.split(), "tickets": hotspot.ticket_count,
           "callers": hotspot.caller_count, "first_received_at": _iso(hotspot.first_received_at),
           "last_received_at": _iso(hotspot.last_received_at), "raised_at": _iso(hotspot.raised_at),
           "grown_at": _iso(hotspot.grown_at), "lat": hotspot.lat, "lng": hotspot.lng, "state": state_of(hotspot),
           "handled_at": _iso(hotspot.handled_at), "handled_how": hotspot.handled_how}
    if tickets is not None:
        out["members"] = [{"id": t.id, "number": t.number, "status": t.status, "received_at": _iso(t.received_at),
                           "department": t.department.code if t.department is not None else None,
                           "merged_into": t.merged_into_id} for t in tickets]
    return out
