"""In a real browser on a phone-sized screen: the operator logs a road accident, the hint names 122 and 120,
the transfer to 122 is recorded with the incident number, and the linkage page lists it until the feedback."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login_as


def test_transfer_to_122_and_its_feedback_on_a_phone(server, browser, request):
    op = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        op.get_by_label("来电号码").fill("13800003333")
        op.get_by_label("事项分类（输入关键字搜索）").fill("030101 噪声扰民")
        op.get_by_label("诉求内容").fill("路口发生车祸，有人受伤")
        op.get_by_label("诉求内容").press("End")  # the hint follows typing (keyup)
        expect(op.locator("#suggest")).to_contain_text("122、120")  # the live hint names both numbers
        with op.expect_navigation():
            op.get_by_role("button", name="保存（Ctrl+Enter）").click()
        number = re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text()).group(0)
        assert op.get_by_label("转接到").input_value() == "122"
        op.get_by_label("对方接警编号（可选）").fill("JQ-0042")
        with op.expect_navigation():
            op.get_by_role("button", name="记录转接").click()
        assert "已办结" in op.content() and "JQ-0042" in op.content()
        op.goto(server + "/hotline/linkage")
        expect(op.get_by_role("link", name=number)).to_be_visible()
        with op.expect_navigation():
            op.get_by_role("link", name=number).click()
        op.get_by_label("122 的反馈情况").fill("已到场处置")
        with op.expect_navigation():
            op.get_by_role("button", name="登记反馈").click()
        assert "对方反馈" in op.content()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        op.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        raise
