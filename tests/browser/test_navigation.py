"""In a real browser (issue 18 items 3 and 13): the navigation fits an office screen — every role's menus and
the unread badge are shown at 1366 px, no label wraps at 1366–1920 px; on a phone the menu opens from the
menu button, its entries are aligned, and it is usable by keyboard; the live counts of 我的工作 follow the
work created in the test, on the home page and in the header (refreshed by htmx without a reload)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps

ROLES = {"sup@e2e.cn": ["我的工作", "公众服务", "监督", "资料", "任务与发件箱"],
         "admin@e2e.cn": ["我的工作", "公众服务", "监督", "资料", "管理"],
         "appr@e2e.cn": ["我的工作", "公众服务", "监督", "资料"],
         "mzj@e2e.cn": ["我的工作", "公众服务", "监督", "资料"],
         "op@e2e.cn": ["我的工作", "公众服务", "资料"]}

# Each entry of the navigation: its box, and the height of one line of its text.
ENTRIES = """() => [...document.querySelectorAll('#nav > ul > li > .nav-link, .navbar-brand')].map(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {text: e.textContent.trim(), top: r.top, left: r.left, right: r.right, height: r.height,
            visible: r.width > 0 && r.height > 0,
            line: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5,
            pad: parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)};
})"""


def _entries(page):
    return page.evaluate(ENTRIES)


@pytest.mark.parametrize("email", list(ROLES))
def test_the_whole_navigation_shows_on_one_line_on_office_screens(server, browser, request, email):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, email)
        for width in (1366, 1440, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            expect(page.get_by_role("button", name="展开导航")).to_be_hidden()
            nav = page.locator("#nav")
            for label in ROLES[email]:
                expect(page.locator("#nav > ul > li > .nav-link", has_text=label).first).to_be_visible()
            expect(nav.get_by_role("link", name=re.compile(r"^通知"))).to_be_visible()
            expect(nav.locator(".user-toggle")).to_be_visible()
            entries = _entries(page)
            assert all(e["visible"] for e in entries), entries
            for e in entries:  # one line each: no label wraps
                assert e["height"] <= e["line"] * 1.5 + e["pad"] + 1, (width, e)
                assert e["right"] <= width, (width, e)
            tops = [e["top"] for e in entries[1:]]  # the brand first, then the menus: one row
            assert max(tops) - min(tops) <= 2, (width, entries)
            assert page.locator("nav.navbar").bounding_box()["height"] < 80


def test_the_phone_menu_opens_aligned_and_works_by_keyboard(server, browser, request):
    page = browser.new_page(viewport=steps.PHONE_SIZE, is_mobile=True)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "sup@e2e.cn")
        toggler = page.get_by_role("button", name="展开导航")
        expect(toggler).to_be_visible()
        expect(page.locator("#nav")).to_be_hidden()
        page.goto(server + "/")
        for _ in range(3):  # 跳到正文, the site name, the menu button
            page.keyboard.press("Tab")
        expect(toggler).to_be_focused()
        page.keyboard.press("Enter")
        page.locator("#nav.collapse.show").wait_for(state="visible")
        entries = [e for e in _entries(page) if e["text"] != "亭湖区政务公开 · 12345"]
        assert len(entries) >= 6 and len({round(e["left"]) for e in entries}) == 1, entries  # one left edge
        page.keyboard.press("Tab")
        work = page.locator("#nav").get_by_role("button", name=re.compile("^我的工作"))
        expect(work).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#work-menu")).to_be_visible()
        page.keyboard.press("ArrowDown")
        expect(page.locator("#work-menu .dropdown-item").first).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.locator("#work-menu")).to_be_hidden()
        expect(work).to_be_focused()
        user = page.locator("#nav .user-toggle")
        for _ in range(10):  # on through the menus to the user's
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('user-toggle')"):
                break
        expect(user).to_be_focused()
        page.keyboard.press("Enter")
        password = page.get_by_role("link", name="修改密码")
        expect(password).to_be_visible()
        page.keyboard.press("Tab")
        expect(password).to_be_focused()
        steps.press_through(page, "Enter")
        assert page.url.endswith("/auth/password")


def _count(page, label):
    """The 待办 … count of the home page's queue named `label`."""
    text = page.locator("main .list-group-item", has_text=label).locator(".badge").first.inner_text()
    return int(text.split()[-1])


def _unread(page):
    badge = page.locator("#nav a[href$='/notifications/'] .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_live_counts_follow_the_work_and_the_badge_shows_at_1366(server, browser, request):
    op = browser.new_page(viewport={"width": 1366, "height": 900})
    dep = browser.new_page(viewport={"width": 1366, "height": 900})
    with steps.screenshots_on_failure(request, operator=op, department=dep):
        steps.login_as(dep, server, "hbj@e2e.cn")  # 生态环境局
        queue_before, unread_before = _count(dep, "12345 部门工单队列"), _unread(dep)
        steps.login_as(op, server, "op@e2e.cn")
        dispatch_before = _count(op, "12345 派单队列")

        op.goto(server + "/hotline/console")
        steps.fill_call(op, phone="13800005555", category="030101 噪声扰民", address="亭湖区某路 9 号",
                        content="夜间施工噪声（导航计数测试）")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        op.get_by_label("诉求内容").focus()
        steps.press_through(op, "Control+Enter")
        steps.saved_ticket_number(op)
        home = op.context.new_page()  # the operator's home page in a second tab
        home.goto(server + "/")
        assert _count(home, "12345 派单队列") == dispatch_before + 1  # 待派单
        op.get_by_label("主办部门").select_option("sthjj")
        steps.press_button(op, "派单")
        home.reload()
        assert _count(home, "12345 派单队列") == dispatch_before

        # The department's open page learns of the new ticket without a reload (what htmx does every minute).
        dep.evaluate("htmx.ajax('GET', '/nav/work', {target: '#work-menu', swap: 'innerHTML'})")
        expect(dep.locator("#work-summary .badge").first).to_have_text(re.compile(rf"{queue_before + 1}$"))
        dep.locator("#nav").get_by_role("button", name=re.compile("^我的工作")).click()
        expect(dep.locator("#work-menu .dropdown-item", has_text="12345 部门工单队列")).to_contain_text(
            f"待办 {queue_before + 1}")
        dep.reload()
        assert _count(dep, "12345 部门工单队列") == queue_before + 1
        badge = dep.locator("#nav a[href$='/notifications/'] .badge")  # 新派单 to the department: unread
        expect(badge).to_be_visible()
        assert _unread(dep) > unread_before
