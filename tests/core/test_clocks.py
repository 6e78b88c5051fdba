"""Persistent clocks: start, pause/resume, restart, extend, stop with frozen verdicts, calendar follow-up."""
from datetime import date

import pytest

from core.audit import AuditEvent
from core.calendar import service as calendar_service
from core.calendar.parsing import parse_csv
from core.clocks import service as clocks
from core.clocks.models import Clock
from core.db import unit_of_work
from core.errors import ValidationError
from core.worktime import Urgency
from tests.conftest import at


def start(**kw):
    defaults = dict(entity_kind="test", entity_id="1", name="answer", unit="workdays", length=20,
                    now=at(2026, 9, 28, 10), actor="test", start_on=date(2026, 9, 28), label="YSQ-2026-000001")
    defaults.update(kw)
    with unit_of_work():
        return clocks.start_clock(**defaults)


def test_working_day_clock_due_and_urgency(seeded):
    c = start()
    assert c.due_on == date(2026, 10, 30) and not c.provisional
    assert c.due_at == at(2026, 10, 30, 23, 59).replace(second=59, microsecond=999999)
    assert c.warn_at == at(2026, 10, 27)  # three working days left from 10/27
    assert clocks.urgency_of(c, at(2026, 10, 26, 18)) is Urgency.NORMAL
    assert clocks.urgency_of(c, at(2026, 10, 27, 0)) is Urgency.DUE_SOON
    assert clocks.urgency_of(c, at(2026, 10, 31, 0)) is Urgency.OVERDUE
    assert AuditEvent.query.filter_by(entity_kind="clock", entity_id=str(c.id), action="start").count() == 1


def test_consultation_pause_moves_due_by_working_days(seeded):
    c = start(start_on=date(2026, 11, 2), now=at(2026, 11, 2, 9))
    assert c.due_on == date(2026, 11, 30)
    with unit_of_work():
        clocks.pause_clock(c, now=at(2026, 11, 4, 9), actor="t", on=date(2026, 11, 4))
    assert clocks.urgency_of(c, at(2026, 12, 30)) is Urgency.NORMAL  # paused work is never overdue
    with unit_of_work():
        clocks.resume_clock(c, now=at(2026, 11, 10, 9), actor="t", on=date(2026, 11, 10))
    assert c.due_on == date(2026, 12, 4)  # 11/5, 6, 9, 10 not counted: four working days later
    with pytest.raises(clocks.ClockStateError):
        clocks.resume_clock(c, now=at(2026, 11, 11), actor="t")


def test_correction_restarts_the_period_from_the_day_received(seeded):
    c = start(start_on=date(2026, 11, 2), now=at(2026, 11, 2, 9))
    with unit_of_work():
        clocks.pause_clock(c, now=at(2026, 11, 3), actor="t", on=date(2026, 11, 3))
        clocks.restart_clock(c, now=at(2026, 11, 16, 9), actor="t", start_on=date(2026, 11, 16))
    assert c.due_on == date(2026, 12, 14) and c.state == "running"  # 11/16 + 20 working days


def test_extension_and_its_bound(seeded):
    c = start()
    with unit_of_work():
        clocks.extend_clock(c, 20, now=at(2026, 10, 20), actor="t", maximum=20)
    assert c.due_on == date(2026, 11, 27)
    with pytest.raises(ValidationError, match="延期合计不能超过 20"):
        clocks.extend_clock(c, 1, now=at(2026, 10, 21), actor="t", maximum=20)


def test_stop_freezes_the_verdict(seeded):
    early, late = start(entity_id="a"), start(entity_id="b")
    with unit_of_work():
        assert clocks.stop_clock(early, now=at(2026, 10, 30, 23, 0), actor="t") is True
        assert clocks.stop_clock(late, now=at(2026, 10, 31, 0, 1), actor="t") is False
    with unit_of_work():
        with pytest.raises(clocks.ClockStateError, match="已停止"):
            clocks.pause_clock(early, now=at(2026, 11, 1), actor="t")
    # A later calendar change never touches a stopped clock's verdict.
    calendar_service.import_official(parse_csv("2026-10-30,workday,x\n2026-10-29,holiday,x\n"),
                                     origin="t", now=at(2026, 11, 2), actor="t")
    assert Clock.query.filter_by(entity_id="b").one().on_time is False
    assert Clock.query.filter_by(entity_id="a").one().due_on == date(2026, 10, 30)


def test_working_hour_and_wall_clocks(seeded):
    sign = start(name="sign_for", unit="workhours", length=2, now=at(2026, 9, 30, 16), start_on=None)
    assert sign.due_at == at(2026, 10, 8, 9)
    # Lead: half of the 2 hours; the last working hour starts at 17:00 on 9/30 (30 min) and runs into 10/8.
    assert sign.warn_at == at(2026, 9, 30, 17, 0)
    urgent = start(name="dispatch", unit="wall", length=0.5, now=at(2026, 10, 1, 23, 50), start_on=None)
    assert urgent.due_at == at(2026, 10, 2, 0, 20) and urgent.warn_at == at(2026, 10, 2, 0, 5)
    with unit_of_work():
        clocks.pause_clock(urgent, now=at(2026, 10, 2, 0, 0), actor="t")
        clocks.resume_clock(urgent, now=at(2026, 10, 2, 0, 10), actor="t")
    assert urgent.due_at == at(2026, 10, 2, 0, 30)


def test_bad_definitions(seeded):
    for bad in (dict(length=0), dict(length=-3), dict(length=2.5), dict(length=5000)):
        with pytest.raises(ValidationError):
            start(**bad)
    with pytest.raises(ValueError):
        start(unit="fortnights")


def test_calendar_import_recomputes_open_clocks_and_reports(seeded):
    opened = [start(entity_id=str(i), start_on=date(2027, 2, 1), now=at(2027, 2, 1, 9)) for i in range(3)]
    stopped = start(entity_id="done", start_on=date(2027, 2, 1), now=at(2027, 2, 1, 9))
    with unit_of_work():
        clocks.stop_clock(stopped, now=at(2027, 2, 2), actor="t")
    provisional_due = opened[0].due_on
    assert opened[0].provisional
    report = calendar_service.import_official(parse_csv(
        "2027-02-05,holiday,春节\n2027-02-08,holiday,春节\n2027-02-09,holiday,春节\n2027-02-10,holiday,春节\n2027-02-11,holiday,春节\n"
        "2027-02-12,holiday,春节\n2027-02-20,workday,春节\n"), origin="t", now=at(2027, 2, 1, 12), actor="t")
    assert report.changed_items == 3
    fresh = Clock.query.filter_by(entity_id="0").one()
    assert not fresh.provisional and fresh.due_on != provisional_due
    assert fresh.due_on == calendar_service.get_calendar().add_workdays(date(2027, 2, 1), 20)
    assert AuditEvent.query.filter_by(entity_kind="clock", action="recompute").count() == 3
    assert Clock.query.filter_by(entity_id="done").one().due_on == stopped.due_on
