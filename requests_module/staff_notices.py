"""In-app notices to the people who handle an application: its department's staff and approvers, or — while it
is not assigned — the intake roles (the 公开办: requests_module/access.py INTAKE), who assign it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.auth.models import User
from core.notifications.service import notify
from requests_module.access import DEPARTMENT_ROLES, INTAKE

if TYPE_CHECKING:
    from datetime import datetime


def handlers(department_id: int | None) -> list[User]:
    """Active staff and approvers of the department; with no department, the active intake users."""
    q = User.query.filter(User.active.is_(True))
    if department_id is None:
        q = q.filter(User.role.in_(list(INTAKE)))
    else:
        q = q.filter(User.department_id == department_id, User.role.in_(list(DEPARTMENT_ROLES)))
    return q.order_by(User.id).all()


def tell_handlers(department_id: int | None, event: str, *, now: datetime, context: dict[str, Any],
                  entity: tuple[str, int]) -> None:
    """One in-app notification of `event` about `entity` to each handler, in the caller's unit of work."""
    for user in handlers(department_id):
        notify(event, now=now, user=user, context=context, entity=entity)
