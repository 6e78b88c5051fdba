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
    """The staff member's own work, by role (the workflows register their queues, core/templating.py)."""
    from core.templating import WORK, links_for
    if role is None or not role.is_staff:
        return []
    return links_for(WORK, role)


@bp.get("/captcha")
def captcha() -> ResponseReturnValue:
    """A new captcha picture for a public form (htmx swaps it in for “换一张”)."""
    from core import captcha as c
    return render_template("core/_captcha.html", challenge=c.new_challenge(), captcha_error=None)
