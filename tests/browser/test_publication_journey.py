"""In a real browser: a reply goes from the department to the public log — the operator logs a call,
the department replies (mentioning the caller's phone), the supervisor reviews the masked text
side by side and publishes it, and a citizen who is not logged in finds it by searching."""
import re

from tests.browser import steps

PHONE = "13800003333"


def test_reviewer_publishes_and_the_public_finds_it(server, browser, request):
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    dep = browser.new_page(viewport=steps.DESKTOP_SIZE)
    rev = browser.new_page(viewport=steps.DESKTOP_SIZE)
    citizen = browser.new_page(viewport=steps.PHONE_SIZE, is_mobile=True)
    with steps.screenshots_on_failure(request, operator=op, department=dep, reviewer=rev, citizen=citizen):
        steps.operator_at_console(op, server)
        steps.fill_call(op, phone=PHONE, name="李女士", category="030101 噪声扰民", address="亭湖区某路 9 号",
                            content="渣土车夜间运输扬尘严重，影响休息")
        op.get_by_text("建议承办部门：生态环境局").wait_for()
        steps.press_through(op, "Control+Enter")
        number = steps.saved_ticket_number(op)
        steps.press_button(op, "派单")

        steps.department_signs_and_replies(dep, server, "hbj@e2e.cn", number,
                                     f"已联系来电人（{PHONE}），城管已查处渣土车夜间运输并要求覆盖篷布。")

        steps.login_as(rev, server, "sup@e2e.cn")
        rev.goto(server + "/log/review/")
        steps.click_through(rev, rev.get_by_role("row", name=re.compile("噪声")).last.get_by_role("link").first)  # the newest
        public_reply = rev.get_by_label("答复（公开文本）").input_value()
        assert PHONE not in public_reply and "138****3333" in public_reply
        assert PHONE in rev.content()  # the original, beside it, for the reviewer only
        marks = rev.locator(".masked-text[data-field=reply_text] mark")  # each masked span marked, with its kind
        assert marks.count() >= 1 and marks.first.is_visible()
        assert marks.first.get_attribute("title") == "手机号" and marks.first.inner_text().startswith("138****3333")
        rev.get_by_label(re.compile("我已逐字核对公开文本")).check()
        steps.press_button(rev, "确认公开")
        public_id = re.search(r"GK-\d{4}-\d{6}", rev.content()).group(0)

        citizen.goto(server + "/log/")
        citizen.get_by_label("搜索答复").fill("渣土车")
        steps.press_through(citizen, "Enter")
        hit = citizen.get_by_role("link", name=re.compile("噪声"))
        assert citizen.locator("mark").count() >= 1 and "渣土车" in hit.first.locator("xpath=../..").inner_text()
        steps.click_through(citizen, hit.first)
        assert public_id in citizen.url and "覆盖篷布" in citizen.content()
        assert PHONE not in citizen.content() and "李女士" not in citizen.content()
