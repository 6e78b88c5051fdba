"""Report jobs (queue `reports`): requested from the page, progress shown, the file for the requester
only; claimed once; lost and stuck runs recovered; a real RQ worker on a real Redis builds the file."""
import io
from datetime import timedelta

from openpyxl import load_workbook
from redis import Redis

from core.db import unit_of_work
from core.extensions import db
from reports import runs
from reports.models import ReportRun
from tests.conftest import csrf_from, make_user
from tests.jobs.test_rq_worker import rq_app, run_worker  # noqa: F401  (fixtures)
from tests.reports.test_hotline_measures import NOW, week  # noqa: F401  (fixture)

PERIOD = {"from": "2026-11-16", "to": "2026-11-22"}


def _summary(content):
    wb = load_workbook(io.BytesIO(content))
    return wb, {row[0]: row[1:] for row in wb["概况"].iter_rows(min_row=2, values_only=True) if row[0]}


def _post(client, data):
    """Submit the export form as the hotline page renders it (with its CSRF token)."""
    token = csrf_from(client.get("/reports/hotline?from=2026-11-16&to=2026-11-22").get_data(as_text=True))
    return client.post("/reports/runs", data={"csrf_token": token, **data})


def _fresh(run_id):
    db.session.expire_all()
    return db.session.get(ReportRun, run_id)


def test_hotline_xlsx_through_the_page(client, as_role, week):  # noqa: F811
    as_role("supervisor")
    assert client.post("/reports/runs", data={"kind": "hotline_xlsx", **PERIOD}).status_code == 400  # no token
    resp = _post(client, {"kind": "hotline_xlsx", **PERIOD})
    assert resp.status_code == 302
    status_url = resp.headers["Location"]
    page = client.get(status_url).get_data(as_text=True)  # no Redis: the job ran in-process
    status = page.split('id="run-status"', 1)[1].split(">", 1)[0]  # the status block (the header polls on its own)
    assert "已完成" in page and "100%" in page and "hx-trigger" not in status and "下载" in page
    run = ReportRun.query.one()
    download = client.get(f"/reports/runs/{run.id}/file")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Content-Disposition"].endswith("hotline-2026-11-16-2026-11-22-all.xlsx")
    wb, summary = _summary(download.data)
    assert summary["受理量"][0] == 6
    assert summary["按时签收率"][:3] == (2, 4, 0.5) and summary["直接办结率"][:3] == (1, 5, 0.2)
    assert wb["概况"]["D6"].number_format == "0.0%"
    assert wb.sheetnames == ["概况", "每日受理量", "诉求类型", "受理渠道", "诉求分类", "承办部门", "部门排名", "上升分类",
                             "综合考核"]
    assert [r for r in wb["诉求类型"].iter_rows(min_row=2, values_only=True)] == [("投诉", 3), ("求助", 1), ("咨询", 2)]
    assert "我的报表" in client.get("/reports/runs/").get_data(as_text=True)
    # htmx asks for the status part only
    part = client.get(status_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert part.lstrip().startswith('<div id="run-status"') and "<html" not in part


def test_runs_are_private_to_their_requester(client, as_role, week):  # noqa: F811
    owner = make_user("supervisor", "owner@x.cn")
    run = runs.request_run("hotline_xlsx", PERIOD, user=owner, department=None, now=NOW)
    as_role("supervisor")  # another supervisor
    assert client.get(f"/reports/runs/{run.id}").status_code == 404
    assert client.get(f"/reports/runs/{run.id}/file").status_code == 404
    assert "还没有生成过报表" in client.get("/reports/runs/").get_data(as_text=True)


def test_department_staff_get_their_department_only(client, as_role, week):  # noqa: F811
    as_role("staff", "sthjj")
    _post(client, {"kind": "hotline_xlsx", **PERIOD})
    run = ReportRun.query.one()
    _, summary = _summary(client.get(f"/reports/runs/{run.id}/file").data)
    assert summary["受理量"][0] == 2 and run.filename.endswith("-sthjj.xlsx")


def test_bad_requests_are_explained(client, as_role, week):  # noqa: F811
    as_role("supervisor")
    assert "没有这种报表" in _post(client, {"kind": "nope", **PERIOD}).get_data(as_text=True)
    resp = _post(client, {"kind": "hotline_xlsx", "from": "2026-11-22", "to": "2026-11-16"})
    assert resp.status_code == 400 and "开始日期不能晚于结束日期" in resp.get_data(as_text=True)
    assert ReportRun.query.count() == 0


def test_a_run_is_built_once_and_a_failure_is_reported(week, monkeypatch):  # noqa: F811
    user = make_user("supervisor", "o@x.cn")
    from flask import current_app
    monkeypatch.setitem(current_app.config, "REDIS_URL", "")
    run = runs.request_run("hotline_xlsx", PERIOD, user=user, department=None, now=NOW)
    done = _fresh(run.id)
    assert done.state.value == "done" and done.progress == 100 and done.started_at == NOW
    assert runs.run_report(run.id, NOW) is None  # delivered again: already done, nothing rebuilt

    def broken(run, progress, now):
        progress(40, "统计各项指标")
        raise RuntimeError("database went away")
    monkeypatch.setitem(runs.KINDS, "hotline_xlsx", runs.Kind("坏的报表", broken))
    failed = _fresh(runs.request_run("hotline_xlsx", PERIOD, user=user, department=None, now=NOW).id)
    assert failed.state.value == "failed" and "请稍后重新生成" in failed.error and failed.progress == 40
    assert "database" not in failed.error  # no internals shown to the user


def test_lost_and_stuck_runs_are_recovered(week):  # noqa: F811
    user = make_user("supervisor", "o@x.cn")
    with unit_of_work():
        lost = ReportRun(kind="hotline_xlsx", params=PERIOD, requested_by_id=user.id, created_at=NOW)
        stuck = ReportRun(kind="hotline_xlsx", params=PERIOD, requested_by_id=user.id, created_at=NOW,
                          status="running", started_at=NOW, progress=30)
        recent = ReportRun(kind="hotline_xlsx", params=PERIOD, requested_by_id=user.id,
                           created_at=NOW + timedelta(hours=2))
        db.session.add_all([lost, stuck, recent])
    assert runs.report_runs_catch_up(NOW + timedelta(minutes=5)) == 0  # too early to call either lost
    later = NOW + timedelta(hours=2, minutes=1)
    assert runs.report_runs_catch_up(later) == 2
    assert _fresh(lost.id).state.value == "done"  # dispatched again (in-process here) and built
    assert _fresh(stuck.id).state.value == "failed" and "重新生成" in _fresh(stuck.id).error
    assert _fresh(recent.id).state.value == "queued"


def test_a_real_worker_builds_the_file(week, rq_app, redis_url):  # noqa: F811
    env, _sink = rq_app
    user = make_user("supervisor", "o@x.cn")
    run = runs.request_run("hotline_xlsx", PERIOD, user=user, department=None, now=NOW)
    from rq import Queue
    assert Queue("reports", connection=Redis.from_url(redis_url)).count == 1
    assert _fresh(run.id).state.value == "queued" and _fresh(run.id).step == "等待后台处理"
    run_worker(env, "--queues", "reports", "--no-cron")
    built = _fresh(run.id)
    assert built.state.value == "done" and built.progress == 100 and built.finished_at is not None
    _, summary = _summary(built.content)
    assert summary["受理量"][0] == 6 and summary["按时签收率"][:2] == (2, 4)
