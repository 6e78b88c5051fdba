"""In a real browser, on a phone, with the keyboard only: a reply refused on the handling page comes back
with the typed text, the keyboard focus on the field in error (no script: `autofocus` under the CSP)
and the form scrolled into view; after the fix it goes through."""
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login_as


def test_a_refused_reply_keeps_the_text_and_focuses_the_field(server, browser, request):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        login_as(page, server, "mzj@e2e.cn")
        page.goto(server + "/requests/staff/register")
        page.get_by_label("姓名 / 单位名称").fill("钱七")
        page.get_by_label("证件号码 / 统一社会信用代码").fill("11010519491231002X")
        page.get_by_label("联系电话").fill("13912345670")
        page.get_by_label("所需政府信息的名称").fill("2025年养老服务补贴标准")
        page.get_by_label("所需政府信息的内容描述").fill("请公开本区2025年养老服务补贴标准。")
        with page.expect_navigation():
            page.get_by_role("button", name="登记").click()
        expect(page.get_by_role("heading", name="办理", exact=True)).to_be_visible()

        page.get_by_label("答复结果").select_option("withheld_law")
        page.get_by_label("答复正文").fill("经查，该信息属于法律禁止公开的范围。")
        page.get_by_role("button", name="提交答复").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        ground = page.get_by_label("法律依据（不予公开、部分公开必填）")
        expect(ground).to_be_focused()
        expect(ground).to_have_attribute("aria-invalid", "true")
        expect(ground).to_be_in_viewport()
        assert page.url.endswith("/reply")
        assert page.get_by_label("答复正文").input_value() == "经查，该信息属于法律禁止公开的范围。"
        assert page.get_by_label("答复结果").input_value() == "withheld_law"

        page.keyboard.type("《中华人民共和国政府信息公开条例》第十四条")
        page.get_by_role("button", name="提交答复").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("alert").filter(has_text="答复已提交")).to_be_visible()
        assert violations == []
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        raise


def test_a_refused_state_focuses_the_form_summary(server, browser, request):
    """Refused by a rule of the state, not by a field: the focus is on the form's error summary."""
    from datetime import date, timedelta
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        login_as(page, server, "mzj@e2e.cn")
        page.goto(server + "/requests/staff/register")
        page.get_by_label("收到日期（当面：提交之日；邮寄：签收之日）").fill((date.today() - timedelta(days=20)).isoformat())
        page.get_by_label("姓名 / 单位名称").fill("孙八")
        page.get_by_label("证件号码 / 统一社会信用代码").fill("11010519491231002X")
        page.get_by_label("联系电话").fill("13912345671")
        page.get_by_label("所需政府信息的名称").fill("2025年临时救助标准")
        page.get_by_label("所需政府信息的内容描述").fill("请公开本区2025年临时救助标准。")
        with page.expect_navigation():
            page.get_by_role("button", name="登记").click()
        page.get_by_label("需要补正的事项").fill("请写明所需文件的年份")
        page.get_by_label("指导和释明（告诉申请人如何补正，条例第三十条）").fill("写明文件的年份即可，例如“2025年”")
        page.get_by_role("button", name="发出补正告知").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        summary = page.locator("#act-correction_notice-errors")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("补正告知应在收到申请后 7 个工作日内")
        assert page.get_by_label("需要补正的事项").input_value() == "请写明所需文件的年份"
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        raise
