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


def test_run_counts_are_labelled_text_not_json(app, seeded):
    """A run's counts read as 临期提醒：2 … (issue 18 item 7): each duty names its count when it registers, a failed
    duty says 失败, a count nobody labelled is still shown under its own name, escaped."""
    make_user("admin", "admin@x.cn")
    moment = at(2026, 11, 16, 9)
    counts = {"clock_due_soon": 2, "clock_overdue": 0, "expire_unanswered": 1, "escalate_overdue": "failed",
              "<new_duty>": 3}
    db.session.add(SweepRun(kind="deadline_sweep", now=moment, started_at=moment, finished_at=moment, counts=counts))
    db.session.add(SweepRun(kind="calendar_check", now=moment, started_at=moment, finished_at=moment,
                            counts={"year": 2027, "missing": True, "warned": 1}))
    db.session.commit()
    client = app.test_client()
    login(client, "admin@x.cn")
    page = client.get("/admin/jobs/").get_data(as_text=True)
    runs = page[page.index('id="runs-h"'):page.index("</section>", page.index('id="runs-h"'))]
    for text in ("临期提醒：2", "超期提醒：0", "期满视为放弃：1", "督办单升级：失败", "&lt;new_duty&gt;：3",
                 "检查年份：2027", "放假安排缺失：是", "已提醒管理员：1"):
        assert text in runs, text
    assert "{" not in runs and "&#34;" not in runs and "<new_duty>" not in runs
