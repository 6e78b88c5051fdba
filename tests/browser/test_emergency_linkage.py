"""In a real browser on a phone-sized screen: the operator logs a road accident, the hint names 122 and 120,
the transfer to 122 is recorded with the incident number, and the linkage page lists it until the feedback."""
from playwright.sync_api import expect

from tests.browser import steps


def test_transfer_to_122_and_its_feedback_on_a_phone(server, browser, request):
    op = browser.new_page(viewport=steps.PHONE_SIZE)
    with steps.screenshots_on_failure(request, operator=op):
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone="13800003333", category="030101 噪声扰民", content="路口发生车祸，有人受伤")
        op.get_by_label("诉求内容").press("End")  # the hint follows typing (keyup)
        expect(op.locator("#suggest")).to_contain_text("122、120")  # the live hint names both numbers
        steps.press_button(op, "保存（Ctrl+Enter）")
        number = steps.saved_ticket_number(op)
        assert op.get_by_label("转接到").input_value() == "122"
        op.get_by_label("对方接警编号（可选）").fill("JQ-0042")
        steps.press_button(op, "记录转接")
        assert "已办结" in op.content() and "JQ-0042" in op.content()
        op.goto(server + "/hotline/linkage")
        expect(op.get_by_role("link", name=number)).to_be_visible()
        steps.open_link(op, number)
        op.get_by_label("122 的反馈情况").fill("已到场处置")
        steps.press_button(op, "登记反馈")
        assert "对方反馈" in op.content()
