"""In a real browser, with the real server and the PBX simulator (scripts/pbx_simulator.py), issue 20: a call
ringing at the operator's extension pops up on the open console with the caller's earlier ticket; the answer
fills the intake form; saving links the ticket to the call (the ticket page and the call log show it); the
supervisor's open dispatch queue shows the new urgent ticket by itself, outlined."""
import re

from playwright.sync_api import expect

from scripts.pbx_simulator import call_events, send
from tests.browser import steps
from tests.browser.conftest import CTI_TOKEN

PHONE = "13800004444"
CALL_ID = "sim-call-browser-1"


def test_a_call_pops_up_and_is_logged_as_the_linked_ticket(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    sup = browser.new_page(viewport=steps.DESKTOP_SIZE)
    with steps.screenshots_on_failure(request, operator=op, supervisor=sup):
        # an earlier ticket of the same caller
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone=PHONE, category="030101 噪声扰民", content="上周反映：工地夜间施工（CTI 浏览器测试）")
        steps.press_through(op, "Control+Enter")
        earlier = steps.saved_ticket_number(op)

        # the supervisor watches the dispatch queue
        steps.login_as(sup, server, "sup@e2e.cn")
        sup.goto(server + "/hotline/dispatch")
        expect(sup.locator("#live-status")).to_have_text("实时更新已连接")

        # the operator signs in at extension 8001 on the console
        op.goto(server + "/hotline/console")
        op.get_by_label("分机号").fill("8001")
        steps.press_button(op, "签入分机")
        expect(op.locator("#my-extension")).to_have_text("8001")
        expect(op.locator("#live-status")).to_have_text("实时更新已连接")

        ring, answer, hangup = call_events("+86" + PHONE, "12345", "8001", CALL_ID)
        assert send(server, CTI_TOKEN, ring)[0] == 200  # form-encoded, user[]=8001
        pop = op.locator("#call-pop")
        expect(pop.get_by_role("heading", level=3)).to_contain_text(f"来电 {PHONE}")
        expect(pop).to_contain_text("振铃中")
        expect(pop.get_by_role("link", name=earlier)).to_be_visible()  # the caller's open ticket
        expect(op.get_by_label("来电号码")).to_have_value("")  # nothing filled before the answer

        assert send(server, CTI_TOKEN, answer, as_json=True)[0] == 200
        expect(pop).to_contain_text("通话中")
        expect(op.get_by_label("来电号码")).to_have_value(PHONE)
        expect(op.locator("#call-link")).to_contain_text(f"呼叫标识 {CALL_ID}")
        expect(op.get_by_label("姓名")).to_be_focused()
        expect(op.locator("#caller")).to_contain_text(earlier)  # the form's own caller history followed

        op.keyboard.type("王五")
        op.get_by_label("事项分类（输入关键字搜索）").fill("030101 噪声扰民")
        op.get_by_label("紧急程度").select_option("urgent")
        op.get_by_label("诉求内容").fill("工地今晚仍在施工，噪声很大（CTI 浏览器测试）")
        assert send(server, CTI_TOKEN, hangup)[0] == 200  # the caller hangs up; the operator finishes the form
        expect(pop).to_contain_text("已接听，已挂断")
        expect(op.get_by_label("来电号码")).to_have_value(PHONE)  # what was typed stays
        steps.press_through(op, "Control+Enter")
        number = steps.saved_ticket_number(op)
        calls = op.locator("#calls")
        expect(calls).to_contain_text(f"呼叫标识 {CALL_ID}")
        expect(calls).to_contain_text("分机 8001")

        # the dispatch queue grew by itself: the urgent ticket is there, outlined
        row = sup.locator("tr", has_text=number)
        expect(row).to_have_class(re.compile(r"\blive-arrived\b"))
        expect(sup.locator("#live-announce")).to_have_text(f"新到紧急工单：{number}")

        op.goto(server + "/hotline/calls")
        logged = op.locator("tr", has_text=number)
        expect(logged).to_contain_text("已接听，已挂断")
        expect(logged).to_contain_text("+86" + PHONE)
