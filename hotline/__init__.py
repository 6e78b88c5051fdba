"""12345 诉求.

`init_app(app)` wires the hotline into an application (called from app.py): its tables, blueprints (the CTI
endpoint among them), the live queues' session hooks (hotline/live.py), the periodic duties run after every
deadline sweep (督办单 escalation, 热点预警), the category seeder of `flask seed`, the `flask hotline` commands, and
the type and category labels the public log shows, its links (header, home page), rate limits and the public
Open311 reads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import hotline.cti_models  # noqa: F401
    import hotline.hotspot_models  # noqa: F401  (the tables, for the metadata)
    import hotline.knowledge  # noqa: F401
    import hotline.live  # noqa: F401  (ticket changes reach the live queue pages: its session hooks)
    import hotline.models  # noqa: F401
    from core.auth.models import Role
    from core.jobs.periodic import register_periodic
    from core.limits import register_limit
    from core.notifications.links import register_details, register_overdue_list, register_target
    from core.saved_filters import register_queue
    from core.security import register_public_endpoints
    from core.templating import NAV, STAFF_ROLES, WORK, Link, register_links
    from hotline import queries as q
    from hotline.access import HOTSPOT_ROLES
    from hotline.api import bp as tickets_api_bp
    from hotline.catalogue import CATEGORIES
    from hotline.citizen_views import bp as hotline_citizen_bp
    from hotline.cli import hotline_cli
    from hotline.common import ENTITY
    from hotline.cti import check_tokens
    from hotline.cti_api import bp as cti_bp
    from hotline.hotspot_views import bp as hotline_hotspots_bp
    from hotline.hotspots import ENTITY as HOTSPOT
    from hotline.hotspots import EVENT as HOTSPOT_ALERT
    from hotline.hotspots import hotspot_watch
    from hotline.inbox_views import bp as hotline_inbox_bp
    from hotline.kb_views import bp as hotline_kb_bp
    from hotline.mail_intake import queue_count
    from hotline.mail_listener import mail as mail_cli
    from hotline.notice_links import (
        hotspot_page,
        hotspot_tickets,
        order_page,
        overdue_orders,
        overdue_tickets,
        ticket_page,
    )
    from hotline.open311 import bp as open311_bp
    from hotline.seed import seed_categories_message
    from hotline.sla import TYPES
    from hotline.sla_views import bp as hotline_sla_bp
    from hotline.sms_api import bp as sms_api_bp
    from hotline.staff_views import bp as hotline_bp
    from hotline.staff_views import queue_filter
    from hotline.supervision import ENTITY as ORDER
    from hotline.supervision import escalate_overdue
    from hotline.supervision_views import bp as hotline_supervision_bp
    from public_log.labels import register_labels

    check_tokens(app.config.get("CTI_TOKENS"))  # a guessable CTI token refuses to start
    for bp in (tickets_api_bp, open311_bp, cti_bp, hotline_bp, hotline_kb_bp, hotline_citizen_bp, hotline_sla_bp,
               hotline_supervision_bp, hotline_hotspots_bp, hotline_inbox_bp, sms_api_bp):
        app.register_blueprint(bp)
    app.cli.add_command(mail_cli)  # `flask mail listen`: the SMTP listener for the relay (issue 20)
    register_target(ENTITY, ticket_page)  # notifications link to the item's page
    register_target(ORDER, order_page)
    register_overdue_list(ENTITY, "12345 超期工单", overdue_tickets)  # escalation digests link to them
    register_overdue_list(ORDER, "反馈超期的督办单", overdue_orders)
    register_periodic(escalate_overdue, "督办单升级")  # 督办单 whose written feedback is late go to level 2
    register_periodic(hotspot_watch, "热点预警")  # at most every HOTSPOT_INTERVAL_MINUTES (hotline/hotspots.py)
    register_target(HOTSPOT, hotspot_page)  # a hot-spot alert leads to the hot spot's page …
    register_details(HOTSPOT_ALERT, hotspot_tickets)  # … and names its tickets
    app.cli.add_command(hotline_cli)
    seeders = app.extensions.setdefault("seeders", [])  # `flask seed` runs them (core/cli.py)
    if seed_categories_message not in seeders:
        seeders.append(seed_categories_message)
    register_labels("hotline", types=TYPES, categories=CATEGORIES)  # 诉求类型 and 分类 of the public log
    register_links(app, NAV, Link("12345 诉求", "hotline.index", None, 20),
                   Link("热线知识库", "hotline_kb.index", STAFF_ROLES, 60),
                   Link("热点预警", "hotline_hotspots.index", frozenset(HOTSPOT_ROLES), 45),
                   Link("时限规则", "hotline_sla.index", frozenset({Role.ADMIN}), 90))
    operator = frozenset({Role.OPERATOR})  # the 12345 desk: its console and queues; departments: their queue
    register_links(app, WORK, Link("12345 话务受理台", "hotline.console", operator, 10),  # with live counts
                   Link("待受理（邮件/短信）", "hotline_inbox.index", operator, 10,
                        counts=lambda user, now: queue_count()),
                   Link("12345 派单队列", "hotline.dispatch_queue", operator, 11,
                        counts=lambda user, now: q.queue_count(q.in_queue(q.DISPATCH_QUEUE), now, "待派单")),
                   Link("12345 回访队列", "hotline.callbacks", operator, 12,
                        counts=lambda user, now: q.queue_count(q.in_queue(q.CALLBACK_QUEUE), now, "待回访")),
                   Link("12345 部门工单队列", "hotline.queue", STAFF_ROLES - operator, 20,
                        counts=lambda user, now: q.queue_count(q.in_queue(q.DEPARTMENT_QUEUE, user), now)))
    # filters staff save above their queues (core/saved_filters.py), checked by the queue's own rule
    register_queue("hotline_dispatch", "hotline.dispatch_queue", queue_filter)
    register_queue("hotline_queue", "hotline.queue", queue_filter)
    register_limit(app, "hotline_citizen.new", "submit", ["POST"])
    register_limit(app, "open311.create", "submit")
    register_limit(app, "hotline_citizen.lookup", "lookup")
    register_limit(app, "hotline_citizen.resend_code", "lookup")
    register_public_endpoints(app, "open311.discovery", "open311.services", "open311.service_definition",
                              "open311.requests_list", "open311.request_one", "open311.token")
