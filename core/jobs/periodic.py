"""Periodic jobs: the deadline sweep and outbox flush every minute, the nightly calendar check.

With Redis they run from RQ's own cron scheduler (`flask worker` starts it beside the worker);
without Redis (`make run` on a laptop) an in-process timer thread runs them.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.calendar.service import local_date
from core.clocks.models import SweepRun
from core.db import unit_of_work, utcnow
from core.extensions import db
from core.formats import detail_text
from core.jobs import job

if TYPE_CHECKING:
    from datetime import date, datetime
    from typing import Any

    from flask import Flask

log = logging.getLogger("jobs")

# Workflow modules add their own minute-by-minute duties (e.g. closing applications whose correction
# period ran out) without core importing them: fn(now) -> int, run after every deadline sweep, each on
# its own (one that raises is logged and counted as "failed"; the others still run).
PeriodicHook = Callable[["datetime"], int]
PERIODIC_HOOKS: list[PeriodicHook] = []
FAILED = "failed"
# What each count of a SweepRun is called on the jobs page: core's own here, each duty's from its registration.
COUNT_LABELS: dict[str, str] = {
    "clock_due_soon": "临期提醒", "clock_overdue": "超期提醒", "clock_escalated": "超期督办提醒",
    "reclaimed": "收回的中断发送", "dispatched": "交付发送", "year": "检查年份", "missing": "放假安排缺失",
    "warned": "已提醒管理员",
}


def register_periodic(fn: PeriodicHook, label: str | None = None) -> PeriodicHook:
    """Run `fn(now)` after every deadline sweep; `label` names its count on the jobs page."""
    if fn not in PERIODIC_HOOKS:
        PERIODIC_HOOKS.append(fn)
    if label:
        COUNT_LABELS[fn.__name__] = label
    return fn


def count_rows(counts: Any) -> list[tuple[str, str]]:
    """A run's counts as (label, text) for the jobs page: known names in Chinese, a failed duty as 失败, any
    other name shown as it is (never dropped)."""
    if not isinstance(counts, dict):
        return [("结果", detail_text(counts))] if detail_text(counts) else []
    return [(COUNT_LABELS.get(str(name), str(name)), "失败" if value == FAILED else detail_text(value) or "0")
            for name, value in counts.items()]


def _record(kind: str, now: datetime, started: datetime, counts: dict[str, Any]) -> None:
    with unit_of_work():
        db.session.add(SweepRun(kind=kind, now=now, started_at=started, finished_at=utcnow(), counts=counts))


def run_duties(now: datetime) -> dict[str, int | str]:
    """Every registered duty at `now`: its count by name, or FAILED when it raised (logged with its name;
    its unit of work rolled back, the next duty runs all the same)."""
    counts: dict[str, int | str] = {}
    for hook in PERIODIC_HOOKS:
        try:
            counts[hook.__name__] = hook(now)
        except Exception:  # noqa: BLE001 - one broken duty must not stop the others
            db.session.rollback()
            log.exception("periodic duty %s failed", hook.__name__)
            counts[hook.__name__] = FAILED
    return counts


@job
def deadline_sweep(now: datetime | None = None) -> dict[str, int | str]:
    """The clock sweep, then every registered duty; one SweepRun records both counts (/admin/jobs/)."""
    from core.clocks.sweep import run_sweep
    now, started = now or utcnow(), utcnow()
    counts: dict[str, int | str] = {**run_sweep(now), **run_duties(now)}
    _record("deadline_sweep", now, started, counts)
    return counts


@job
def outbox_flush(now: datetime | None = None) -> dict[str, int]:
    from core.notifications.delivery import flush_outbox
    now, started = now or utcnow(), utcnow()
    counts = flush_outbox(now)
    _record("outbox_flush", now, started, counts)
    return counts


@job
def calendar_check(now: datetime | None = None) -> dict[str, Any]:
    """In November and December, warn admins (once a day) when next year's official calendar is missing."""
    from core.auth.models import Role, User
    from core.calendar.models import CalendarYear
    from core.notifications.service import notify

    now, started = now or utcnow(), utcnow()
    today = local_date(now)
    counts = {"year": today.year + 1, "missing": False, "warned": 0}
    if today.month >= 11 and db.session.get(CalendarYear, today.year + 1) is None:
        counts["missing"] = True
        from core.notifications.models import Notification
        with unit_of_work():
            for admin in User.query.filter_by(role=Role.ADMIN, active=True):
                key = f"calendar_missing:{today.year + 1}:{today.isoformat()}:{admin.id}"
                if Notification.query.filter(Notification.dedupe_key.like(key + ":%")).first():
                    continue
                notify("calendar_missing", now=now, user=admin, channels=("inapp", "email"),
                       context={"year": today.year + 1}, entity=("calendar", today.year + 1), dedupe_key=key)
                counts["warned"] += 1
    _record("calendar_check", now, started, counts)
    return counts


def register_cron(scheduler: Any) -> None:
    """Register the periodic jobs with an rq.cron.CronScheduler."""
    scheduler.register(deadline_sweep, "default", interval=60, job_timeout=600)
    scheduler.register(outbox_flush, "notifications", interval=60, job_timeout=600)
    scheduler.register(calendar_check, "default", cron="30 1 * * *")


class EmbeddedScheduler(threading.Thread):
    """The laptop mode of the same periodic jobs: a daemon thread, one run a minute."""

    def __init__(self, app: Flask, interval: int = 60) -> None:
        super().__init__(name="embedded-scheduler", daemon=True)
        self.app, self.interval, self.stopping = app, interval, threading.Event()
        self._last_check: date | None = None

    def run_once(self, now: datetime) -> None:
        with self.app.app_context():
            deadline_sweep(now)
            outbox_flush(now)
            if self._last_check != now.date():
                calendar_check(now)
                self._last_check = now.date()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.run_once(utcnow())
            except Exception:  # noqa: BLE001 - keep the thread alive; the next minute tries again
                log.exception("periodic jobs failed")
            self.stopping.wait(self.interval)


# The periodic duties a SweepRun records (its `kind`), as the jobs admin page names them.
RUN_KINDS = {"deadline_sweep": "期限巡检", "outbox_flush": "发件箱补发", "calendar_check": "日历检查"}


def last_runs(limit: int = 10) -> list[SweepRun]:
    return SweepRun.query.order_by(SweepRun.started_at.desc(), SweepRun.id.desc()).limit(limit).all()

