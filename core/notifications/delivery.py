"""Delivery jobs: each email/SMS is claimed before it is sent, so a job that runs twice sends once;
failures retry with backoff and end as failed with the error; the flush re-queues what is due."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from flask import current_app
from sqlalchemy import or_, update

from core.db import unit_of_work, utcnow
from core.extensions import db
from core.jobs import dispatch, job
from core.notifications.channels import adapter_for
from core.notifications.models import Notification, Status
from core.notifications.service import retry_delay

if TYPE_CHECKING:
    from datetime import datetime

log = logging.getLogger("notifications")


def _claim(notification_id: int, now: datetime) -> bool:
    with unit_of_work():
        result = db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == Status.PENDING.value,
                   or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now))
            .values(status=Status.SENDING.value, claimed_at=now, attempts=Notification.attempts + 1))
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE: CursorResult


@job
def deliver(notification_id: int, now: datetime) -> str:
    """Send one pending email/SMS once; returns sent, retry, failed or skipped.

    `now` is the time of whoever enqueued the delivery (the change or the flush): a row becomes
    claimable at next_attempt_at, and a retry is scheduled from it."""
    if not _claim(notification_id, now):
        return "skipped"  # already sent, being sent, failed, or not yet due
    n = cast(Notification, db.session.get(Notification, notification_id, populate_existing=True))  # claimed: it exists
    cfg = current_app.config
    try:
        adapter_for(n.channel).send(n)
    except Exception as exc:  # noqa: BLE001 - any adapter failure is recorded and retried
        with unit_of_work():
            n.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if n.attempts >= cfg["NOTIFY_MAX_ATTEMPTS"]:
                n.status, n.next_attempt_at = Status.FAILED.value, None
            else:
                n.status = Status.PENDING.value
                n.next_attempt_at = now + retry_delay(n.attempts, cfg["NOTIFY_RETRY_SECONDS"])
        log.warning("notification %s try %s failed: %s", n.id, n.attempts, n.last_error)
        return "failed" if n.status == Status.FAILED.value else "retry"
    with unit_of_work():
        n.status, n.sent_at, n.last_error = Status.SENT.value, utcnow(), None  # the real moment it left
    return "sent"


@job
def deliver_all(notification_ids: list[int], now: datetime) -> list[str]:
    """Deliver the email/SMS rows one unit of work wrote (core/notifications/service.py notify): one job, each row
    claimed and sent on its own as `deliver` does."""
    return [deliver(notification_id, now) for notification_id in notification_ids]


def flush_outbox(now: datetime, batch: int = 1000) -> dict[str, int]:
    """Re-queue stale claims (a worker died mid-send) and dispatch every email/SMS that is due."""
    timeout = timedelta(seconds=current_app.config["NOTIFY_SENDING_TIMEOUT"])
    with unit_of_work():
        reclaimed = db.session.execute(
            update(Notification)
            .where(Notification.status == Status.SENDING.value, Notification.claimed_at < now - timeout)
            .values(status=Status.PENDING.value, next_attempt_at=now)).rowcount  # type: ignore[attr-defined]
    dispatched, last = 0, None
    while True:
        q = (db.session.query(Notification.id, Notification.next_attempt_at)
             .filter(Notification.status == Status.PENDING.value, Notification.next_attempt_at <= now)
             .order_by(Notification.next_attempt_at, Notification.id))
        if last is not None:
            q = q.filter(or_(Notification.next_attempt_at > last[1],
                             (Notification.next_attempt_at == last[1]) & (Notification.id > last[0])))
        rows = q.limit(batch).all()
        if not rows:
            break
        for row in rows:
            dispatch(deliver, (row.id, now), {}, "notifications")
        dispatched += len(rows)
        last = (rows[-1].id, rows[-1].next_attempt_at)
    return {"reclaimed": reclaimed, "dispatched": dispatched}
