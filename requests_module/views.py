"""申请政府信息公开: pages of this module (the workflow itself arrives with its own issue)."""
from flask import Blueprint, render_template

bp = Blueprint("requests", __name__, url_prefix="/requests")


@bp.get("/")
def index():
    return render_template("requests/index.html")
