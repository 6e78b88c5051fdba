"""In a real browser (Playwright + Debian's chromium): a citizen applies online, staff confirm, assign
and reply, the citizen opens the reply letter. Screenshots of a failure go to test-artifacts/."""
import re

from tests.browser import steps


def test_citizen_to_reply_letter(server, browser, request):
    citizen = browser.new_page(viewport=steps.PHONE_SIZE)  # a phone
    staff = browser.new_context().new_page()
    with steps.screenshots_on_failure(request, citizen=citizen, staff=staff):
        citizen.goto(server + "/")
        citizen.get_by_role("link", name="申请政府信息公开").first.click()
        citizen.get_by_role("link", name="在线提交申请").click()
        steps.fill_application(citizen, "王五", "13912345678", "2025年城乡低保标准", "请公开本区2025年城乡低保标准及调整文件。")
        steps.press_button(citizen, "提交申请")
        flash = citizen.get_by_role("alert").first.inner_text()
        number = re.search(r"YSQ-\d{4}-\d{6}", flash).group(0)
        assert "已提交，待确认收到" in citizen.content()

        steps.confirm_and_assign(staff, server, number, suggested="mzj")  # suggested from 低保

        steps.department_discloses(staff, server, "mzj@e2e.cn", number, "经查，现将2025年城乡低保标准文件提供给您。")
        assert "答复已提交" in staff.content()
        steps.logout(staff)

        # The district government received it: 民政局's reply is its draft, the 公开办 signs it off (条例 Art. 4, 36)
        steps.login_as(staff, server, "sup@e2e.cn")
        staff.goto(server + "/requests/staff/")
        steps.open_link(staff, number)
        steps.press_button(staff, "签发", exact=True)
        assert "已签发" in staff.content()

        citizen.reload()
        assert "已办结" in citizen.content()
        # reading the letter online is its delivery: the applicant acknowledges it first (网上签收)
        form = citizen.locator("form[action$='/receipt']").first
        token = form.locator("input[name=csrf_token]").get_attribute("value")
        signed = citizen.request.post(server + form.get_attribute("action"), form={"csrf_token": token})
        assert signed.ok and signed.headers["content-type"] == "application/pdf"  # 签收, then the letter itself
        citizen.reload()
        assert "已送达" in citizen.content()
        href = citizen.get_by_role("link", name="查看答复书（PDF）").get_attribute("href")
        pdf = citizen.request.get(server + href)
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF-")


def test_keyboard_only_submission_shows_errors_without_losing_input(server, browser):
    page = browser.new_page()
    page.goto(server + "/requests/new")
    page.get_by_label("姓名 / 单位名称").fill("赵六")
    page.get_by_label("所需政府信息的名称").focus()
    page.keyboard.type("某文件")
    steps.press_button_by_keyboard(page, "提交申请")
    html = page.content()
    assert "请填写证件号码" in html and "请填写联系电话" in html
    assert page.get_by_label("姓名 / 单位名称").input_value() == "赵六"
    assert page.get_by_label("所需政府信息的名称").input_value() == "某文件"
