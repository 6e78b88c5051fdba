"""The deadline sweep job: the clock sweep, then every registered duty, each on its own (one that raises
is logged by name and counted as failed; the next still runs); one SweepRun per run records the clocks'
and the duties' counts, as /admin/jobs/ shows them."""
import logging
from datetime import timedelta

import pytest

from core.clocks.models import SweepRun
from core.db import unit_of_work
from core.extensions import db
from core.jobs import periodic
from core.jobs.periodic import deadline_sweep
from tests.conftest import at, login, make_user
from tests.core.test_sweep import start

CLOCK_COUNTS = {"clock_due_soon", "clock_overdue", "clock_escalated"}


def broken_duty(now):
    with unit_of_work():
        db.session.add(SweepRun(kind="half_done", now=now, started_at=now, finished_at=now, counts={}))
        raise RuntimeError("boom")  # its unit of work rolls back


@pytest.fixture
def duties(monkeypatch):
    ran = []

    def first_duty(now):
        ran.append("first")
        return 2

    def last_duty(now):
        ran.append("last")
        return 1

    monkeypatch.setattr(periodic, "PERIODIC_HOOKS", [first_duty, broken_duty, last_duty])
    return ran


def test_every_deadline_sweep_is_recorded_once_with_its_counts(seeded, duties):
    make_user("approver", "a@x.cn", department="mzj")
    start("1")
    start("2")
    now = at(2026, 10, 27, 9)
    first, second = deadline_sweep(now), deadline_sweep(now)
    deadline_sweep(now + timedelta(hours=1))
    assert first["clock_due_soon"] == 2 and second["clock_due_soon"] == 0
    runs = SweepRun.query.filter_by(kind="deadline_sweep").order_by(SweepRun.id).all()
    assert len(runs) == 3
    assert [r.counts for r in runs[:2]] == [first, second]
    assert set(runs[0].counts) == CLOCK_COUNTS | {"first_duty", "broken_duty", "last_duty"}
    assert runs[0].now == now


def test_a_duty_that_raises_does_not_stop_the_next_and_is_recorded_as_failed(seeded, duties, caplog):
    with caplog.at_level(logging.ERROR, logger="jobs"):
        counts = deadline_sweep(at(2026, 10, 27, 9))
    assert duties == ["first", "last"]
    assert counts["first_duty"] == 2 and counts["last_duty"] == 1 and counts["broken_duty"] == "failed"
    assert SweepRun.query.filter_by(kind="deadline_sweep").one().counts == counts
    assert any("broken_duty" in r.getMessage() and r.exc_info for r in caplog.records)
    assert SweepRun.query.filter_by(kind="half_done").count() == 0


def test_the_jobs_page_shows_the_duties_counts(client, seeded, duties):
    deadline_sweep(at(2026, 10, 27, 9))
    make_user("admin", "admin@x.cn")
    login(client, "admin@x.cn")
    html = client.get("/admin/jobs/").get_data(as_text=True)
    # unlabelled duties under their own names, a failed one as 失败, the sweep's own counts in Chinese
    assert "first_duty：2" in html and "broken_duty：失败" in html and "临期提醒：0" in html
