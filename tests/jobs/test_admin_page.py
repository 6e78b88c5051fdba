"""The jobs admin page names each periodic run's kind from core/jobs/periodic.py (RUN_KINDS) — the same
text as the inline dict it replaces (issue 17 item 4); a kind it does not know is shown as recorded."""
from core.clocks.models import SweepRun
from core.extensions import db
from tests.conftest import at, login, make_user


def test_recent_runs_are_named(app, seeded):
    make_user("admin", "admin@x.cn")
    for minute, kind in enumerate(("deadline_sweep", "outbox_flush", "calendar_check", "something_new")):
        moment = at(2026, 11, 16, 9, minute)
        db.session.add(SweepRun(kind=kind, now=moment, started_at=moment, finished_at=moment, counts={}))
    db.session.commit()
    client = app.test_client()
    login(client, "admin@x.cn")
    page = client.get("/admin/jobs/").get_data(as_text=True)
    for label in ("期限巡检", "发件箱补发", "日历检查", "something_new"):
        assert f"<tr><td>{label}</td>" in page
