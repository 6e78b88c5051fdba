"""In a real browser: the lead department records its first contact with the caller from the keyboard
(首次联系诉求人), and the 综合考核 table of the hotline dashboard passes axe on a phone-sized screen."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login_as
from tests.browser.test_accessibility import _violations


def test_first_contact_and_assessment_table(server, browser, request):
    op = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    dep = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()  # axe injected
    try:
        login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        op.get_by_label("来电号码").fill("13800003333")
        op.get_by_label("分类").fill("030101 噪声扰民")
        op.get_by_label("诉求内容").fill("广场舞音响声音过大")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        with op.expect_navigation():
            op.get_by_role("button", name="保存").first.click()
        number = re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text()).group(0)
        with op.expect_navigation():
            op.get_by_role("button", name="派单").click()

        login_as(dep, server, "hbj@e2e.cn")
        dep.goto(server + "/hotline/queue")
        with dep.expect_navigation():
            dep.get_by_role("link", name=number).click()
        assert _violations(dep) == []
        note = dep.get_by_label("联系情况（可选）")
        note.focus()
        dep.keyboard.type("已电话联系，约定明晚现场查看")
        with dep.expect_navigation():
            dep.keyboard.press("Enter")
        expect(dep.get_by_role("alert").filter(has_text="已记录首次联系诉求人")).to_be_visible()
        expect(dep.get_by_text("首次联系诉求人：")).to_be_visible()
        dep.goto(server + "/reports/hotline")
        expect(dep.get_by_role("heading", name=re.compile("综合考核"))).to_be_visible()
        assert _violations(dep) == []
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in (("operator", op), ("department", dep)):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
        raise
