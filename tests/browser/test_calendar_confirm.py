"""In a real browser, by keyboard only (desktop and phone): setting a holiday and deleting it each stop at a
confirmation page that says how many open deadlines move; only its confirm button changes the calendar, and
the cancel link changes nothing (issue 18 item 10). No script is needed: links and plain forms."""
import pytest
from playwright.sync_api import expect

from tests.browser.steps import DESKTOP_SIZE, PHONE_SIZE, login_as, press_through, screenshots_on_failure

DAYS = {"desktop": "2031-03-11", "phone": "2031-03-12"}  # a Tuesday and a Wednesday, nothing special yet


def tab_to(page, locator, limit=300):
    """Press Tab until `locator` has the focus, as a keyboard user reaches it; fail if it never does."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} is not reachable with the Tab key")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_holiday_set_and_deleted_after_confirmation(server, browser, request, size):
    page = browser.new_page(viewport=DESKTOP_SIZE if size == "desktop" else PHONE_SIZE)
    day = DAYS[size]
    with screenshots_on_failure(request, page=page):
        login_as(page, server, "admin@e2e.cn")
        page.goto(server + "/admin/calendar/?year=2031")
        tab_to(page, page.get_by_label("日期（YYYY-MM-DD）"))
        page.get_by_label("日期（YYYY-MM-DD）").fill(day)  # a date input: the picker's segments depend on the locale
        page.get_by_label("类型").select_option("holiday")
        tab_to(page, page.get_by_label("名称"))
        page.keyboard.type("临时放假")
        press_through(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("确认设置单日")
        expect(page.get_by_role("status")).to_contain_text("依申请公开申请：0 件")
        expect(page.get_by_role("status")).to_contain_text("12345 热线工单：0 件")
        tab_to(page, page.get_by_role("button", name="确认保存"))
        press_through(page, "Enter")
        expect(page.get_by_text(f"已设置 {day}：放假")).to_be_visible()

        delete = page.get_by_role("link", name=f"删除 {day}")
        tab_to(page, delete)
        press_through(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("确认删除特殊安排")
        expect(page.get_by_role("status")).to_contain_text("12345 热线工单：0 件")
        tab_to(page, page.get_by_role("link", name="取消，不删除"))
        press_through(page, "Enter")
        expect(page.get_by_role("link", name=f"删除 {day}")).to_be_attached()  # cancelled: still there

        tab_to(page, page.get_by_role("link", name=f"删除 {day}"))
        press_through(page, "Enter")
        tab_to(page, page.get_by_role("button", name="确认删除"))
        press_through(page, "Enter")
        expect(page.get_by_text(f"已删除 {day} 的特殊安排")).to_be_visible()
        expect(page.get_by_role("link", name=f"删除 {day}")).to_have_count(0)
