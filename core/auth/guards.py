"""Role guards used by every staff view and API endpoint."""
from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from flask import abort, g, request
from flask_login import current_user

from core.auth.models import STAFF_ROLES, Role

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from core.auth.models import User


def _current() -> User | None:
    """The user of this request: the API token's user, else the session user."""
    user = g.get("api_user")
    if user is not None:
        return user
    return current_user if current_user.is_authenticated else None


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow only the given roles; anonymous page visitors go to login, API callers get 401."""
    allowed = {Role(r) if not isinstance(r, Role) else r for r in roles} or set(STAFF_ROLES)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = _current()
            if user is None:
                if request.path.startswith("/api/"):
                    abort(401)
                from core.extensions import login_manager
                return login_manager.unauthorized()
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]  # read by the route-access test
        return wrapped

    return decorator


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    return roles_required(*STAFF_ROLES)(view)

