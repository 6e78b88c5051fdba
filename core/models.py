"""Imports every model of core so the metadata is complete (one import for Alembic and tests)."""
from core.audit import AuditEvent  # noqa: F401
from core.auth.models import ApiToken, User  # noqa: F401
from core.calendar.models import CalendarDay, CalendarVersion, CalendarYear  # noqa: F401
from core.clocks.models import Clock, SweepRun  # noqa: F401
from core.departments.models import Department  # noqa: F401
from core.handoff import Handoff  # noqa: F401
from core.idempotency import IdempotencyKey  # noqa: F401
from core.notifications.models import Notification  # noqa: F401
from core.pending_uploads import PendingUpload  # noqa: F401
