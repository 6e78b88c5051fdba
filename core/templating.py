"""Template helpers: the navigation each role sees and date formatting in Chinese."""
from flask import url_for
from flask_login import current_user

from core.auth.models import Role

NAV = [
    # (label, endpoint, roles allowed; None = everyone)
    ("申请政府信息公开", "requests.index", None),
    ("12345 诉求", "hotline.index", None),
    ("公开答复库", "public_log.index", None),
    ("部门", "departments.index", {r for r in Role if r.is_staff}),
    ("工作日历", "calendar.index", {r for r in Role if r.is_staff}),
]


def nav_items():
    role = current_user.role if current_user.is_authenticated else None
    return [(label, url_for(ep)) for label, ep, roles in NAV if roles is None or role in roles]


def zh_date(d):
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


WEEKDAYS = "一二三四五六日"


def register_template_helpers(app):
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.filters["zh_date"] = zh_date
    app.jinja_env.filters["zh_weekday"] = lambda d: "星期" + WEEKDAYS[d.weekday()]
