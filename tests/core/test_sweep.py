"""The deadline sweep: warnings once, paused/stopped never warned, overdue marks, escalation, calendar changes."""
import re
from datetime import date, timedelta

import pytest

from core.calendar import service as calendar_service
from core.calendar.parsing import parse_csv
from core.clocks import service as clocks
from core.clocks.digest import DIGEST, DIGEST_ITEMS
from core.clocks.models import Clock
from core.clocks.sweep import run_sweep
from core.db import unit_of_work
from core.departments.models import Department
from core.notifications.models import Notification
from tests.conftest import at, login, make_user


def start(entity_id, owner=None, dep="mzj", **kw):
    dep_id = Department.query.filter_by(code=dep).one().id
    args = dict(entity_kind="request", entity_id=entity_id, name="answer", unit="workdays", length=20,
                now=at(2026, 9, 28, 10), actor="t", start_on=date(2026, 9, 28), label=f"YSQ-{entity_id}",
                department_id=dep_id, owner_id=owner.id if owner else None)
    args.update(kw)
    with unit_of_work():
        return clocks.start_clock(**args)


def notes(event=None):
    q = Notification.query
    return q.filter_by(event=event).all() if event else q.all()


def test_due_soon_warning_is_sent_once(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    start("1", owner=staff)
    start("2")  # no owner: the department's approver is warned
    now = at(2026, 10, 27, 9)
    assert run_sweep(now) == {"clock_due_soon": 2, "clock_overdue": 0, "clock_escalated": 0}
    assert run_sweep(now) == {"clock_due_soon": 0, "clock_overdue": 0, "clock_escalated": 0}
    assert run_sweep(now + timedelta(hours=1))["clock_due_soon"] == 0
    warned = notes("clock_due_soon")
    assert sorted(n.user_id for n in warned) == sorted([staff.id, approver.id])
    assert "2026年10月30日" in warned[0].subject and warned[0].channel == "inapp"


def test_paused_and_stopped_clocks_are_never_warned(seeded):
    make_user("approver", "a@x.cn", department="mzj")
    paused, stopped = start("p"), start("s")
    with unit_of_work():
        clocks.pause_clock(paused, now=at(2026, 10, 9), actor="t", on=date(2026, 10, 9))
        clocks.stop_clock(stopped, now=at(2026, 10, 9), actor="t")
    for day in (27, 31):
        counts = run_sweep(at(2026, 10, day, 9))
        assert counts == {"clock_due_soon": 0, "clock_overdue": 0, "clock_escalated": 0}
    assert notes() == []


def test_overdue_then_escalation_to_supervisors(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    other_approver = make_user("approver", "b@x.cn", department="zjj")
    sup = make_user("supervisor", "sup@x.cn")
    start("1", owner=staff)
    # First sweep after the due date: overdue, no late due-soon warning.
    assert run_sweep(at(2026, 11, 2, 9)) == {"clock_due_soon": 0, "clock_overdue": 1, "clock_escalated": 0}
    assert sorted(n.user_id for n in notes("clock_overdue")) == sorted([staff.id, approver.id])
    assert other_approver.id not in [n.user_id for n in notes()]
    assert run_sweep(at(2026, 11, 2, 20))["clock_escalated"] == 0
    assert run_sweep(at(2026, 11, 3, 9, 1)) == {"clock_due_soon": 0, "clock_overdue": 0, "clock_escalated": 1}
    digest = notes(DIGEST)
    assert [n.user_id for n in digest] == [sup.id] and notes("clock_escalated") == []
    assert digest[0].subject == "【督办汇总】1 件事项超期未办结"
    assert "1. YSQ-1（民政局，答复期限，2026年10月30日到期）" in digest[0].body
    assert run_sweep(at(2026, 11, 4, 9))["clock_escalated"] == 0
    assert len(notes(DIGEST)) == 1


def test_calendar_import_moves_due_dates_and_the_next_sweep_follows(seeded):
    make_user("approver", "a@x.cn", department="mzj")
    c = start("x", start_on=date(2027, 1, 4), now=at(2027, 1, 4, 9))
    # Monday 1/4 + 20 working days (provisional 2027: weekends and 元旦 only) = Monday 2/1.
    assert c.provisional and c.due_on == date(2027, 2, 1)
    # From 1/27 at most three working days remain (1/28, 1/29, 2/1): the sweep on 1/28 warns.
    assert c.warn_at == at(2027, 1, 27)
    assert run_sweep(at(2027, 1, 28, 9))["clock_due_soon"] == 1
    # The official 2027 calendar adds days off in late January: the due date moves later,
    # the warning no longer holds and is given again at the new time.
    calendar_service.import_official(parse_csv(
        "2027-01-27,holiday,测试\n2027-01-28,holiday,测试\n2027-01-29,holiday,测试\n2027-02-01,holiday,测试\n"),
        origin="t", now=at(2027, 1, 28, 10), actor="t")
    c = Clock.query.filter_by(entity_id="x").one()
    # 1/25, 1/26 are days 15–16; 1/27–2/1 off; 2/2–2/5 are days 17–20.
    assert c.due_on == date(2027, 2, 5) and not c.provisional and c.warned_at is None
    assert c.warn_at == at(2027, 2, 2)
    assert run_sweep(at(2027, 1, 28, 11))["clock_due_soon"] == 0
    assert run_sweep(at(2027, 2, 1, 23, 59))["clock_due_soon"] == 0
    assert run_sweep(at(2027, 2, 2, 9))["clock_due_soon"] == 1
    assert run_sweep(at(2027, 2, 5, 23, 0))["clock_overdue"] == 0
    assert run_sweep(at(2027, 2, 6, 0, 1))["clock_overdue"] == 1


def test_batches_cover_every_clock(seeded):
    make_user("approver", "a@x.cn", department="mzj")
    for i in range(23):
        start(str(i))
    assert run_sweep(at(2026, 10, 28, 9), batch=5)["clock_due_soon"] == 23
    assert len(notes("clock_due_soon")) == 23


def test_calendar_import_that_moves_the_due_date_past_now_clears_the_overdue_mark(seeded):
    """An item marked overdue (and escalated) whose due date a calendar import moves later is no
    longer overdue: the marks are cleared and the sweep marks it again only at the new due time."""
    make_user("approver", "a@x.cn", department="mzj")
    make_user("supervisor", "sup@x.cn")
    c = start("late", start_on=date(2027, 1, 4), now=at(2027, 1, 4, 9))
    assert c.due_on == date(2027, 2, 1) and c.provisional
    assert run_sweep(at(2027, 2, 2, 9))["clock_overdue"] == 1
    assert run_sweep(at(2027, 2, 3, 9, 1))["clock_escalated"] == 1
    c = Clock.query.filter_by(entity_id="late").one()
    assert c.overdue_at is not None and c.escalated_at is not None
    calendar_service.import_official(parse_csv(
        "2027-01-27,holiday,测试\n2027-01-28,holiday,测试\n2027-01-29,holiday,测试\n2027-02-01,holiday,测试\n"),
        origin="t", now=at(2027, 2, 3, 10), actor="t")
    c = Clock.query.filter_by(entity_id="late").one()
    assert c.due_on == date(2027, 2, 5)
    assert (c.overdue_at, c.escalate_at, c.escalated_at) == (None, None, None)
    assert clocks.urgency_of(c, at(2027, 2, 3, 10)).value != "overdue"
    assert run_sweep(at(2027, 2, 5, 23, 0))["clock_overdue"] == 0
    assert run_sweep(at(2027, 2, 6, 0, 1))["clock_overdue"] == 1  # marked again, at the new time


def test_calendar_import_that_leaves_the_item_late_keeps_the_overdue_mark(seeded):
    """The other side of the rule: when the new due date has also passed, the verdict stays."""
    make_user("approver", "a@x.cn", department="mzj")
    start("still-late", start_on=date(2027, 1, 4), now=at(2027, 1, 4, 9))
    assert run_sweep(at(2027, 2, 2, 9))["clock_overdue"] == 1
    marked = Clock.query.filter_by(entity_id="still-late").one().overdue_at
    calendar_service.import_official(parse_csv("2027-01-27,holiday,测试\n"), origin="t", now=at(2027, 2, 4, 10),
                                     actor="t")
    c = Clock.query.filter_by(entity_id="still-late").one()
    assert c.due_on == date(2027, 2, 2) and c.overdue_at == marked
    assert run_sweep(at(2027, 2, 4, 11))["clock_overdue"] == 0  # not notified twice


def test_mass_escalation_sends_each_supervisor_one_digest(client, seeded):
    """督办 of many items at once: each supervisor gets ONE notice naming the count, the departments, the earliest
    due items with links and the overdue list; the assignees' and approvers' overdue notices stay one per item."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    make_user("approver", "b@x.cn", department="zjj")
    sups = [make_user("supervisor", f"sup{i}@x.cn") for i in range(2)]
    kind = {"entity_kind": "disclosure_request"}  # the applications' kind: their pages and overdue list
    for i in range(25):  # 25 items; the first 5 a day later than the rest, in another department
        if i < 5:
            start(f"{i}", dep="zjj", start_on=date(2026, 9, 29), now=at(2026, 9, 29, 10), **kind)
        else:
            start(f"{i}", owner=staff if i % 2 else None, **kind)
    assert run_sweep(at(2026, 11, 3, 9))["clock_overdue"] == 25
    overdue = notes("clock_overdue")
    assert len([n for n in overdue if n.user_id == approver.id]) == 20  # per item, to their own department's
    assert len([n for n in overdue if n.user_id == staff.id]) == 10
    counts = run_sweep(at(2026, 11, 4, 9, 1))
    assert counts == {"clock_due_soon": 0, "clock_overdue": 0, "clock_escalated": 25}
    assert Clock.query.filter(Clock.escalated_at.is_not(None)).count() == 25  # each item keeps its own mark
    digests = notes(DIGEST)
    assert sorted(n.user_id for n in digests) == sorted(u.id for u in sups)
    body = digests[0].body
    assert digests[0].subject == "【督办汇总】25 件事项超期未办结"
    assert "（民政局 20 件、住建局 5 件）" in body
    assert f"到期最早的 {DIGEST_ITEMS} 件" in body and f"{DIGEST_ITEMS}. " in body and f"{DIGEST_ITEMS + 1}. " not in body
    assert "1. YSQ-5（民政局" in body and "YSQ-0（" not in body  # the longest overdue first
    # a second sweep at the same moment, and a later one, send no second digest
    assert run_sweep(at(2026, 11, 4, 9, 1))["clock_escalated"] == 0
    assert run_sweep(at(2026, 11, 5, 9))["clock_escalated"] == 0
    assert len(notes(DIGEST)) == 2
    login(client, "sup0@x.cn")
    page = client.get("/notifications/").get_data(as_text=True)
    assert len(re.findall(r'href="/requests/staff/\d+"', page)) == DIGEST_ITEMS  # the named items' pages
    assert 'href="/requests/staff/?urgency=overdue"' in page and "依申请公开超期清单" in page


def test_two_sweeps_at_once_warn_and_digest_once(app, seeded):
    """Two sweeps running at the same moment in two threads (each its own session, on PostgreSQL) claim every
    clock once: no doubled warning, overdue notice or digest."""
    import threading

    from core.extensions import db
    from tests.waiting import PATIENCE
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: two sessions writing at once (SQLite has one writer at a time)")
    make_user("approver", "a@x.cn", department="mzj")
    sups = [make_user("supervisor", f"sup{i}@x.cn") for i in range(3)]
    for i in range(40):
        start(f"o{i}")  # overdue on 10/31, escalated a day later
    run_sweep(at(2026, 11, 2, 9))
    for i in range(30):
        start(f"w{i}", start_on=date(2026, 10, 8), now=at(2026, 10, 8, 10))  # due 11/5: due soon on 11/3
    barrier, errors = threading.Barrier(2, timeout=PATIENCE), []
    results = []

    def sweep():
        with app.app_context():
            try:
                barrier.wait()
                results.append(run_sweep(at(2026, 11, 3, 9, 1), batch=7))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(PATIENCE)
    assert errors == []
    assert sorted(r["clock_escalated"] for r in results) == [0, 40]
    assert sum(r["clock_due_soon"] for r in results) == 30
    db.session.expire_all()
    assert len(notes("clock_due_soon")) == 30
    assert sorted(n.user_id for n in notes(DIGEST)) == sorted(u.id for u in sups)
