"""Accessibility pass with axe-core 4.14.1 (vendored in tests/browser/vendor/, MPL-2.0) in chromium:
WCAG 2.1 A and AA rules — form labels, names of buttons and links, image alternatives, colour contrast,
language, titles, landmarks — on the public pages (on a phone-sized screen) and on every staff page of
every role (queues, the handling pages of an application and a ticket made for the test, dashboards,
calendar, departments, jobs, notifications), on an office screen (1366 px) and on a phone (390 px, the
navigation opened); and the keyboard: the first Tab reaches “跳到正文”, and no page sets a positive
tabindex."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import steps

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PUBLIC = ["/", "/log/", "/requests/new", "/hotline/", "/hotline/new", "/auth/login", "/auth/register", "/requests/"]
REFERENCE = ["/hotline/kb/", "/admin/calendar/", "/admin/departments/", "/notifications/", "/auth/password"]
REPORTS = ["/reports/disclosure/", "/reports/disclosure/dashboard", "/reports/hotline", "/reports/runs/"]
APPLICATION, TICKET = "{application}", "{ticket}"  # the handling pages of the items made for the test
STAFF = {  # every staff page of each role
    "op@e2e.cn": ["/", "/hotline/console", "/hotline/dispatch", "/hotline/callbacks", "/hotline/returns",
                  "/hotline/linkage", "/hotline/dispatch?type=complaint", "/hotline/calls", TICKET, *REFERENCE],
    "mzj@e2e.cn": ["/", "/requests/staff/", "/requests/staff/?urgency=overdue", "/corrections/staff/?closed=1",
                   "/hotline/queue?urgency=normal", "/requests/staff/register", APPLICATION, "/corrections/staff/",
                   "/corrections/staff/register", "/hotline/queue", TICKET, "/hotline/supervision", "/hotline/kb/new",
                   *REPORTS, *REFERENCE],
    "appr@e2e.cn": ["/", "/log/review/", "/requests/staff/lapsed", "/requests/staff/", APPLICATION, "/hotline/queue",
                    TICKET, *REFERENCE],
    "sup@e2e.cn": ["/", "/requests/staff/intake", "/requests/staff/", APPLICATION, "/hotline/queue", TICKET,
                   "/hotline/supervision", "/log/review/", "/admin/jobs/", *REPORTS, *REFERENCE],
    "admin@e2e.cn": ["/", "/requests/staff/intake", "/admin/sla/", "/admin/jobs/", "/admin/departments/new",
                     "/admin/departments/mzj/edit", APPLICATION, TICKET, *REFERENCE],
    "citizen@e2e.cn": ["/hotline/my/", "/notifications/"],
}
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": steps.PHONE_SIZE}
ITEMS = {}  # made once per test session: {"application": its handling page, "ticket": …}


def _violations(page):
    page.add_script_tag(content=AXE)  # the test context bypasses the CSP to inject axe
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


def _check(page, base, paths, request, label, open_navigation=False):
    problems = {}
    for path in paths:
        response = page.goto(base + path)
        if not response.ok:  # a page that is not there checks nothing
            problems[path] = response.status
            continue
        if open_navigation:
            steps.open_navigation(page)
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


def _items(base, browser):
    """An application registered by 民政局 and a 12345 ticket dispatched to it: their handling pages."""
    if ITEMS:
        return ITEMS
    page = browser.new_page(viewport=steps.DESKTOP_SIZE)
    steps.login_as(page, base, "mzj@e2e.cn")
    page.goto(base + "/requests/staff/register")
    steps.fill_application(page, "周九", "13912345679", "2025年残疾人两项补贴标准", "请公开本区2025年残疾人两项补贴标准。")
    steps.press_button(page, "登记")
    expect(page.get_by_role("heading", name="办理", exact=True)).to_be_visible()
    ITEMS["application"] = page.url.removeprefix(base)
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    steps.operator_at_console(op, base)
    steps.fill_call(op, phone="13800006666", category="020201 城乡低保", address="亭湖区某路 10 号",
                    content="咨询低保申请（无障碍测试）")
    op.get_by_label("诉求内容").focus()
    steps.press_through(op, "Control+Enter")
    number = steps.saved_ticket_number(op)
    op.get_by_label("主办部门").select_option("mzj")
    steps.press_button(op, "派单")
    page.goto(base + "/hotline/queue")
    ITEMS["ticket"] = page.get_by_role("link", name=number).get_attribute("href")
    page.context.close()
    op.context.close()
    return ITEMS


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("email", list(STAFF))
def test_staff_pages(server, browser, request, email, size):
    items = _items(server, browser)
    page = browser.new_page(viewport=SIZES[size], is_mobile=size == "phone", bypass_csp=True)
    steps.login_as(page, server, email)
    paths = [path.format(**items) for path in STAFF[email]]
    _check(page, server, paths, request, f"{email.split('@')[0]}-{size}", open_navigation=size == "phone")


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
