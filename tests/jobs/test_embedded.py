"""The embedded default: no Redis, jobs in-process, periodic jobs from a thread."""
from core.clocks.models import SweepRun
from core.jobs.periodic import EmbeddedScheduler, calendar_check
from core.notifications.models import Notification
from tests.conftest import at, make_user


def test_one_round_of_the_embedded_scheduler_runs_every_periodic_job(seeded, app):
    assert app.config["REDIS_URL"] is None
    make_user("admin", "admin@x.cn")
    EmbeddedScheduler(app).run_once(at(2026, 11, 28, 9))
    kinds = sorted(r.kind for r in SweepRun.query)
    assert kinds == ["calendar_check", "deadline_sweep", "outbox_flush"]


def test_calendar_check_warns_admins_once_a_day_in_november_and_december(seeded):
    admin = make_user("admin", "admin@x.cn")
    assert calendar_check(at(2026, 10, 30, 2))["missing"] is False  # October: too early to nag
    assert calendar_check(at(2026, 11, 28, 2)) == {"year": 2027, "missing": True, "warned": 1}
    assert calendar_check(at(2026, 11, 28, 3))["warned"] == 0  # once a day
    assert calendar_check(at(2026, 11, 29, 2))["warned"] == 1
    inapp = Notification.query.filter_by(user_id=admin.id, channel="inapp", event="calendar_missing").all()
    assert len(inapp) == 2 and "2027 年官方放假安排尚未导入" in inapp[0].subject
    assert Notification.query.filter_by(channel="email", event="calendar_missing").count() == 2
