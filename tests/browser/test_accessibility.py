"""Accessibility pass with axe-core 4.14.1 (vendored in tests/browser/vendor/, MPL-2.0) in chromium:
WCAG 2.1 A and AA rules — form labels, names of buttons and links, image alternatives, colour contrast,
language, titles, landmarks — on the public pages (on a phone-sized screen) and the operator console;
and the keyboard: the first Tab reaches “跳到正文”, and no page sets a positive tabindex."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import steps

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PUBLIC = ["/", "/log/", "/requests/new", "/hotline/", "/hotline/new", "/auth/login", "/auth/register", "/requests/"]
STAFF = {"op@e2e.cn": ["/hotline/console", "/hotline/dispatch", "/hotline/callbacks", "/hotline/returns",
                      "/hotline/linkage", "/hotline/dispatch?type=complaint"],
         # the queues with their filter and saved-filter bar, and the review queue (issue 18 item 13, 14)
         "mzj@e2e.cn": ["/requests/staff/?urgency=overdue", "/corrections/staff/?closed=1", "/hotline/queue?urgency=normal"],
         "sup@e2e.cn": ["/requests/staff/", "/log/review/", "/notifications/"],
         "citizen@e2e.cn": ["/hotline/my/", "/notifications/"]}


def _violations(page):
    page.add_script_tag(content=AXE)  # the test context bypasses the CSP to inject axe
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


def _check(page, base, paths, request, label):
    problems = {}
    for path in paths:
        page.goto(base + path)
        found = _violations(page)
        if found:
            problems[path] = found
    if problems:
        steps.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(steps.ARTIFACTS / f"{request.node.name}-{label}.png"), full_page=True)
    assert problems == {}


def test_public_pages_on_a_phone(server, browser, request):
    page = browser.new_page(viewport=steps.PHONE_SIZE, is_mobile=True, bypass_csp=True)
    _check(page, server, PUBLIC, request, "public")


@pytest.mark.parametrize("email", list(STAFF))
def test_operator_console(server, browser, request, email):
    page = browser.new_page(viewport=steps.DESKTOP_SIZE, bypass_csp=True)
    steps.login_as(page, server, email)
    _check(page, server, STAFF[email], request, "operator")


def test_keyboard_starts_with_the_skip_link(server, browser):
    """The first Tab reaches the skip link — except on the sign-in and registration forms, where the
    cursor already waits in the first field (autofocus)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    for path in PUBLIC:
        page.goto(server + path)
        if page.locator("[autofocus]").count():
            expect(page.locator("[autofocus]")).to_be_focused()  # waits: autofocus may land after load
            continue
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文", path
        assert page.evaluate("document.querySelectorAll('[tabindex]:not([tabindex=\"0\"]):not([tabindex=\"-1\"])').length") == 0
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
