"""In a real browser (issue 16 item 9): Enter in the console's category field picks the category and moves
on instead of saving; Ctrl+Enter saves; on the ticket page a knowledge-base answer is inserted into
直接办结 and submitted; the 协办部门 filter narrows the checkbox list and shows the chosen as chips."""
import re

from playwright.sync_api import expect

from tests.browser import steps

QUESTION = "城乡低保如何申请？（浏览器测试）"
ANSWER = "向户籍所在地镇（街道）提出申请，携带身份证和户口簿。"


def test_enter_picks_the_category_and_a_kb_answer_closes_the_ticket(server, browser, request):
    sup = browser.new_page(viewport=steps.DESKTOP_SIZE)
    op = browser.new_page(viewport=steps.DESKTOP_SIZE)
    with steps.screenshots_on_failure(request, supervisor=sup, operator=op):
        # A supervisor reaches the knowledge base from the navigation, adds an answer and publishes it.
        steps.login_as(sup, server, "sup@e2e.cn")
        steps.follow_navigation(sup, "热线知识库")
        sup.goto(server + "/hotline/kb/new")
        sup.get_by_label("问题").fill(QUESTION)
        sup.get_by_label("答复口径").fill(ANSWER)
        steps.press_button(sup, "提交")
        steps.click_through(sup, sup.locator("article", has_text=QUESTION).locator("form[action$='/published'] button"))
        expect(sup.get_by_role("alert").filter(has_text="已发布")).to_be_visible()

        steps.operator_at_console(op, server)
        expect(op.get_by_role("link", name="知识库", exact=True)).to_be_visible()  # the console's own navigation
        expect(op.get_by_label("来电号码")).to_be_focused()
        op.keyboard.type("13800003333")
        category = op.get_by_label("事项分类（输入关键字搜索）")
        category.focus()
        op.keyboard.type("低保")
        op.keyboard.press("Enter")  # picks, never saves
        expect(category).to_have_value("020201 城乡低保")
        expect(op.locator("#category-status")).to_have_text("已选定分类：020201 城乡低保")
        expect(op.get_by_label("紧急程度")).to_be_focused()
        assert op.url.endswith("/hotline/console") and "已受理" not in op.content()
        op.get_by_label("诉求内容").focus()
        op.keyboard.type("请问城乡低保怎么申请")
        steps.press_through(op, "Control+Enter")  # saves from the text area
        expect(op.get_by_role("alert").filter(has_text="已受理")).to_be_visible()
        assert re.search(r"/hotline/tickets/\d+$", op.url)

        # 协办部门: the filter narrows the list; a chip shows the choice and removes it again.
        op.get_by_label("筛选协办部门").fill("人社")
        expect(op.locator("#co-list .form-check:visible")).to_have_count(1)
        op.get_by_label("人社局").check()
        expect(op.locator("#co-count")).to_have_text("已选 1 个协办部门：人社局")
        op.get_by_role("button", name="移除协办部门 人社局").click()
        expect(op.get_by_label("人社局")).not_to_be_checked()
        expect(op.locator("#co-count")).to_have_text("已选 0 个协办部门")

        # The knowledge-base answer goes into 直接办结 with the keyboard and is submitted.
        section = op.locator("#kb")
        expect(section.get_by_text(QUESTION)).to_be_visible()
        insert = section.get_by_role("button", name="插入答复").first
        insert.focus()
        op.keyboard.press("Enter")
        answer = op.locator("#direct-answer")
        expect(answer).to_have_value(ANSWER)
        expect(answer).to_be_focused()
        expect(op.locator("#kb-status")).to_contain_text("已插入答复")
        steps.press_button(op, "直接办结", exact=True)
        expect(op.get_by_role("alert").filter(has_text="已直接办结")).to_be_visible()
        expect(op.get_by_role("definition").filter(has_text=ANSWER)).to_be_visible()  # the ticket's 答复
        expect(op.locator("#rounds").get_by_text(ANSWER)).to_be_visible()  # and round 1 of 历次答复
