"""Template helpers: the navigation each role sees and date formatting in Chinese."""

from flask import Flask, url_for
from flask_login import current_user

from core.auth.models import Role
from core.formats import local_datetime, zh_date
from core.worktime.urgency import Urgency

NAV = [
    # (label, endpoint, roles allowed; None = everyone)
    ("申请政府信息公开", "requests.index", None),
    ("12345 诉求", "hotline.index", None),
    ("公开答复库", "public_log.index", None),
    ("公开审查", "public_review.queue", {Role.APPROVER, Role.SUPERVISOR, Role.ADMIN}),
    ("年度报表", "reports.disclosure_index", {Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN}),
    ("公开办理数据", "reports.disclosure_dashboard", {Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN}),
    ("热线数据", "reports.hotline_dashboard", {Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN}),
    ("热线知识库", "hotline_kb.index", {r for r in Role if r.is_staff}),
    ("部门", "departments.index", {r for r in Role if r.is_staff}),
    ("工作日历", "calendar.index", {r for r in Role if r.is_staff}),
    ("任务与发件箱", "jobs_admin.index", {Role.ADMIN, Role.SUPERVISOR}),
    ("时限规则", "hotline_sla.index", {Role.ADMIN}),
]


def nav_items() -> list[tuple[str, str]]:
    role = current_user.role if current_user.is_authenticated else None
    return [(label, url_for(ep)) for label, ep, roles in NAV if roles is None or role in roles]


WEEKDAYS = "一二三四五六日"


def unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    from core.notifications.service import unread_count
    return unread_count(current_user)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.filters["zh_date"] = zh_date
    app.jinja_env.filters["zh_weekday"] = lambda d: "星期" + WEEKDAYS[d.weekday()]
    app.jinja_env.filters["urgency"] = Urgency  # "due_soon"|urgency → .label 临期, .badge (API values to the badge)
    app.jinja_env.globals["urgency_levels"] = list(Urgency)
