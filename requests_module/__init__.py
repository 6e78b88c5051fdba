"""申请政府信息公开.

`init_app(app)` wires the disclosure workflow into an application (called from app.py): its tables,
blueprints, the periodic duty run after every deadline sweep, the calendar recompute hook of periods
from delivery, the sweep's intake recipients, the outcome labels the public log shows, and its links
(header, home page) and rate limits.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import requests_module.correction_models  # noqa: F401  (the tables, for the metadata)
    import requests_module.extension_models  # noqa: F401
    import requests_module.models  # noqa: F401
    from core.auth.models import Role
    from core.calendar.hooks import register_recompute
    from core.clocks.sweep import register_unassigned_recipients
    from core.jobs.periodic import register_periodic
    from core.limits import register_limit
    from core.notifications.links import register_overdue_list, register_target
    from core.saved_filters import register_queue
    from core.templating import NAV, STAFF_ROLES, WORK, Link, register_links
    from public_log.labels import register_labels
    from requests_module import periods, queries
    from requests_module.access import INTAKE
    from requests_module.api import bp as requests_api_bp
    from requests_module.citizen_views import bp as requests_bp
    from requests_module.common import ENTITY
    from requests_module.correction_api import bp as corrections_api_bp
    from requests_module.correction_models import ENTITY as CORRECTION
    from requests_module.correction_views import bp as corrections_bp
    from requests_module.correction_views import queue_filter as correction_queue_filter
    from requests_module.correction_views import staff_bp as corrections_staff_bp
    from requests_module.documents import follow_calendar
    from requests_module.lapses import expire_unanswered
    from requests_module.notice_links import application_page, correction_page, overdue_list
    from requests_module.outcomes import choices
    from requests_module.queries import queue_filter
    from requests_module.staff_views import bp as requests_staff_bp

    for bp in (requests_api_bp, requests_bp, requests_staff_bp, corrections_api_bp, corrections_bp,
               corrections_staff_bp):
        app.register_blueprint(bp)
    register_periodic(expire_unanswered, "期满视为放弃")  # applications whose period ran out unanswered are closed
    register_target(ENTITY, application_page)  # notifications link to the item's page
    register_target(CORRECTION, correction_page)
    register_overdue_list(ENTITY, "依申请公开超期清单", overdue_list)  # escalation digests link to it
    register_recompute(follow_calendar)  # periods from delivery follow an imported official year
    # Art. 31: an unconfirmed online application (and an unassigned one) alerts the 公开办 when its clock runs out
    register_unassigned_recipients(ENTITY, INTAKE)
    # pages quote the statutory periods from the one table, never as literals
    app.jinja_env.globals["disclosure_periods"] = periods
    register_labels("disclosure", types=choices)  # 办理结果 of the public log's disclosure records
    register_links(app, NAV, Link("申请政府信息公开", "requests.index", None, 10))
    # the 12345 desk never handles applications
    # with their live counts; the 公开办 (INTAKE) also receives and assigns the applications
    register_links(app, WORK, Link("依申请公开收件分办", "requests_staff.intake_queue", frozenset(INTAKE), 5,
                                   counts=lambda user, now: queries.queue_count(statuses=queries.INTAKE_STATUSES,
                                                                                now=now, label="待收件")),
                   Link("依申请公开办理队列", "requests_staff.queue", STAFF_ROLES - {Role.OPERATOR}, 10,
                        counts=lambda user, now: queries.queue_count(user=user, statuses=queries.HANDLING, now=now)))
    # filters staff save above their queues (core/saved_filters.py), checked by the queue's own rule
    register_queue("disclosure", "requests_staff.queue", queue_filter)
    register_queue("corrections", "corrections_staff.queue", correction_queue_filter)
    register_limit(app, "requests.new", "submit", ["POST"])
    register_limit(app, "corrections.new", "submit", ["POST"])  # Art. 41 correction requests: a form with uploads
    register_limit(app, "requests.lookup", "lookup")  # a tracking number plus an access code: no brute force
    register_limit(app, "requests.resend_code", "lookup")
