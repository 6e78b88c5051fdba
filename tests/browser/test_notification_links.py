"""In a real browser (issue 18 item 12), on a phone and on an office screen: the hotline landing page leads to
我的诉求 and to the look-up; a citizen who submitted a ticket or an application opens the notification about it
and lands on their own item's page."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps

SIZES = {"phone": steps.PHONE_SIZE, "desktop": {"width": 1366, "height": 900}}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def _open_notifications(page):
    steps.open_navigation(page)
    steps.click_through(page, page.locator("#nav a[href$='/notifications/']"))
    expect(page.get_by_role("heading", name="通知")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_landing_page_to_mine_lookup_and_a_notification(server, browser, request, size):
    page = browser.new_page(viewport=SIZES[size], is_mobile=size == "phone")
    with steps.screenshots_on_failure(request, citizen=page):
        page.goto(server + "/hotline/")
        steps.click_through(page, page.get_by_role("link", name="查询办理进度"))
        expect(page.get_by_role("heading", name="查询办理进度")).to_be_visible()
        expect(page.get_by_role("textbox", name="工单编号")).to_be_visible()
        assert page.url.endswith("/hotline/new#lookup")

        steps.login_as(page, server, "citizen@e2e.cn")
        page.goto(server + "/hotline/")
        assert _fits(page)
        steps.click_through(page, page.get_by_role("link", name="我的诉求"))
        expect(page.get_by_role("heading", name="我的诉求")).to_be_visible()

        steps.click_through(page, page.get_by_role("link", name="网上提交诉求"))
        expect(page.locator("#confidential-help")).to_contain_text("承办部门看不到您的姓名和手机号")
        page.get_by_label("诉求类型").select_option("complaint")
        page.get_by_label("事项分类").select_option("030101")
        page.get_by_label("诉求内容").fill(f"夜间施工噪声扰民（{size}）")
        page.get_by_label("手机号（用于回复和查询，可不填）").fill("13800005555")
        steps.press_button(page, "提交诉求")
        number = steps.saved_ticket_number(page)

        page.goto(server + "/hotline/my/")
        expect(page.get_by_role("link", name=number)).to_be_visible()
        _open_notifications(page)
        steps.click_through(page, page.get_by_role("link", name=f"【12345】您的诉求 {number} 已受理"))
        expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
        expect(page.get_by_text(f"夜间施工噪声扰民（{size}）")).to_be_visible()
        assert re.search(r"/hotline/my/\d+$", page.url)
        assert _fits(page)


def test_applicant_opens_the_received_notification(server, browser, request):
    page = browser.new_page(viewport=steps.PHONE_SIZE, is_mobile=True)
    with steps.screenshots_on_failure(request, citizen=page):
        steps.login_as(page, server, "citizen@e2e.cn")
        page.goto(server + "/requests/new")
        steps.fill_application(page, "钱七", "13912340000", "2025年城乡低保标准", "请公开本区2025年城乡低保标准。")
        steps.press_button(page, "提交申请")
        number = re.search(r"YSQ-\d{4}-\d{6}", page.get_by_role("alert").first.inner_text()).group(0)
        page.goto(server + "/")
        _open_notifications(page)
        steps.click_through(page, page.get_by_role("link", name=f"【已提交】您的申请 {number}"))
        assert re.search(r"/requests/\d+$", page.url)
        expect(page.get_by_text(number).first).to_be_visible()
