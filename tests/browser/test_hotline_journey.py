"""In a real browser: an operator logs a call with the keyboard only and dispatches it; the department
signs and replies; the callback marks it satisfied."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, department_signs_and_replies
from tests.browser.conftest import login_as as _login


def test_operator_call_to_satisfied_callback(server, browser, request):
    op = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    dep = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    try:
        _login(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        # Keyboard only: the caller number has the focus; Tab moves on; Enter in a text field saves.
        # Type only once the cursor is in the field, as an operator would see it (on a busy machine the
        # autofocus can land after the page's load event, and keys typed before it are lost).
        expect(op.get_by_label("来电号码")).to_be_focused()
        op.keyboard.type("13800002222")
        op.keyboard.press("Tab")
        op.keyboard.type("李四")
        op.keyboard.press("Tab")  # 匿名
        op.keyboard.press("Tab")  # 保密
        op.keyboard.press("Tab")  # 类型
        op.keyboard.press("Tab")  # 分类
        op.keyboard.type("030101 噪声扰民")
        op.keyboard.press("Tab")  # 紧急程度
        op.keyboard.press("Tab")  # 地址
        op.keyboard.type("亭湖区某路 8 号")
        op.keyboard.press("Tab")
        op.keyboard.press("Tab")
        op.keyboard.press("Tab")  # 诉求内容
        op.keyboard.type("工地夜间施工噪声扰民")
        op.get_by_text("建议承办部门：生态环境局").wait_for()  # the live hint
        with op.expect_navigation():
            op.keyboard.press("Control+Enter")
        number = re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text()).group(0)
        assert op.get_by_label("主办部门").input_value() == "sthjj"
        with op.expect_navigation():
            op.get_by_role("button", name="派单").click()

        department_signs_and_replies(dep, server, "hbj@e2e.cn", number, "已责令工地停止夜间施工。")

        op.goto(server + "/hotline/callbacks")
        with op.expect_navigation():
            op.get_by_role("link", name=number).click()
        op.get_by_label("满意度").select_option("satisfied")
        with op.expect_navigation():
            op.get_by_role("button", name="记录回访").click()
        assert "已办结" in op.content()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in (("operator", op), ("department", dep)):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
        raise
