"""In a real browser, on a phone, with the keyboard only: a reply refused on the handling page comes back
with the typed text, the keyboard focus on the field in error (no script: `autofocus` under the CSP)
and the form scrolled into view; after the fix it goes through."""
from playwright.sync_api import expect

from tests.browser import steps


def test_a_refused_reply_keeps_the_text_and_focuses_the_field(server, browser, request):
    page = browser.new_page(viewport=steps.PHONE_SIZE)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "mzj@e2e.cn")
        page.goto(server + "/requests/staff/register")
        steps.fill_application(page, "钱七", "13912345670", "2025年养老服务补贴标准", "请公开本区2025年养老服务补贴标准。")
        steps.press_button(page, "登记")
        expect(page.get_by_role("heading", name="办理", exact=True)).to_be_visible()

        page.get_by_label("答复结果").select_option("withheld_law")
        page.get_by_label("答复正文").fill("经查，该信息属于法律禁止公开的范围。")
        steps.press_button_by_keyboard(page, "提交答复")
        ground = page.get_by_label("法律依据（不予公开必填）；部分公开时必填不予公开部分的依据（条例第十四条／第十五条／第十六条）")
        expect(ground).to_be_focused()
        expect(ground).to_have_attribute("aria-invalid", "true")
        expect(ground).to_be_in_viewport()
        assert page.url.endswith("/reply")
        assert page.get_by_label("答复正文").input_value() == "经查，该信息属于法律禁止公开的范围。"
        assert page.get_by_label("答复结果").input_value() == "withheld_law"

        page.keyboard.type("《中华人民共和国政府信息公开条例》第十四条")
        steps.press_button_by_keyboard(page, "提交答复")
        expect(page.get_by_role("alert").filter(has_text="答复已提交")).to_be_visible()
        assert violations == []


def test_a_refused_state_focuses_the_form_summary(server, browser, request):
    """Refused by a rule of the state, not by a field: the focus is on the form's error summary."""
    from datetime import date, timedelta
    page = browser.new_page(viewport=steps.PHONE_SIZE)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "mzj@e2e.cn")
        page.goto(server + "/requests/staff/register")
        page.get_by_label("收到日期（当面：提交之日；邮寄：签收之日）").fill((date.today() - timedelta(days=20)).isoformat())
        steps.fill_application(page, "孙八", "13912345671", "2025年临时救助标准", "请公开本区2025年临时救助标准。")
        steps.press_button(page, "登记")
        page.get_by_label("需要补正的事项").fill("请写明所需文件的年份")
        page.get_by_label("指导和释明（告诉申请人如何补正，条例第三十条）").fill("写明文件的年份即可，例如“2025年”")
        steps.press_button_by_keyboard(page, "发出补正告知")
        summary = page.locator("#act-correction_notice-errors")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("补正告知应在收到申请后 7 个工作日内")
        assert page.get_by_label("需要补正的事项").input_value() == "请写明所需文件的年份"
