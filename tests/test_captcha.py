"""The image captcha: asked only after CAPTCHA_AFTER submissions from one address, checked against its
signed token, good once, expiring; on the real hotline and disclosure forms."""
import re
import time

import pytest

from app import create_app
from config import TestingConfig
from core import captcha
from core.extensions import db


@pytest.fixture
def capp(monkeypatch):
    class WithCaptcha(TestingConfig):
        RATELIMIT_ENABLED = True
        RATE_LIMIT_SUBMIT = "100 per hour"
        CAPTCHA_ENABLED = True
        CAPTCHA_AFTER = 1
        WTF_CSRF_ENABLED = False
    app = create_app(WithCaptcha)
    with app.app_context():
        db.create_all()
        from core.departments.service import seed_departments
        from hotline.seed import seed_categories
        from tests.conftest import at
        seed_departments(at(2026, 11, 1, 9))
        seed_categories()
        yield app


CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "张三",
        "content": "夜间施工噪声", "address": "亭湖区某路 1 号"}


def test_check_signed_once_and_expiring(capp):
    with capp.test_request_context():
        c = captcha.new_challenge("2345")
        assert c.image.startswith("data:image/png;base64,")
        assert "2345" not in c.token
        assert captcha.check(c.token, "2345") is None
        assert "已使用过" in captcha.check(c.token, "2345")  # not twice
        wrong = captcha.new_challenge("2345")
        assert captcha.check(wrong.token, "2346") == "验证码不正确，请看新的图片重新填写"
        # a wrong answer spends the token too: one picture, one guess
        assert "已使用过" in captcha.check(wrong.token, "2345")
        expiry, nonce = int(time.time()) - 1, "abc"
        stale = f"{expiry}.{nonce}.{captcha._sign('2345', expiry, nonce)}"
        assert "已过期" in captcha.check(stale, "2345")
        assert captcha.check("garbage", "2345") == "请填写图中的验证码"
        forged = f"{int(time.time()) + 9999}.{nonce}.{captcha._sign('2345', int(time.time()) + 60, nonce)}"
        assert "不正确" in captcha.check(forged, "2345")  # a longer expiry breaks the signature


def test_hotline_form_asks_after_the_threshold(capp, monkeypatch):
    from hotline.models import Ticket
    client = capp.test_client()
    assert 'name="captcha_answer"' not in client.get("/hotline/new").get_data(as_text=True)
    assert client.post("/hotline/new", data=CALL).status_code == 302  # the first one: no captcha
    page = client.get("/hotline/new").get_data(as_text=True)
    assert 'name="captcha_answer"' in page and 'src="data:image/png;base64,' in page
    refused = client.post("/hotline/new", data=CALL)
    assert refused.status_code == 400 and "请填写图中的验证码" in refused.get_data(as_text=True)
    assert Ticket.query.count() == 1  # nothing lost, nothing created: the form comes back filled in
    assert "夜间施工噪声" in refused.get_data(as_text=True)
    monkeypatch.setattr(captcha, "ALPHABET", "7")  # the next picture says 7777
    token = re.search(r'name="captcha_token" value="([^"]+)"', client.get("/hotline/new").get_data(as_text=True))
    ok = client.post("/hotline/new", data={**CALL, "captcha_token": token.group(1), "captcha_answer": "7777"})
    assert ok.status_code == 302 and Ticket.query.count() == 2
    replay = client.post("/hotline/new", data={**CALL, "captcha_token": token.group(1), "captcha_answer": "7777"})
    assert replay.status_code == 400 and Ticket.query.count() == 2
    # another address is not asked
    other = client.get("/hotline/new", environ_base={"REMOTE_ADDR": "10.9.9.9"}).get_data(as_text=True)
    assert 'name="captcha_answer"' not in other


def test_refresh_gives_a_new_picture(capp):
    client = capp.test_client()
    first, second = client.get("/captcha").get_data(as_text=True), client.get("/captcha").get_data(as_text=True)
    assert 'id="captcha"' in first and first != second and "<html" not in first


def test_disclosure_and_register_forms_ask_too(capp):
    client = capp.test_client()
    assert 'name="captcha_answer"' not in client.get("/requests/new").get_data(as_text=True)
    with capp.test_request_context():
        captcha.count_submission()  # this address (the test client's 127.0.0.1) has submitted once
    for path in ("/requests/new", "/auth/register"):
        assert 'name="captcha_answer"' in client.get(path).get_data(as_text=True), path
    refused = client.post("/auth/register", data={"login": "13800009999", "password": "Passw0rd1",
                                                  "confirm": "Passw0rd1", "name": "王五"})
    assert refused.status_code == 400 and "请填写图中的验证码" in refused.get_data(as_text=True)
    from core.auth.models import User
    assert User.query.count() == 0
