"""In a real browser: a reply goes from the department to the public log — the operator logs a call,
the department replies (mentioning the caller's phone), the supervisor reviews the masked text
side by side and publishes it, and a citizen who is not logged in finds it by searching."""
import re

from tests.browser.conftest import ARTIFACTS, department_signs_and_replies, login_as

PHONE = "13800003333"


def test_reviewer_publishes_and_the_public_finds_it(server, browser, request):
    op = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    dep = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    rev = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    pages = {"operator": op, "department": dep, "reviewer": rev, "citizen": citizen}
    try:
        login_as(op, server, "op@e2e.cn")
        op.goto(server + "/hotline/console")
        op.get_by_label("来电号码").fill(PHONE)
        op.get_by_label("姓名").fill("李女士")
        op.get_by_label("事项分类（输入关键字搜索）").fill("030101 噪声扰民")
        op.get_by_label("地址").fill("亭湖区某路 9 号")
        op.get_by_label("诉求内容").fill("渣土车夜间运输扬尘严重，影响休息")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        with op.expect_navigation():
            op.keyboard.press("Control+Enter")
        number = re.search(r"RX-\d{4}-\d{6}", op.get_by_role("alert").first.inner_text()).group(0)
        with op.expect_navigation():
            op.get_by_role("button", name="派单").click()

        department_signs_and_replies(dep, server, "hbj@e2e.cn", number,
                                     f"已联系来电人（{PHONE}），城管已查处渣土车夜间运输并要求覆盖篷布。")

        login_as(rev, server, "sup@e2e.cn")
        rev.goto(server + "/log/review/")
        with rev.expect_navigation():
            rev.get_by_role("row", name=re.compile("噪声")).last.get_by_role("link").first.click()  # the newest
        public_reply = rev.get_by_label("答复（公开文本）").input_value()
        assert PHONE not in public_reply and "138****3333" in public_reply
        assert PHONE in rev.content()  # the original, beside it, for the reviewer only
        rev.get_by_label(re.compile("我已逐字核对公开文本")).check()
        with rev.expect_navigation():
            rev.get_by_role("button", name="确认公开").click()
        public_id = re.search(r"GK-\d{4}-\d{6}", rev.content()).group(0)

        citizen.goto(server + "/log/")
        citizen.get_by_label("搜索答复").fill("渣土车")
        with citizen.expect_navigation():
            citizen.keyboard.press("Enter")
        hit = citizen.get_by_role("link", name=re.compile("噪声"))
        assert citizen.locator("mark").count() >= 1 and "渣土车" in hit.first.locator("xpath=../..").inner_text()
        with citizen.expect_navigation():
            hit.first.click()
        assert public_id in citizen.url and "覆盖篷布" in citizen.content()
        assert PHONE not in citizen.content() and "李女士" not in citizen.content()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in pages.items():
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
        raise
