"""Template helpers: the links each role sees (the header navigation, the staff's work on the home page)
and date formatting in Chinese.

core names no workflow's endpoint: each package's `init_app` hands in its links with `register_links`,
per application. A link's `order` places it in its menu (header: services 10–30, review 40, reports
50–52, reference 60–71, administration 80–90; home page work: queues 10–20, core's tools 90–91).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, url_for
from flask_login import current_user

from core.auth.models import Role
from core.formats import local_datetime, zh_date
from core.worktime.urgency import Urgency

STAFF_ROLES = frozenset(r for r in Role if r.is_staff)
NAV, WORK = "nav", "work"  # the header navigation; the staff's own work on the home page


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    roles: frozenset[Role] | None = None  # who sees it; None = everyone
    order: int = 0


def register_links(app: Flask, menu: str, *links: Link) -> None:
    """Add links to a menu of this application; registering an endpoint again replaces its link."""
    entries = app.extensions.setdefault("gk_links", {}).setdefault(menu, {})
    for link in links:
        entries[link.endpoint] = link


def links_for(menu: str, role: Role | None) -> list[tuple[str, str]]:
    """(label, endpoint) of the menu's links `role` sees (None: an anonymous visitor), in order."""
    entries = current_app.extensions.get("gk_links", {}).get(menu, {}).values()
    return [(link.label, link.endpoint) for link in sorted(entries, key=lambda link: link.order)
            if link.roles is None or role in link.roles]


# core's own pages
CORE_LINKS = {
    NAV: (Link("部门", "departments.index", STAFF_ROLES, 70), Link("工作日历", "calendar.index", STAFF_ROLES, 71),
          Link("任务与发件箱", "jobs_admin.index", frozenset({Role.ADMIN, Role.SUPERVISOR}), 80)),
    WORK: (Link("工作日历与期限计算", "calendar.index", STAFF_ROLES, 90),
           Link("部门与职责", "departments.index", STAFF_ROLES, 91)),
}


def nav_items() -> list[tuple[str, str]]:
    role = current_user.role if current_user.is_authenticated else None
    return [(label, url_for(ep)) for label, ep in links_for(NAV, role)]


WEEKDAYS = "一二三四五六日"


def unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    from core.notifications.service import unread_count
    return unread_count(current_user)


def register_template_helpers(app: Flask) -> None:
    for menu, links in CORE_LINKS.items():
        register_links(app, menu, *links)
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.filters["zh_date"] = zh_date
    app.jinja_env.filters["zh_weekday"] = lambda d: "星期" + WEEKDAYS[d.weekday()]
    app.jinja_env.filters["urgency"] = Urgency  # "due_soon"|urgency → .label 临期, .badge (API values to the badge)
    app.jinja_env.globals["urgency_levels"] = list(Urgency)
