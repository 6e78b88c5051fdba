"""Notification use cases: write notifications with the change that causes them, read the inbox, resend."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy import inspect as sa_inspect

from core import audit
from core.db import after_commit_once, unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Channel, Notification, Status
from core.notifications.templates import render

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from core.audit import Actor
    from core.auth.models import User


def notify(event: str, *, now: datetime, context: dict[str, Any], user: User | None = None, address: str | None = None,
           channels: Iterable[str] = ("inapp",), entity: tuple[str, int | str] | None = None,
           dedupe_key: str | None = None, headers: Mapping[str, str] | None = None) -> list[Notification]:
    """Add notifications of `event` to the current unit of work; email and SMS are delivered after commit.

    `user` gets in-app rows and, for email/SMS, their own address unless `address` is given
    (citizens without accounts). A channel with no address is skipped. `headers` (Message-ID, In-Reply-To,
    References) go on the e-mail only: a reply in a ticket's mail thread.
    """
    subject, body = render(event, context)
    kind, ident = entity if entity else (None, None)
    rows = []
    for channel in channels:
        channel = Channel(channel).value
        if channel == "inapp":
            if user is None:
                continue
            target = None
        else:
            target = address or (getattr(user, "email", None) if channel == "email" else getattr(user, "phone", None))
            if not target:
                continue
        key = f"{dedupe_key}:{channel}" if dedupe_key else None
        n = Notification(created_at=now, event=event, channel=channel, user_id=getattr(user, "id", None),
                         address=target, entity_kind=kind, entity_id=str(ident) if ident is not None else None,
                         subject=subject, body=body, attempts=0, dedupe_key=key,
                         headers=json.dumps(dict(headers)) if headers and channel == "email" else None,
                         status=Status.SENT.value if channel == "inapp" else Status.PENDING.value,
                         sent_at=now if channel == "inapp" else None,
                         next_attempt_at=None if channel == "inapp" else now)
        db.session.add(n)
        rows.append(n)
    outbox = [n for n in rows if n.channel != "inapp"]
    if outbox:
        after_commit_once(_Outbox).extend((n, now) for n in outbox)
    return rows


class _Outbox(list[tuple[Notification, datetime]]):
    """The email/SMS rows of one unit of work: delivered by one job after its commit (core/db.py after_commit_once;
    core/notifications/delivery.py claims them together and records each outcome on its own), with their ids known
    by then — no flush for them here."""

    def __call__(self) -> None:
        from core.jobs import dispatch
        from core.notifications.delivery import deliver_all
        by_time: dict[datetime, list[int]] = {}
        for n, now in self:
            identity: tuple[Any, ...] | None = sa_inspect(n).identity  # kept by the commit, which expires the row: no read
            if identity is not None:  # None: the row was taken back before the commit (nothing to send)
                by_time.setdefault(now, []).append(identity[0])
        for now, ids in by_time.items():
            dispatch(deliver_all, (ids, now), {}, "notifications")


def notify_current(event: str, *, now: datetime, user: User, context: dict[str, Any], key: str,
                   entity: tuple[str, int | str] | None = None) -> Notification:
    """One standing in-app notice per `key` and user, about an item that may change (a hot spot that gains
    tickets): written the first time; later rewritten with the new text, dated `now` and unread again — never
    a second notice about the same item."""
    dedupe = f"{key}:{user.id}"
    row = Notification.query.filter_by(dedupe_key=f"{dedupe}:inapp").first()
    if row is None:
        return notify(event, now=now, user=user, context=context, entity=entity, dedupe_key=dedupe)[0]
    row.subject, row.body = render(event, context)
    row.created_at, row.sent_at, row.read_at = now, now, None
    return row


def unread_count(user: User) -> int:
    return db.session.query(func.count(Notification.id)).filter(
        Notification.user_id == user.id, Notification.channel == "inapp", Notification.read_at.is_(None)).scalar()


def inbox(user: User, limit: int = 50) -> list[Notification]:
    return (Notification.query.filter_by(user_id=user.id, channel="inapp")
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).all())


def mark_read(user: User, *, now: datetime, notification_id: int | None = None) -> int:
    """Mark one (or every) in-app notification of the user as read; others' notifications are not found."""
    with unit_of_work():
        q = Notification.query.filter(Notification.user_id == user.id, Notification.channel == "inapp",
                                      Notification.read_at.is_(None))
        if notification_id is not None:
            q = q.filter(Notification.id == notification_id)
        return q.update({Notification.read_at: now}, synchronize_session=False)


def resend(notification: Notification, *, now: datetime, actor: Actor) -> None:
    """Put a failed email/SMS back into the outbox for a fresh series of tries."""
    from core.jobs import enqueue
    from core.notifications.delivery import deliver

    if notification.status != Status.FAILED.value:
        raise ValidationError("只能重发发送失败的通知")
    with unit_of_work():
        notification.status = Status.PENDING.value
        notification.attempts = 0
        notification.next_attempt_at = now
        audit.log_change(now=now, actor=actor, entity_kind="notification", entity_id=notification.id,
                     action="resend", before={"last_error": notification.last_error})
        enqueue(deliver, notification.id, now, queue="notifications")


def outbox_counts() -> dict[str, int]:
    rows = db.session.query(Notification.status, func.count(Notification.id)).filter(
        Notification.channel != "inapp").group_by(Notification.status).all()
    return {status: count for status, count in rows}


def retry_delay(attempts: int, schedule: Sequence[int]) -> timedelta:
    """Backoff before try number attempts+1: the configured schedule, its last step repeated."""
    return timedelta(seconds=schedule[min(attempts, len(schedule)) - 1])
