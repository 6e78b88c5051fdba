"""Jobs the worker tests enqueue (importable by the worker process, as RQ needs)."""
import sqlalchemy as sa

from core.extensions import db
from core.jobs import job
from core.notifications.models import Notification


@job
def status_of(notification_id: int) -> str:
    """Reads a row and commits nothing, as a read-only job does."""
    return db.session.get(Notification, notification_id).status


@job
def broken_query() -> None:
    """A job whose statement fails (outside any unit of work, so nothing rolls its session back)."""
    db.session.execute(sa.text("SELECT * FROM no_such_table"))
