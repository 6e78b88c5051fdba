"""公开答复库: pages of this module (the workflow itself arrives with its own issue)."""
from flask import Blueprint, render_template

bp = Blueprint("public_log", __name__, url_prefix="/log")


@bp.get("/")
def index():
    return render_template("public_log/index.html")
