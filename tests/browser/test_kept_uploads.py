"""In a real browser, on a phone (390×844) and a desktop (1366×900): a refused form keeps every field and the file
chosen (a pending upload kept server-side, listed on the form), and submitting again after the fix attaches it —
the clerk's reply and the citizen's application alike (issue 18 item 1). The reply template is inserted by the
script without losing what was typed."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.test_accessibility import AXE

SIZES = {"phone": steps.PHONE_SIZE, "desktop": {"width": 1366, "height": 900}}
PDF = b"%PDF-1.4\n% kept between attempts\n"


def axe_violations(page, selector):
    """axe-core's WCAG 2.1 A/AA violations inside `selector` (the refilled form with its kept files)."""
    page.add_script_tag(content=AXE)  # the page is opened with bypass_csp to inject axe
    return page.evaluate("""async (sel) => {
        const r = await axe.run(sel, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""", selector)


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_reply_keeps_every_field_and_its_file(server, browser, request, size):
    page = browser.new_page(viewport=SIZES[size], bypass_csp=True)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "mzj@e2e.cn")
        page.goto(server + "/requests/staff/register")
        steps.fill_application(page, "周九", "13912345672", f"2025年高龄津贴标准（{size}）", "请公开本区2025年高龄津贴标准。")
        steps.press_button(page, "登记")
        expect(page.get_by_role("heading", name="办理", exact=True)).to_be_visible()

        page.get_by_label("答复结果").select_option("partly_disclosed")
        text = page.get_by_label("答复正文")
        text.fill("经查，名单中含有个人身份信息。")
        page.get_by_role("button", name="插入模板").click()  # the script adds the standard text after it
        expect(text).to_have_value(re.compile("第三十七条"))
        typed = text.input_value()
        assert typed.startswith("经查，名单中含有个人身份信息。\n经审查，") and "（请写明" in typed
        ground = page.get_by_label("法律依据（不予公开必填）", exact=False)
        assert ground.input_value() == ""  # Art. 37 is no ground for the withheld part: nothing prefilled
        access = page.get_by_label("获取信息的方式、途径和时间", exact=False)
        access.fill("可以公开的部分随本答复书附送")
        page.get_by_label("答复附件", exact=False).set_input_files(pdf("高龄津贴标准.pdf"))
        steps.press_button(page, "提交答复")  # refused for want of a legal ground

        expect(ground).to_have_attribute("aria-invalid", "true")
        assert text.input_value() == typed
        assert page.get_by_label("答复结果").input_value() == "partly_disclosed"
        assert access.input_value() == "可以公开的部分随本答复书附送"
        expect(page.get_by_text("已上传：高龄津贴标准.pdf（保留）")).to_be_visible()
        assert axe_violations(page, "#act-reply") == []

        ground.fill("《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十五条")
        steps.press_button(page, "提交答复")  # refused: the template's blanks are not filled in
        expect(text).to_have_attribute("aria-invalid", "true")
        assert text.input_value() == typed
        text.fill("经查，名单中含有个人身份证号码，属于个人隐私，公开会对第三方合法权益造成损害，已作区分处理。")
        steps.press_button(page, "提交答复")
        expect(page.get_by_role("alert").filter(has_text="答复已提交")).to_be_visible()
        expect(page.get_by_role("link", name="高龄津贴标准.pdf")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_the_citizen_form_keeps_its_attachment(server, browser, request, size):
    page = browser.new_page(viewport=SIZES[size], bypass_csp=True)
    with steps.screenshots_on_failure(request, page=page):
        page.goto(server + "/requests/new")
        steps.fill_application(page, "吴十", "1391234567", f"2025年困难残疾人生活补贴（{size}）", "请公开补贴标准。")
        page.get_by_label("附件", exact=False).first.set_input_files(pdf("身份证明.pdf"))
        steps.press_button(page, "提交申请")
        expect(page.get_by_text("请填写 11 位手机号", exact=False)).to_be_visible()  # one digit short
        expect(page.get_by_text("已上传：身份证明.pdf（保留）")).to_be_visible()
        assert axe_violations(page, "main form") == []
        assert page.get_by_label("所需政府信息的名称").input_value() == f"2025年困难残疾人生活补贴（{size}）"
        assert page.get_by_label("姓名 / 单位名称").input_value() == "吴十"

        page.get_by_label("联系电话").fill("13912345673")
        steps.press_button(page, "提交申请")
        expect(page.get_by_role("alert").filter(has_text="申请已提交")).to_be_visible()
        expect(page.get_by_role("link", name="身份证明.pdf")).to_be_visible()
