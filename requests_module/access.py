"""Who may see and act on an application: its citizen, lookups by secret, staff by department."""
from flask import abort, session

from core.auth.models import Role

LOOKUP_KEY = "looked_up_requests"


def grant_lookup(req):
    """Remember in the session that this visitor proved knowledge of the number and phone/ID."""
    ids = set(session.get(LOOKUP_KEY, []))
    ids.add(req.id)
    session[LOOKUP_KEY] = sorted(ids)[-20:]


def can_view(user, req):
    if user is not None and getattr(user, "is_authenticated", False):
        if user.role is Role.CITIZEN:
            return req.citizen_id == user.id or req.id in session.get(LOOKUP_KEY, [])
        if user.role.sees_all_departments:
            return True
        return req.department_id is not None and req.department_id == user.department_id
    return req.id in session.get(LOOKUP_KEY, [])


def require_view(user, req):
    if not can_view(user, req):
        abort(404)  # not 403: do not confirm that a guessed id exists


def can_handle(user, req):
    """Staff may act on their department's applications; intake (unassigned) is for supervisors/admins."""
    if user is None or not user.role.is_staff or user.role is Role.OPERATOR:
        return False
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return req.department_id is not None and req.department_id == user.department_id


def require_handle(user, req):
    if not can_handle(user, req):
        abort(403)
