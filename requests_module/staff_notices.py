"""In-app notices to the people who handle an application: its department's staff and approvers, or — while it
is not assigned — the intake roles (the 公开办: requests_module/access.py INTAKE), who assign it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.auth.models import Role, User
from core.notifications.service import notify
from requests_module.access import DEPARTMENT_ROLES, INTAKE, may_sign_off

if TYPE_CHECKING:
    from datetime import datetime

    from requests_module.models import DisclosureRequest


def handlers(department_id: int | None) -> list[User]:
    """Active staff and approvers of the department; with no department, the active intake users."""
    q = User.query.filter(User.active.is_(True))
    if department_id is None:
        q = q.filter(User.role.in_(list(INTAKE)))
    else:
        q = q.filter(User.department_id == department_id, User.role.in_(list(DEPARTMENT_ROLES)))
    return q.order_by(User.id).all()


def tell_handlers(department_id: int | None, event: str, *, now: datetime, context: dict[str, Any],
                  entity: tuple[str, int], skip: Any = None) -> None:
    """One in-app notification of `event` about `entity` to each handler (but `skip`, who acted), in the caller's
    unit of work."""
    for user in handlers(department_id):
        if skip is None or user.id != getattr(skip, "id", None):
            notify(event, now=now, user=user, context=context, entity=entity)


def signers(req: DisclosureRequest) -> list[User]:
    """The active users who may sign off the application's drafted reply (access.may_sign_off)."""
    q = User.query.filter(User.active.is_(True), User.role.in_([Role.APPROVER, Role.SUPERVISOR]))
    return [u for u in q.order_by(User.id).all() if may_sign_off(u, req)]


def tell_signers(req: DisclosureRequest, event: str, *, now: datetime, context: dict[str, Any],
                 entity: tuple[str, int]) -> None:
    """One in-app notification of `event` about `entity` to each who may sign off `req`, in the caller's unit of
    work."""
    for user in signers(req):
        notify(event, now=now, user=user, context=context, entity=entity)
