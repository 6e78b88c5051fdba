"""The 督办单 list: open, overdue and escalated orders for supervisors; a department's own for its staff."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from core.auth.guards import roles_required
from core.auth.models import Role
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db
from hotline import supervision
from hotline.models import Ticket

bp = Blueprint("hotline_supervision", __name__, url_prefix="/hotline/supervision")
ROLES = (Role.SUPERVISOR, Role.ADMIN, Role.STAFF, Role.APPROVER)


@bp.get("")
@roles_required(*ROLES)
def index():
    now, state = utcnow(), request.args.get("state") or "open"
    if state not in supervision.FILTERS:
        raise ValidationError("筛选条件无效：应为待反馈、反馈超期、已升级或全部", field="state")
    orders = supervision.listing(current_user, state=state, now=now)
    rows = [(o, supervision.clock_of(o), supervision.state_of(o, now)) for o in orders]
    numbers = dict(db.session.query(Ticket.id, Ticket.number).filter(Ticket.id.in_({o.ticket_id for o in orders})))
    return render_template("hotline/supervision.html", rows=rows, numbers=numbers, state=state, filters=supervision.FILTERS,
                           badge=supervision.state_badge, own=current_user.role in (Role.STAFF, Role.APPROVER))
