"""Official contact data is not personal data (issue 13): the departments' phone numbers (a phone
field may hold several, separated by 、 , ; or /) and the domains of their mailboxes, besides any
*.gov.cn address. Read afresh for every masking, so an edited department takes effect at once."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.departments.models import Department
from core.extensions import db
from public_log.masking import official_from

if TYPE_CHECKING:
    from public_log.masking import Official


def official_contacts() -> Official:
    rows = db.session.query(Department.phone, Department.email).filter(Department.active.is_(True)).all()
    return official_from(phones=[phone for phone, _ in rows], emails=[email for _, email in rows])
