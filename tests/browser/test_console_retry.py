"""Issue 21 item 4: the operator's save survives a lost answer. The console's first POST reaches the server (the
ticket is saved) but its answer is cut on the way back; static/js/submit_retry.js says so, sends the same form
with the same submission token again, and the operator lands on the one ticket with “已提交过” — not on a second
ticket, not on an error."""
import sqlite3

from playwright.sync_api import expect

from tests.browser import steps


def _tickets(env, marker):
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM tickets WHERE content LIKE ?", (f"%{marker}%",)).fetchone()[0]


def test_console_save_retries_after_a_lost_answer_and_saves_once(server, server_env, browser, request):
    op = browser.new_page()
    with steps.screenshots_on_failure(request, operator=op):
        steps.operator_at_console(op, server)
        marker = "重试测试：小区路灯不亮"
        steps.fill_call(op, phone="13800005555", category="990101 其他", content=marker)
        cut = []

        def cut_first_answer(route):
            if route.request.method == "POST" and not cut:
                route.fetch()  # the server saves the ticket …
                cut.append(route.request.url)
                route.abort("connectionreset")  # … and its answer never arrives
            else:
                route.continue_()
        op.route("**/hotline/console", cut_first_answer)
        with op.expect_navigation():
            op.keyboard.press("Control+Enter")
            expect(op.get_by_role("status").filter(has_text="保存时网络中断")).to_contain_text("同一提交编号自动重试")
        expect(op.get_by_role("alert").filter(has_text="已提交过")).to_contain_text("显示的是已创建的内容")
        assert cut and _tickets(server_env, marker) == 1
        assert marker in op.content()  # the saved ticket's page
