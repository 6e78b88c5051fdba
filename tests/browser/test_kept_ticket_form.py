"""A refused action on the ticket page never costs what was typed: the page comes back (400) with the error
and the refused form filled in again (static/js/kept_form.js) — the choice in a select, the text in a field."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login_as


def test_refused_not_accept_keeps_the_choice_and_the_text(server, browser, request):
    op = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        op.get_by_label("来电号码").fill("13800004444")
        op.get_by_label("事项分类（输入关键字搜索）").fill("990101 其他")
        op.get_by_label("诉求内容").fill("单位拖欠劳动报酬，想申请劳动仲裁")
        with op.expect_navigation():
            op.keyboard.press("Control+Enter")
        assert re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text())
        op.locator("#scope-channel").select_option("other")
        with op.expect_navigation():
            op.get_by_role("button", name="不予受理并短信告知").click()
        expect(op.get_by_role("alert").first).to_contain_text("请写明应当告知的渠道")
        assert op.locator("#scope-channel").input_value() == "other"  # the choice is kept
        field = op.get_by_label("具体渠道或机构（选“其他”时必填）")
        field.fill("区劳动人事争议仲裁委员会")
        with op.expect_navigation():
            op.get_by_role("button", name="不予受理并短信告知").click()
        assert "告知其通过以下渠道办理：区劳动人事争议仲裁委员会" in op.content()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        op.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        raise
