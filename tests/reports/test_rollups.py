"""The hotline dashboard from daily roll-ups (reports/rollups.py) equals the count from the raw rows
(`use_rollups=False`, the reference): every measure, every department, the ranking, the assessment, the
day series and the rising categories — after a rebuild, after late changes to closed days (a late
callback, a reopening, a reassignment, a late reply) and after the periodic job rolled them up again."""
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from hotline import callback, handling, intake, reply, returns
from hotline.models import Ticket
from reports import presenter, rollups
from reports.hotline_assessment import assess
from reports.hotline_measures import overview, rank, rising_categories
from reports.models import Rollup
from tests.conftest import at, make_user
from tests.reports.hotline_helpers import dep, new
from tests.reports.test_hotline_measures import NOW, week  # noqa: F401  (fixture)

START, END = date(2026, 11, 14), date(2026, 11, 27)  # NOW's day (11-27) is open: always counted from the rows


def assert_same_as_raw(start=START, end=END):
    rolled, raw = overview(start, end, now=NOW), overview(start, end, now=NOW, use_rollups=False)
    assert rolled == raw
    assert rank(*rolled, min_sample=1) == rank(*raw, min_sample=1)
    assert assess(start, end, now=NOW, min_sample=1) == assess(start, end, now=NOW, min_sample=1, use_rollups=False)
    for department_id in raw[0].by_department:
        if department_id is None:
            continue
        assert overview(start, end, now=NOW, department_id=department_id) == overview(
            start, end, now=NOW, department_id=department_id, use_rollups=False)
        assert assess(start, end, now=NOW, department_id=department_id) == assess(
            start, end, now=NOW, department_id=department_id, use_rollups=False)
    assert rising_categories(end, now=NOW) == rising_categories(end)
    assert presenter.hotline(start, end, NOW) == presenter.hotline(start, end, NOW, use_rollups=False)
    return raw[0]


@pytest.fixture
def more(week):  # noqa: F811  (the fixture above)
    t1, t2, t3, t4, t5, t6 = week
    t7 = new(at(2026, 11, 18, 14), to="mzj", dispatched=at(2026, 11, 18, 14, 10))  # replied, no callback yet
    handling.sign(t7, now=at(2026, 11, 18, 14, 20), actor="m")
    reply.reply(t7, text="已答复", now=at(2026, 11, 19, 9), actor="m")
    t8 = new(at(2026, 11, 19, 15), to="sthjj", dispatched=at(2026, 11, 19, 15, 5))  # to be reassigned later
    today = new(at(2026, 11, 27, 8), to="mzj", dispatched=at(2026, 11, 27, 8, 10))
    return (*week, t7, t8, today)


def test_rebuilt_rollups_equal_the_raw_count(more):
    assert rollups.rebuild(NOW) == 11  # 11-16 (the first ticket) … 11-26; not NOW's day
    assert db.session.query(Rollup).count() > 0
    clean = rollups.clean_days(START, END, NOW)
    assert date(2026, 11, 16) in clean and date(2026, 11, 27) not in clean
    m = assert_same_as_raw()
    assert m.received == 10 and sum(m.by_day.values()) == 10
    assert_same_as_raw(date(2026, 11, 20), date(2026, 11, 26))  # a part of the rolled-up days


def test_late_changes_leave_the_day_dirty_until_the_job_rolls_it_up_again(more):
    t1, t2, t3, t4, t5, t6, t7, t8, _today = more
    rollups.rebuild(NOW)
    before = assert_same_as_raw()
    sup = make_user("supervisor", "sup2@x.cn")
    # a late callback, then a reopening after it
    callback.record_callback(t7, reached=True, satisfaction="unsatisfied", now=at(2026, 11, 26, 9), actor="op")
    assert date(2026, 11, 18) not in rollups.clean_days(START, END, NOW)
    assert_same_as_raw()
    callback.review(t7, reopen=True, reason="未解决", now=at(2026, 11, 26, 10), actor=sup)
    # a reassignment: returned by the first department, dispatched to another
    returns.request_return(t8, reason="不属本部门", now=at(2026, 11, 19, 15, 30), actor="s")
    returns.review_return(t8, upheld=True, note="", now=at(2026, 11, 19, 15, 40), actor="op")
    intake.dispatch(t8, dep("zjj"), now=at(2026, 11, 26, 11), actor="op")
    # a late reply (its handling clock stops)
    reply.reply(t6, text="已办理", now=at(2026, 11, 26, 15), actor="z")
    dirty = {date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)}
    assert not dirty & rollups.clean_days(START, END, NOW)
    after = assert_same_as_raw()
    assert after != before
    assert after.rates["satisfaction"].denominator == before.rates["satisfaction"].denominator + 1
    assert rollups.rollup_catch_up(NOW) == 3
    assert dirty <= rollups.clean_days(START, END, NOW)
    assert rollups.rollup_catch_up(NOW) == 0
    assert assert_same_as_raw() == after


def test_a_change_written_only_by_the_commit_marks_its_day(more):
    """A plain field change committed without an earlier flush (the commit writes it) still marks its day:
    the hook flushes before it looks (reviewer's finding: before_commit runs before the commit's flush)."""
    t1 = more[0]
    rollups.rebuild(NOW)
    assert date(2026, 11, 16) in rollups.clean_days(START, END, NOW)
    ticket = db.session.get(Ticket, t1.id)
    ticket.reopen_count = (ticket.reopen_count or 0) + 1
    db.session.commit()
    assert date(2026, 11, 16) not in rollups.clean_days(START, END, NOW)
    assert_same_as_raw()


def test_a_write_that_bypasses_the_orm_needs_a_rebuild_and_the_comparison_sees_it(more):
    """The comparison is not blind: a bulk UPDATE (no session hook) makes the roll-ups stale and the
    figures differ until `flask reports rollup rebuild`."""
    t1 = more[0]
    rollups.rebuild(NOW)
    db.session.execute(sa.update(Ticket).where(Ticket.id == t1.id).values(reopen_count=1))
    db.session.commit()
    assert overview(START, END, now=NOW) != overview(START, END, now=NOW, use_rollups=False)
    rollups.rebuild(NOW, date(2026, 11, 16), date(2026, 11, 16))
    assert_same_as_raw()


def test_the_rebuild_command(app, more):
    result = app.test_cli_runner().invoke(args=["reports", "rollup", "rebuild", "--from", "2026-11-16",
                                                "--to", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert "3 天" in result.output
    bad = app.test_cli_runner().invoke(args=["reports", "rollup", "rebuild", "--from", "2026-13-01"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_the_deadline_sweep_rolls_up_the_closed_days_with_tickets(more):
    from core.jobs.periodic import deadline_sweep
    counts = deadline_sweep(NOW)
    assert counts["rollup_catch_up"] == 6  # 11-16 … 11-20 and 11-23 have tickets; NOW's day 11-27 is open
    assert rollups.clean_days(START, END, NOW) == {date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23)}
    assert deadline_sweep(NOW)["rollup_catch_up"] == 0
    assert_same_as_raw()
