"""Home page: citizens to their two services, staff to their queues."""
from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    role = current_user.role if current_user.is_authenticated else None
    return render_template("core/home.html", role=role)


@bp.get("/captcha")
def captcha():
    """A new captcha picture for a public form (htmx swaps it in for “换一张”)."""
    from core import captcha as c
    return render_template("core/_captcha.html", challenge=c.new_challenge(), captcha_error=None)
