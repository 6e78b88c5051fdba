"""In a real browser, on a phone-sized screen and with the keyboard: a supervisor issues a 督办单 on a
dispatched ticket; the department finds it in its 督办单 list and gives its written feedback in time."""
import re

from playwright.sync_api import expect

from tests.browser import steps


def test_supervisor_issues_and_department_answers(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    sup = browser.new_page(viewport=steps.PHONE_SIZE)
    dep = browser.new_page(viewport=steps.PHONE_SIZE)
    with steps.screenshots_on_failure(request, operator=op, supervisor=sup, department=dep):
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone="13800003333", category="030101 噪声扰民", address="亭湖区某路 9 号")
        content = op.locator("#content")
        content.fill("夜间施工噪声，多次投诉未果")
        with op.expect_navigation():
            content.press("Control+Enter")
        number = steps.saved_ticket_number(op)
        op.get_by_label("主办部门").select_option("sthjj")
        steps.press_button(op, "派单")
        ticket_url = op.url

        steps.login_as(sup, server, "sup@e2e.cn")
        sup.goto(ticket_url)
        reason = sup.get_by_label("下发督办单：督办事由（承办部门须在时限内书面反馈）")
        reason.focus()
        sup.keyboard.type("群众多次反映，请书面反馈整改情况")
        sup.keyboard.press("Tab")  # to the button
        steps.press_through(sup, "Enter")
        expect(sup.get_by_role("alert").filter(has_text="已下发督办单")).to_be_visible()
        order = re.search(r"DB-\d{4}-\d{6}", sup.locator("#supervision").inner_text()).group(0)

        steps.login_as(dep, server, "hbj@e2e.cn")
        dep.goto(server + "/hotline/supervision")
        steps.open_link(dep, number)
        dep.get_by_label("书面反馈").fill("已约谈施工单位，夜间停工")
        steps.press_button(dep, "提交反馈")
        expect(dep.get_by_role("alert").filter(has_text="已提交督办反馈")).to_be_visible()
        expect(dep.locator("#supervision")).to_contain_text("已按时反馈")
        expect(dep.locator("#supervision")).to_contain_text(order)
