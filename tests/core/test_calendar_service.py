"""Calendar in the database: seeding, imports (CSV, iCalendar), bad files, recompute hooks, CLI, page."""
import io
from datetime import date

import pytest

from core.audit import AuditEvent
from core.calendar import service
from core.calendar.hooks import register_recompute, unregister_recompute
from core.calendar.models import CalendarDay, CalendarYear
from core.calendar.parsing import CalendarFileError, parse_csv, parse_ics
from tests.conftest import csrf_from

# The 2027 arrangement as a test fixture (Spring Festival 2/5–2/12 with Saturday 2/20 worked).
CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-20,workday,春节
"""


def test_seed_loads_official_years_and_is_idempotent(seeded, now):
    assert db_years() >= {2024, 2025, 2026}
    assert service.seed_from_package(now) is None
    cal = service.get_calendar()
    assert cal.is_workday(date(2026, 10, 10)) and not cal.is_workday(date(2026, 10, 1))
    assert service.compute_due(date(2026, 9, 28), 20).due == date(2026, 10, 30)
    assert not service.compute_due(date(2026, 9, 28), 20).provisional


def db_years():
    return {y for (y,) in CalendarYear.query.with_entities(CalendarYear.year)}


def test_import_replaces_a_provisional_year_and_recomputes_open_items(seeded, now):
    before = service.compute_due(date(2027, 2, 4), 5)
    # provisional: 春节 2/5–2/8 off, and 初一 2/6 (Sat), 初二 2/7 (Sun) made up on 2/9, 2/10 (放假办法 Art. 6);
    # 2/11, 2/12, 2/15, 2/16, 2/17 are days 1–5.
    assert before.provisional and before.due == date(2027, 2, 17)
    calls = []

    def hook(old_cal, new_cal, years, at):
        calls.append(years)
        return sum(old_cal.add_workdays(date(2027, 2, 4), 5) != new_cal.add_workdays(date(2027, 2, 4), 5)
                   for _ in range(3))  # three open items received on 2/4 with 5-day clocks

    register_recompute(hook)
    try:
        report = service.import_official(parse_csv(CSV_2027), origin="test", now=now, actor="test")
    finally:
        unregister_recompute(hook)
    assert calls == [[2027]]
    assert report.years == [2027] and report.days == 10 and report.changed_items == 3
    after = service.compute_due(date(2027, 2, 4), 5)
    # 2/5–2/12 off, weekend, then 2/15–2/19 are days 1–5.
    assert not after.provisional and after.due == date(2027, 2, 19)
    event = AuditEvent.query.filter_by(action="import_official").order_by(AuditEvent.id.desc()).first()
    assert event.after_data["changed_items"] == 3


def test_import_cannot_run_from_stale_cache_in_another_process(seeded, now):
    stale = service.get_calendar()
    service.import_official(parse_csv(CSV_2027), origin="test", now=now, actor="test")
    service._cache.clear()  # as in a second process that never saw the import
    fresh = service.get_calendar()
    assert fresh is not stale and 2027 in fresh.official_years


@pytest.mark.parametrize("content, fragment", [
    ("2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", "第 2 行：不存在的日期"),
    ("2027-01-01,holiday,元旦\n2027/02/01,holiday,x\n", "第 2 行：日期格式应为 YYYY-MM-DD"),
    ("2027-01-01,vacation,元旦\n", "第 1 行：类型应为"),
    ("2027-01-01\n", "第 1 行：应为"),
    ("2027-01-01,holiday,a\n2027-01-01,workday,b\n", "第 2 行：日期 2027-01-01 与第 1 行重复"),
    ("date,kind,name\n", "没有任何日期"),
])
def test_bad_csv_names_the_row_and_imports_nothing(seeded, now, content, fragment):
    count = CalendarDay.query.count()
    with pytest.raises(CalendarFileError) as err:
        service.import_official(parse_csv(content), origin="bad", now=now, actor="test")
    assert fragment in str(err.value)
    assert CalendarDay.query.count() == count and 2027 not in db_years()


def test_only_year_refuses_rows_of_other_years(seeded, now):
    with pytest.raises(CalendarFileError, match="第 3 行：日期 2028-01-01 不属于 2027 年"):
        service.import_official(parse_csv("2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2028-01-01,holiday,元旦\n"),
                                origin="x", now=now, actor="t", only_year=2027)


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20270205\r
DTEND;VALUE=DATE:20270213\r
SUMMARY:春节 休\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20270220\r
SUMMARY:春节 班\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_icalendar_import(seeded, now):
    rows = parse_ics(ICS)
    assert [(r.day, r.kind) for r in rows][0] == (date(2027, 2, 5), "holiday")
    assert len([r for r in rows if r.kind == "holiday"]) == 8
    assert [(r.day, r.kind, r.name) for r in rows if r.kind == "workday"] == [(date(2027, 2, 20), "workday", "春节")]
    service.import_official(rows, origin="ics", now=now, actor="t")
    cal = service.get_calendar()
    assert not cal.is_workday(date(2027, 2, 12)) and cal.is_workday(date(2027, 2, 20))


def test_bad_icalendar_names_the_event():
    bad = ICS.replace("DTSTART;VALUE=DATE:20270220", "DTSTART;VALUE=DATE:20271340")
    with pytest.raises(CalendarFileError, match="第 8 行的事件：不存在的日期"):
        parse_ics(bad)
    with pytest.raises(CalendarFileError, match="BEGIN:VCALENDAR"):
        parse_ics("hello")


def test_admin_edits_one_day(seeded, now):
    service.set_day(date(2026, 12, 31), "holiday", "测试", now=now, actor="t")
    assert not service.get_calendar().is_workday(date(2026, 12, 31))
    service.remove_day(date(2026, 12, 31), now=now, actor="t")
    assert service.get_calendar().is_workday(date(2026, 12, 31))


def test_cli_due_prints_iso_and_provisional_flag(seeded):
    runner = seeded.test_cli_runner()
    out = runner.invoke(args=["calendar", "due", "--from", "2026-09-28", "--workdays", "20"])
    assert out.exit_code == 0 and out.output.strip() == "2026-10-30 official"
    out = runner.invoke(args=["calendar", "due", "--from", "2026-12-28", "--workdays", "20"])
    assert out.exit_code == 0 and out.output.startswith("2027-01-26 provisional")
    for bad in (["--from", "2026-02-30", "--workdays", "20"], ["--from", "28/09/2026", "--workdays", "20"],
                ["--from", "2026-09-28", "--workdays", "-1"], ["--from", "2026-09-28", "--workdays", "99999"],
                ["--from", "2026-09-28", "--workdays", "ten"]):
        out = runner.invoke(args=["calendar", "due", *bad])
        assert out.exit_code != 0, bad


def test_cli_import_and_list(seeded, tmp_path):
    runner = seeded.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,holiday,元旦\n2027-02-30,holiday,x\n", encoding="utf-8")
    out = runner.invoke(args=["calendar", "import", str(bad)])
    assert out.exit_code == 1 and "第 2 行" in out.output and "未导入任何数据" in out.output
    good = tmp_path / "2027.csv"
    good.write_text(CSV_2027, encoding="utf-8")
    out = runner.invoke(args=["calendar", "import", str(good), "--year", "2027"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(args=["calendar", "list", "--year", "2027"])
    assert "官方安排" in out.output and "2027-02-20 班 春节 (official)" in out.output


def test_calendar_page_calculator_and_admin_import(client, as_role):
    as_role("admin")
    page = client.get("/admin/calendar/?start=2026-09-28&workdays=20")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2026年10月30日" in html and "第 20 个工作日" in html
    bad = client.get("/admin/calendar/?start=2026-02-30&workdays=20").get_data(as_text=True)
    assert "不存在的日期" in bad
    token = csrf_from(html)
    resp = client.post("/admin/calendar/import", data={
        "csrf_token": token, "file": (io.BytesIO(CSV_2027.encode()), "2027.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "已导入 2027 年官方安排" in resp.get_data(as_text=True)
    assert 2027 in db_years()
    resp = client.post("/admin/calendar/import", data={
        "file": (io.BytesIO(CSV_2027.encode()), "2027.csv")}, content_type="multipart/form-data")
    assert resp.status_code == 400  # no CSRF token


def test_staff_may_use_calculator_but_not_import(client, as_role):
    as_role("staff", "mzj")
    assert client.get("/admin/calendar/").status_code == 200
    html = client.get("/admin/calendar/").get_data(as_text=True)
    assert "导入官方安排" not in html
    resp = client.post("/admin/calendar/import", data={"csrf_token": csrf_from(html)})
    assert resp.status_code == 403
