"""In a real browser: a citizen's 12345 form whose CSRF token has expired (signed a day and more ago,
put into the open page) is not lost: the re-submit page keeps what was typed, and one click files it."""
import time

from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from playwright.sync_api import expect

from core.csrf import EXPIRED_MESSAGE, SALT
from tests.browser.conftest import SECRET_KEY

CONTENT = "小区门口路灯坏了两周\n晚上出行不便"


def _old_token(session_cookie):
    """This browser session's CSRF token as if generated 25 hours ago."""
    app = Flask(__name__)
    app.secret_key = SECRET_KEY
    raw = app.session_interface.get_signing_serializer(app).loads(session_cookie)["csrf_token"]

    class Past(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 25 * 3600
    return URLSafeTimedSerializer(SECRET_KEY, salt=SALT, signer=Past).dumps(raw)


def test_a_form_left_open_for_a_day_is_filed_after_one_more_click(server, browser):
    page = browser.new_page()
    page.goto(server + "/hotline/new")
    page.get_by_label("诉求类型").select_option("help")
    page.get_by_label("事项分类").select_option(index=1)
    page.get_by_label("诉求内容").fill(CONTENT)
    page.get_by_label("地点（可选）").fill("亭湖区某路 3 号")
    page.get_by_label("手机号（用于回复和查询，可不填）").fill("13800004444")
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "session")
    page.locator("form:has(#content) input[name=csrf_token]").evaluate("(el, v) => { el.value = v; }",
                                                                      _old_token(cookie))
    with page.expect_navigation():
        page.get_by_role("button", name="提交诉求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EXPIRED_MESSAGE)
    with page.expect_navigation():
        page.get_by_role("button", name="再次提交").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(EXPIRED_MESSAGE)
    text = page.locator("main").inner_text()
    assert "RX-" in text and "小区门口路灯坏了两周" in text and "晚上出行不便" in text
