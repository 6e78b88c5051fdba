"""Home page: citizens to their two services, staff to their queues."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, render_template
from flask_login import current_user

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

    from core.auth.models import Role

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    role = current_user.role if current_user.is_authenticated else None
    return render_template("core/home.html", role=role, work=_work_links(role))


def _work_links(role: Role | None) -> list[tuple[str, str]]:
    """The staff member's own work, by role: the 12345 desk never handles applications (its links are the
    console and its queues); department staff and oversight have both queues."""
    from core.auth.models import Role
    if role is None or not role.is_staff:
        return []
    if role is Role.OPERATOR:
        work = [("12345 话务受理台", "hotline.console"), ("12345 派单队列", "hotline.dispatch_queue"),
                ("12345 回访队列", "hotline.callbacks")]
    else:
        work = [("依申请公开办理队列", "requests_staff.queue"), ("12345 部门工单队列", "hotline.queue")]
    return work + [("工作日历与期限计算", "calendar.index"), ("部门与职责", "departments.index")]


@bp.get("/captcha")
def captcha() -> ResponseReturnValue:
    """A new captcha picture for a public form (htmx swaps it in for “换一张”)."""
    from core import captcha as c
    return render_template("core/_captcha.html", challenge=c.new_challenge(), captcha_error=None)
