"""In a real browser: the dashboards' charts count in whole numbers (no 0.5 ticket on an axis) and the daily
chart has a point for every day of the period, zeros included (issue 18 item 9)."""
import pytest

from tests.browser.steps import login_as, screenshots_on_failure

AXES = """() => Object.values(Chart.instances).map(c => ({
    id: c.canvas.id, points: c.data.labels.length,
    ticks: Object.values(c.scales).filter(s => s.axis === 'y').flatMap(s => s.ticks.map(t => t.value))}))"""


@pytest.mark.parametrize("path, charts", [("/reports/hotline?from=2026-11-01&to=2026-11-30", {"chart-day": 30}),
                                          ("/reports/disclosure/dashboard?from=2026-07-15&to=2026-12-31",
                                           {"chart-months": 6})])
def test_count_axes_have_whole_number_ticks(server, browser, request, path, charts):
    page = browser.new_page()
    with screenshots_on_failure(request, page=page):
        login_as(page, server, "sup@e2e.cn")
        page.goto(server + path)
        page.wait_for_function("() => typeof Chart !== 'undefined' && Object.keys(Chart.instances).length > 0")
        drawn = {c["id"]: c for c in page.evaluate(AXES)}
        for chart_id, points in charts.items():
            assert drawn[chart_id]["points"] == points  # every day / month, zeros included
        for chart in drawn.values():
            assert chart["ticks"] and all(float(v).is_integer() for v in chart["ticks"]), chart


def test_a_period_without_tickets_says_so_instead_of_empty_boxes(server, browser, request):
    page = browser.new_page()
    with screenshots_on_failure(request, page=page):
        login_as(page, server, "sup@e2e.cn")
        page.goto(server + "/reports/hotline?from=2001-01-01&to=2001-01-31")
        page.wait_for_function("() => typeof Chart !== 'undefined' && Object.keys(Chart.instances).length > 0")
        assert page.locator(".chart-empty").all_inner_texts() == ["暂无数据"] * 3  # type, category, channel
        assert page.locator("#chart-day").count() == 1  # the days are still drawn: 31 zeros
