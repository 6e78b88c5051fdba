"""In a real browser: an operator logs a call with the keyboard only and dispatches it; the department
signs and replies; the callback marks it satisfied."""
from playwright.sync_api import expect

from tests.browser import steps


def test_operator_call_to_satisfied_callback(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    dep = browser.new_page(viewport=steps.DESKTOP_SIZE)
    with steps.screenshots_on_failure(request, operator=op, department=dep):
        steps.operator_at_console(op, server)
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
        steps.press_through(op, "Control+Enter")
        number = steps.saved_ticket_number(op)
        assert op.get_by_label("主办部门").input_value() == "sthjj"
        steps.press_button(op, "派单")

        steps.department_signs_and_replies(dep, server, "hbj@e2e.cn", number, "已责令工地停止夜间施工。")

        op.goto(server + "/hotline/callbacks")
        steps.open_link(op, number)
        op.get_by_label("满意度").select_option("satisfied")
        steps.press_button(op, "记录回访")
        assert "已办结" in op.content()
