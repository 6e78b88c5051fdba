"""12345 诉求: pages of this module (the workflow itself arrives with its own issue)."""
from flask import Blueprint, render_template

bp = Blueprint("hotline", __name__, url_prefix="/hotline")


@bp.get("/")
def index():
    return render_template("hotline/index.html")
