"""A refused action on the ticket page never costs what was typed: the page comes back (400) with the error
and the refused form filled in again (static/js/kept_form.js) — the choice in a select, the text in a field."""
from playwright.sync_api import expect

from tests.browser import steps


def test_refused_not_accept_keeps_the_choice_and_the_text(server, browser, request):
    op = browser.new_page(viewport=steps.PHONE_SIZE)
    with steps.screenshots_on_failure(request, operator=op):
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone="13800004444", category="990101 其他", content="单位拖欠劳动报酬，想申请劳动仲裁")
        steps.press_through(op, "Control+Enter")
        assert steps.saved_ticket_number(op)
        op.locator("#scope-channel").select_option("other")
        steps.press_button(op, "不予受理并短信告知")
        expect(op.get_by_role("alert").first).to_contain_text("请写明应当告知的渠道")
        assert op.locator("#scope-channel").input_value() == "other"  # the choice is kept
        field = op.get_by_label("具体渠道或机构（选“其他”时必填）")
        field.fill("区劳动人事争议仲裁委员会")
        steps.press_button(op, "不予受理并短信告知")
        assert "告知其通过以下渠道办理：区劳动人事争议仲裁委员会" in op.content()
