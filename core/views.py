"""Home page: citizens to their two services, staff to their queues with live counts; the header's work counts
refreshed by htmx; the site icon."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from core.db import utcnow

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    from core.templating import work_for
    role = current_user.role if current_user.is_authenticated else None
    return render_template("core/home.html", role=role, work=work_for(current_user, utcnow()))


@bp.get("/nav/work")
def nav_work() -> ResponseReturnValue:
    """The items of the header's 我的工作 menu with fresh counts (htmx, every minute), the summary out of band.
    Signed out meanwhile: 204, so htmx leaves the menu as it is (a redirect would swap the login page in)."""
    from core.templating import work_for
    if not current_user.is_authenticated:
        return "", 204
    work = work_for(current_user, utcnow())
    counted = [c for _, _, c in work if c is not None]
    return render_template("core/_nav_work_items.html", work=work, counted=counted, oob=True)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico on every page: the static icon (cached like every static file), which
    pages name too (<link rel=icon>)."""
    return redirect(url_for("static", filename="favicon.ico"))


@bp.get("/captcha")
def captcha() -> ResponseReturnValue:
    """A new captcha picture for a public form (htmx swaps it in for “换一张”)."""
    from core import captcha as c
    return render_template("core/_captcha.html", challenge=c.new_challenge(), captcha_error=None)
