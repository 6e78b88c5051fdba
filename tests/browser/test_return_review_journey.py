"""In a real browser: the department returns a misrouted ticket with a reason; the operator finds it in
退单待审核 and, with the keyboard only, rejects the return with a reason; the ticket is back with the
department, waiting to be signed for (issue 16 item 3)."""
from playwright.sync_api import expect

from tests.browser import steps


def test_return_rejected_by_the_centre(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    dep = browser.new_page(viewport=steps.PHONE_SIZE)  # the department on a phone
    with steps.screenshots_on_failure(request, operator=op, department=dep):
        steps.operator_at_console(op, server)
        expect(op.get_by_label("来电号码")).to_be_focused()
        op.keyboard.type("13800003333")
        for _ in range(4):  # 姓名, 匿名, 保密, 类型
            op.keyboard.press("Tab")
        op.keyboard.press("Tab")  # 分类
        op.keyboard.type("030101 噪声扰民")
        op.keyboard.press("Tab")  # 紧急程度
        op.keyboard.press("Tab")  # 地址
        op.keyboard.type("亭湖区某路 9 号")
        for _ in range(3):  # 诉求内容
            op.keyboard.press("Tab")
        op.keyboard.type("工地夜间施工噪声扰民（退单审核）")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        steps.press_through(op, "Control+Enter")
        number = steps.saved_ticket_number(op)
        ticket_url = op.url
        steps.press_button(op, "派单")

        steps.login_as(dep, server, "hbj@e2e.cn")
        dep.goto(ticket_url)
        dep.get_by_label("退单理由").fill("属街道职责 <b>")
        steps.press_button(dep, "退单", exact=True)
        expect(dep.locator("h1 .badge").first).to_have_text("退单待审核")

        op.goto(server + "/hotline/returns")
        expect(op.get_by_role("cell", name="属街道职责 <b>")).to_be_visible()  # shown as typed, escaped
        steps.open_link(op, number)
        op.get_by_label("退单不成立：原部门继续办理，计时从暂停处恢复").focus()
        op.keyboard.press("Space")
        op.keyboard.press("Tab")
        op.keyboard.type("噪声执法属生态环境局")
        op.keyboard.press("Tab")
        expect(op.get_by_role("button", name="提交审核")).to_be_focused()
        steps.press_through(op, "Enter")
        expect(op.get_by_role("alert").first).to_contain_text("已审核退单")
        expect(op.locator("h1 .badge").first).to_have_text("待签收")

        dep.goto(ticket_url)
        expect(dep.get_by_text("噪声执法属生态环境局")).to_be_visible()
        expect(dep.get_by_role("button", name="签收", exact=True)).to_be_visible()
