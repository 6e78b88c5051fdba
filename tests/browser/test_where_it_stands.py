"""In a real browser, on a phone and a desktop (issue 18 items 2, 5, 6): the citizen downloads the file disclosed
with the reply from their status page, the closed application shows its due date and that it was met, and a
visitor without the session opening the application's address is offered log-in and the look-up, which leads
to the application. Screenshots of a failure go to test-artifacts/."""
import re

import pytest

from tests.browser import steps

DISCLOSED_FILE = {"name": "低保标准文件.pdf", "mimeType": "application/pdf",
                  "buffer": b"%PDF-1.4\n% disclosed to the applicant\n%%EOF\n"}
WIDTHS = {"phone": steps.PHONE_SIZE, "desktop": {"width": 1366, "height": 900}}


def _apply(citizen, server):
    citizen.goto(server + "/requests/new")
    steps.fill_application(citizen, "王五", "13912345678", "2025年城乡低保标准", "请公开本区2025年城乡低保标准及调整文件。")
    steps.press_button(citizen, "提交申请")
    number = re.search(r"YSQ-\d{4}-\d{6}", citizen.get_by_role("alert").first.inner_text()).group(0)
    code = re.search(r"查询码：(\S+)", citizen.locator(".receipt-code").inner_text()).group(1)
    return number, code


def _reply_with_file(staff, server, number):
    steps.confirm_and_assign(staff, server, number)
    steps.department_discloses(staff, server, "mzj@e2e.cn", number, "经查，现将2025年城乡低保标准文件提供给您。",
                               attachment=DISCLOSED_FILE)
    steps.logout(staff)
    steps.login_as(staff, server, "sup@e2e.cn")  # the district government received it: the 公开办 signs off
    staff.goto(server + "/requests/staff/")
    steps.open_link(staff, number)
    steps.press_button(staff, "签发", exact=True)
    assert "已签发" in staff.content()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_citizen_downloads_the_disclosure_and_sees_the_deadline_met(server, browser, request, device):
    from playwright.sync_api import expect
    citizen = browser.new_page(viewport=WIDTHS[device])
    staff = browser.new_context().new_page()
    stranger = browser.new_page(viewport=WIDTHS[device])
    with steps.screenshots_on_failure(request, citizen=citizen, staff=staff, stranger=stranger):
        number, code = _apply(citizen, server)
        address = citizen.url
        _reply_with_file(staff, server, number)

        citizen.reload()
        verdict = citizen.locator(".deadline-verdict")
        expect(verdict).to_be_visible()
        assert re.fullmatch(r"已于\d{4}年\d+月\d+日答复，期限\d{4}年\d+月\d+日，按期", verdict.inner_text().strip())
        link = citizen.get_by_role("link", name=f"下载 {DISCLOSED_FILE['name']}")
        expect(link).to_be_visible()
        link.scroll_into_view_if_needed()
        with citizen.expect_download() as download:
            link.click()
        saved = download.value.path()
        with open(saved, "rb") as f:
            assert f.read() == DISCLOSED_FILE["buffer"]
        width = citizen.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTHS[device]["width"]  # nothing pushes the page sideways on a phone

        # someone without this browser session (the applicant on another device) opens the same address
        stranger.goto(address)
        expect(stranger.get_by_role("heading", name="查看政府信息公开申请")).to_be_visible()
        assert number not in stranger.content()
        login_link = stranger.get_by_role("link", name="登录后查看")
        expect(login_link).to_be_visible()
        assert "next=" in login_link.get_attribute("href")
        stranger.locator("#number").fill(number)
        stranger.locator("#code").fill(code)
        steps.press_button(stranger, "查询")
        expect(stranger.get_by_role("heading", name=f"政府信息公开申请 {number}")).to_be_visible()
        assert stranger.url == address
