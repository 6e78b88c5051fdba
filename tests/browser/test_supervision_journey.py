"""In a real browser, on a phone-sized screen and with the keyboard: a supervisor issues a 督办单 on a
dispatched ticket; the department finds it in its 督办单 list and gives its written feedback in time."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login_as


def test_supervisor_issues_and_department_answers(server, browser, request):
    op = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sup = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    dep = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        op.get_by_label("来电号码").fill("13800003333")
        op.get_by_label("事项分类（输入关键字搜索）").fill("030101 噪声扰民")
        op.get_by_label("地址").fill("亭湖区某路 9 号")
        content = op.locator("#content")
        content.fill("夜间施工噪声，多次投诉未果")
        with op.expect_navigation():
            content.press("Control+Enter")
        number = re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text()).group(0)
        op.get_by_label("主办部门").select_option("sthjj")
        with op.expect_navigation():
            op.get_by_role("button", name="派单").click()
        ticket_url = op.url

        login_as(sup, server, "sup@e2e.cn")
        sup.goto(ticket_url)
        reason = sup.get_by_label("下发督办单：督办事由（承办部门须在时限内书面反馈）")
        reason.focus()
        sup.keyboard.type("群众多次反映，请书面反馈整改情况")
        sup.keyboard.press("Tab")  # to the button
        with sup.expect_navigation():
            sup.keyboard.press("Enter")
        expect(sup.get_by_role("alert").filter(has_text="已下发督办单")).to_be_visible()
        order = re.search(r"DB-\d{4}-\d{6}", sup.locator("#supervision").inner_text()).group(0)

        login_as(dep, server, "hbj@e2e.cn")
        dep.goto(server + "/hotline/supervision")
        with dep.expect_navigation():
            dep.get_by_role("link", name=number).click()
        dep.get_by_label("书面反馈").fill("已约谈施工单位，夜间停工")
        with dep.expect_navigation():
            dep.get_by_role("button", name="提交反馈").click()
        expect(dep.get_by_role("alert").filter(has_text="已提交督办反馈")).to_be_visible()
        expect(dep.locator("#supervision")).to_contain_text("已按时反馈")
        expect(dep.locator("#supervision")).to_contain_text(order)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in (("operator", op), ("supervisor", sup), ("department", dep)):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
        raise
