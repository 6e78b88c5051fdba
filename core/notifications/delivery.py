"""Delivery jobs: each email/SMS is claimed before it is sent, so a job that runs twice sends once;
failures retry with backoff and end as failed with the error; the flush re-queues what is due."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

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


def _claim(notification_ids: list[int], now: datetime) -> list[Notification]:
    """Claim, in one statement, those of the rows that are pending and due (a row another job claimed, sent or
    failed is left alone: a job that runs twice sends once), oldest first; they are returned detached, with the
    values the claim wrote, to be sent without being read again."""
    with unit_of_work():
        rows = db.session.execute(
            update(Notification)
            .where(Notification.id.in_(notification_ids), Notification.status == Status.PENDING.value,
                   or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now))
            .values(status=Status.SENDING.value, claimed_at=now, attempts=Notification.attempts + 1)
            .returning(Notification), execution_options={"populate_existing": True}).scalars().all()
        for row in rows:
            db.session.expunge(row)  # not expired by the commit: sent as claimed
    return sorted(rows, key=lambda n: n.id)


def claim_timeout() -> timedelta:
    """How long a claim holds (NOTIFY_SENDING_TIMEOUT): an older one is a worker that died, and the flush takes
    it back (flush_outbox); a job's own row past it is looked at again before its send (_still_claimed)."""
    return timedelta(seconds=current_app.config["NOTIFY_SENDING_TIMEOUT"])


def _still_claimed(n: Notification, now: datetime) -> bool:
    """Whether the job still holds its claim on `n` when its turn to be sent comes. The outbox flush takes back a
    claim older than NOTIFY_SENDING_TIMEOUT (by its `now`, a worker that died) and gives the row to another job;
    a row claimed with the others of its job waits for their sends, so once that time has passed the row is looked
    at again: still sending, with the attempt and the time of this claim (a resend starts the attempts anew).
    Before it no flush can have taken it back (no read)."""
    if utcnow() <= now + claim_timeout():  # `now` is the claim's claimed_at
        return True
    with unit_of_work():
        return db.session.query(Notification.id).filter(
            Notification.id == n.id, Notification.status == Status.SENDING.value,
            Notification.attempts == n.attempts, Notification.claimed_at == n.claimed_at).first() is not None


def _send(n: Notification, now: datetime) -> str:
    """Hand one claimed row to its channel and record the outcome at once, in its own commit: a row sent is
    marked sent before the next is tried (a slow gateway for the next never leaves it claimed as unsent)."""
    cfg = current_app.config
    try:
        adapter_for(n.channel).send(n)
    except Exception as exc:  # noqa: BLE001 - any adapter failure is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        failed = n.attempts >= cfg["NOTIFY_MAX_ATTEMPTS"]
        values = ({"status": Status.FAILED.value, "next_attempt_at": None} if failed else
                  {"status": Status.PENDING.value,
                   "next_attempt_at": now + retry_delay(n.attempts, cfg["NOTIFY_RETRY_SECONDS"])})
        with unit_of_work():
            db.session.execute(update(Notification).where(Notification.id == n.id)
                               .values(last_error=error, **values))
        log.warning("notification %s try %s failed: %s", n.id, n.attempts, error)
        return "failed" if failed else "retry"
    with unit_of_work():
        db.session.execute(update(Notification).where(Notification.id == n.id)
                           .values(status=Status.SENT.value, sent_at=utcnow(), last_error=None))  # the real moment
    return "sent"


@job
def deliver(notification_id: int, now: datetime) -> str:
    """Send one pending email/SMS once; returns sent, retry, failed or skipped.

    `now` is the time of whoever enqueued the delivery (the change or the flush): a row becomes
    claimable at next_attempt_at, and a retry is scheduled from it."""
    return deliver_all([notification_id], now)[0]


@job
def deliver_all(notification_ids: list[int], now: datetime) -> list[str]:
    """Deliver the email/SMS rows one unit of work wrote (core/notifications/service.py notify), or one row
    (`deliver`): claimed together in one statement, then each sent and its outcome recorded on its own. The
    outcome of each id, in the order given: sent, retry, failed, or skipped (not claimable: already sent, being
    sent, failed, or not yet due; or its claim taken back by the flush before its turn came)."""
    outcome = {n.id: _send(n, now) for n in _claim(list(notification_ids), now) if _still_claimed(n, now)}
    return [outcome.get(i, "skipped") for i in notification_ids]


def flush_outbox(now: datetime, batch: int = 1000) -> dict[str, int]:
    """Re-queue stale claims (a worker died mid-send) and dispatch every email/SMS that is due."""
    with unit_of_work():
        reclaimed = db.session.execute(
            update(Notification)
            .where(Notification.status == Status.SENDING.value, Notification.claimed_at < now - claim_timeout())
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
