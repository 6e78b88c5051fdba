"""Where a notification about an application or a correction request leads (core/notifications/links.py):
staff to the handling page, the applicant to their status page. The page decides who may see it."""
from __future__ import annotations

from typing import Any

from flask import url_for


def _staff(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.role.is_staff


def application_page(user: Any, request_id: int) -> str:
    """The handling page for staff, the applicant's status page for everyone else."""
    if _staff(user):
        return url_for("requests_staff.detail", request_id=request_id)
    return url_for("requests.show", request_id=request_id)


def correction_page(user: Any, correction_id: int) -> str:
    """A correction request (条例 Art. 41): the deciding organ's page for staff, the applicant's page otherwise."""
    if _staff(user):
        return url_for("corrections_staff.detail", correction_id=correction_id)
    return url_for("corrections.show", correction_id=correction_id)


def overdue_list(user: Any) -> str | None:
    """The staff queue filtered to 超期 applications (what the user may see there is the queue's own rule)."""
    return url_for("requests_staff.queue", urgency="overdue") if _staff(user) else None
