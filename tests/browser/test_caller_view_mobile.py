"""In a real browser on a phone-sized screen: a citizen reads what leaving no phone means before
submitting, gets a truthful receipt, and follows the ticket's timeline until the reply (issue 16, item 7)."""
import re

from playwright.sync_api import expect

from tests.browser import steps


def _fits(page):
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_no_phone_request_on_a_phone(server, browser, request):
    citizen = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    dep = browser.new_page(viewport=steps.DESKTOP_SIZE)
    with steps.screenshots_on_failure(request, citizen=citizen, department=dep):
        citizen.goto(server + "/hotline/new")
        expect(citizen.locator("#no-phone-help")).to_contain_text("不会有电话回访")
        assert _fits(citizen)
        citizen.get_by_label("诉求类型").select_option("complaint")
        citizen.get_by_label("事项分类").select_option("030101")
        citizen.get_by_label("诉求内容").fill("夜间施工噪声扰民，希望处理")
        citizen.get_by_label("地点（可选）").fill("亭湖区某路")
        steps.press_button(citizen, "提交诉求")
        flash = citizen.get_by_role("alert").first.inner_text()
        assert "不会收到短信" in flash and "无法重新获取" in flash
        number = steps.saved_ticket_number(citizen)
        expect(citizen.get_by_role("heading", name="办理过程")).to_be_visible()
        expect(citizen.get_by_text("诉求已受理")).to_be_visible()
        expect(citizen.get_by_text(re.compile(r"前派单"))).to_be_visible()
        assert _fits(citizen)

        op = browser.new_page(viewport=steps.DESKTOP_SIZE)
        steps.login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/dispatch")
        steps.open_link(op, number)
        op.get_by_label("主办部门").select_option("sthjj")
        steps.press_button(op, "派单")
        steps.department_signs_and_replies(dep, server, "hbj@e2e.cn", number, "已责令工地停止夜间施工。")

        citizen.reload()
        expect(citizen.get_by_text("已责令工地停止夜间施工。")).to_be_visible()
        expect(citizen.get_by_text("派单至生态环境局")).to_be_visible()
        expect(citizen.get_by_role("heading", name="请评价本次办理")).to_be_visible()
        assert "测试" not in citizen.locator("#steps-h + ol").inner_text()  # no staff names
        assert _fits(citizen)
