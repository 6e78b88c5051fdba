"""Where a notification about a ticket or a 督办单 leads (core/notifications/links.py): staff to the ticket page,
the caller to their status page. The page decides who may see it."""
from __future__ import annotations

from typing import Any

from flask import url_for

from core.extensions import db


def _staff(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.role.is_staff


def ticket_page(user: Any, ticket_id: int) -> str:
    """The ticket page for staff, the caller's status page for everyone else."""
    if _staff(user):
        return url_for("hotline.ticket", ticket_id=ticket_id)
    return url_for("hotline_citizen.status", ticket_id=ticket_id)


def order_page(user: Any, order_id: int) -> str | None:
    """A 督办单 is answered on its ticket's page (the 督办单 section); citizens have no page for it."""
    from hotline.models import SupervisionOrder

    order = db.session.get(SupervisionOrder, order_id)
    if order is None or not _staff(user):
        return None
    return url_for("hotline.ticket", ticket_id=order.ticket_id, _anchor="supervision")


def overdue_tickets(user: Any) -> str | None:
    """The department queue filtered to 超期 tickets (supervisors see every department's there)."""
    return url_for("hotline.queue", urgency="overdue") if _staff(user) else None


def overdue_orders(user: Any) -> str | None:
    """The 督办单 list filtered to orders whose written feedback is late."""
    return url_for("hotline_supervision.index", state="overdue") if _staff(user) else None


def hotspot_page(user: Any, hotspot_id: int) -> str | None:
    """A hot-spot alert leads supervisors and admins to the hot spot's page (热点预警); nobody else has one."""
    from hotline.access import sees_hotspots
    return url_for("hotline_hotspots.show", hotspot_id=hotspot_id) if sees_hotspots(user) else None


def hotspot_tickets(user: Any, notification: Any) -> list[tuple[str, str]]:
    """A hot-spot alert names its tickets: each one's page, for supervisors and admins."""
    from hotline.access import sees_hotspots
    from hotline.hotspot_models import HotspotMember
    from hotline.hotspots import ALERT_TICKETS
    from hotline.models import Ticket

    if not sees_hotspots(user) or not (notification.entity_id or "").isdigit():
        return []
    rows = (db.session.query(Ticket.id, Ticket.number).join(HotspotMember, HotspotMember.ticket_id == Ticket.id)
            .filter(HotspotMember.hotspot_id == int(notification.entity_id))
            .order_by(Ticket.received_at, Ticket.id).limit(ALERT_TICKETS))
    return [(number, url_for("hotline.ticket", ticket_id=ticket_id)) for ticket_id, number in rows]
