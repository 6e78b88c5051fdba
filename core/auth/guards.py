"""Role guards used by every staff view and API endpoint."""
from functools import wraps

from flask import abort, g, request
from flask_login import current_user

from core.auth.models import STAFF_ROLES, Role


def _current():
    """The user of this request: the API token's user, else the session user."""
    user = g.get("api_user")
    if user is not None:
        return user
    return current_user if current_user.is_authenticated else None


def roles_required(*roles):
    """Allow only the given roles; anonymous page visitors go to login, API callers get 401."""
    allowed = {Role(r) if not isinstance(r, Role) else r for r in roles} or set(STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = _current()
            if user is None:
                if request.path.startswith("/api/"):
                    abort(401)
                from core.extensions import login_manager
                return login_manager.unauthorized()
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


def staff_required(view):
    return roles_required(*STAFF_ROLES)(view)

