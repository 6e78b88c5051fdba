"""In a real browser, under the Content-Security-Policy the server sends: the pages that use scripts
(htmx, Chart.js, Bootstrap, the live pages' event stream) and the styled ones run without a single violation, and
the charts draw."""
from playwright.sync_api import expect

from tests.browser import steps

PAGES = ["/", "/log/", "/requests/new", "/hotline/console", "/hotline/dispatch", "/reports/hotline",
         "/reports/disclosure/dashboard", "/reports/disclosure/2025", "/reports/runs/"]


def test_no_csp_violation_on_the_main_pages(server, browser, request):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "sup@e2e.cn")
        for path in PAGES:
            resp = page.goto(server + path)
            assert resp.status == 200, path
            assert "script-src 'self'" in resp.headers["content-security-policy"], path
            if page.locator("#live").count():  # a live page keeps its event stream open: never network-idle
                expect(page.locator("#live-status")).to_have_text("实时更新已连接")  # live.js ran, the stream is up
            else:
                page.wait_for_load_state("networkidle")
        # Chart.js drew on the dashboard (a canvas with a chart has a non-zero drawing buffer)
        page.goto(server + "/reports/disclosure/dashboard")
        assert page.evaluate("() => typeof Chart !== 'undefined'")
        assert violations == []
