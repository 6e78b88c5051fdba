"""Template helpers: the links each role sees (the header navigation, the staff's work on the home page)
and date formatting in Chinese.

core names no workflow's endpoint: each package's `init_app` hands in its links with `register_links`,
per application. A link's `order` places it in its menu (header: services 10–30, review 40, reports
50–52, reference 60–71, administration 80–90; home page work: queues 10–20, core's tools 90–91).
A staff member's header groups the links by that order into menus (NAV_GROUPS) so that every role's
navigation fits an office screen of 1366 px; a work link with `counts` shows how much its queue holds
(待办 / 临期 / 超期) on the home page and in the header's 我的工作 menu.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app, url_for
from flask_login import current_user

from core.auth.models import Role
from core.db import utcnow
from core.formats import local_datetime, zh_date
from core.workcounts import WorkCount
from core.worktime.urgency import Urgency

STAFF_ROLES = frozenset(r for r in Role if r.is_staff)
NAV, WORK = "nav", "work"  # the header navigation; the staff's own work on the home page


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    roles: frozenset[Role] | None = None  # who sees it; None = everyone
    order: int = 0
    counts: Callable[[Any, datetime], WorkCount] | None = None  # a queue's work for (user, now)


def register_links(app: Flask, menu: str, *links: Link) -> None:
    """Add links to a menu of this application; registering an endpoint again replaces its link."""
    entries = app.extensions.setdefault("gk_links", {}).setdefault(menu, {})
    for link in links:
        entries[link.endpoint] = link


def _visible(menu: str, role: Role | None) -> list[Link]:
    """The menu's links `role` sees (None: an anonymous visitor), in order."""
    entries = current_app.extensions.get("gk_links", {}).get(menu, {}).values()
    return [link for link in sorted(entries, key=lambda link: link.order) if link.roles is None or role in link.roles]


def links_for(menu: str, role: Role | None) -> list[tuple[str, str]]:
    """(label, endpoint) of the menu's links `role` sees (None: an anonymous visitor), in order."""
    return [(link.label, link.endpoint) for link in _visible(menu, role)]


# core's own pages
CORE_LINKS = {
    NAV: (Link("部门", "departments.index", STAFF_ROLES, 70), Link("工作日历", "calendar.index", STAFF_ROLES, 71),
          Link("任务与发件箱", "jobs_admin.index", frozenset({Role.ADMIN, Role.SUPERVISOR}), 80)),
    WORK: (Link("工作日历与期限计算", "calendar.index", STAFF_ROLES, 90),
           Link("部门与职责", "departments.index", STAFF_ROLES, 91)),
}


def work_for(user: Any, now: datetime) -> list[tuple[str, str, WorkCount | None]]:
    """(label, endpoint, its queue's counts or None) of the staff member's own work (WORK menu), in order."""
    role = user.role if user is not None and user.is_authenticated else None
    if role is None or not role.is_staff:
        return []
    return [(link.label, link.endpoint, link.counts(user, now) if link.counts else None)
            for link in _visible(WORK, role)]


@dataclass(frozen=True)
class NavEntry:
    label: str
    href: str | None = None  # a link; None: a menu of `children`
    children: list[tuple[str, str]] = field(default_factory=list)


# A staff member's header: the links from each order on form one menu (a menu of one link is that link).
NAV_GROUPS = ((0, "公众服务"), (40, "监督"), (60, "资料"), (80, "管理"))


def nav_menu() -> list[NavEntry]:
    """The header navigation: a citizen's few links as they are; a staff member's grouped into menus."""
    role = current_user.role if current_user.is_authenticated else None
    links = _visible(NAV, role)
    if role is None or not role.is_staff:
        return [NavEntry(link.label, url_for(link.endpoint)) for link in links]
    menu = []
    for i, (start, label) in enumerate(NAV_GROUPS):
        end = NAV_GROUPS[i + 1][0] if i + 1 < len(NAV_GROUPS) else None
        group = [(link.label, url_for(link.endpoint)) for link in links
                 if link.order >= start and (end is None or link.order < end)]
        if len(group) == 1:
            menu.append(NavEntry(*group[0]))
        elif group:
            menu.append(NavEntry(label, None, group))
    return menu


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
    app.jinja_env.globals["nav_menu"] = nav_menu
    app.jinja_env.globals["my_work"] = lambda: work_for(current_user, utcnow())
    app.jinja_env.filters["zh_date"] = zh_date
    app.jinja_env.filters["zh_weekday"] = lambda d: "星期" + WEEKDAYS[d.weekday()]
    app.jinja_env.filters["urgency"] = Urgency  # "due_soon"|urgency → .label 临期, .badge (API values to the badge)
    app.jinja_env.globals["urgency_levels"] = list(Urgency)
