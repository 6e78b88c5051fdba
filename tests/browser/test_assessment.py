"""In a real browser: the lead department records its first contact with the caller from the keyboard
(首次联系诉求人), and the 综合考核 table of the hotline dashboard passes axe on a phone-sized screen."""
import re

from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.test_accessibility import _violations


def test_first_contact_and_assessment_table(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    dep = browser.new_page(viewport=steps.PHONE_SIZE, bypass_csp=True)  # axe injected
    with steps.screenshots_on_failure(request, operator=op, department=dep):
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone="13800003333", category="030101 噪声扰民", content="广场舞音响声音过大")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        steps.click_through(op, op.get_by_role("button", name="保存").first)
        number = steps.saved_ticket_number(op)
        steps.press_button(op, "派单")

        steps.login_as(dep, server, "hbj@e2e.cn")
        dep.goto(server + "/hotline/queue")
        steps.open_link(dep, number)
        assert _violations(dep) == []
        note = dep.get_by_label("联系情况（可选）")
        note.focus()
        dep.keyboard.type("已电话联系，约定明晚现场查看")
        steps.press_through(dep, "Enter")
        expect(dep.get_by_role("alert").filter(has_text="已记录首次联系诉求人")).to_be_visible()
        expect(dep.get_by_text("首次联系诉求人：")).to_be_visible()
        dep.goto(server + "/reports/hotline")
        expect(dep.get_by_role("heading", name=re.compile("综合考核"))).to_be_visible()
        assert _violations(dep) == []
