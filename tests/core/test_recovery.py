"""Registration and password reset by a code sent through the notifications outbox: the same answer
whether or not the login has an account, codes that expire, work once, allow a few tries and are
sent a few times an hour; the pages keep what was typed."""
import re
from datetime import timedelta

import pytest

from core.auth import recovery
from core.auth.models import AuthCode, User
from core.errors import ValidationError
from core.notifications.models import Notification
from tests.conftest import csrf_from, login, make_user


def _sent(address):
    n = Notification.query.filter_by(address=address).order_by(Notification.id.desc()).first()
    return n


def _code(address):
    return re.search(r"验证码：(\d{6})", _sent(address).body).group(1)


def _post(client, url, **data):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_registration_answers_the_same_for_a_taken_login(client, seeded):
    make_user("citizen", "13800002222")
    pages = []
    for phone in ("13800001111", "13800002222"):
        fresh = client.application.test_client()
        resp = _post(fresh, "/auth/register", login=phone, name="张三", password="abc12345", confirm="abc12345")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/register/confirm")
        pages.append(fresh.get(resp.headers["Location"]).get_data(as_text=True).replace(phone, "PHONE"))
        if phone == "13800001111":
            new_client, code = fresh, _code(phone)
    assert pages[0] == pages[1] or re.sub(r'value="[^"]+"', "", pages[0]) == re.sub(r'value="[^"]+"', "", pages[1])
    # the owner of the taken number is told, and gets no code
    owner_msg = _sent("13800002222")
    assert owner_msg.event == "account_exists" and "验证码" not in owner_msg.body
    # the new one completes with the code and is logged in
    wrong = _post(new_client, "/auth/register/confirm", code="000000" if code != "000000" else "111111")
    assert wrong.status_code == 400 and "验证码不正确或已过期" in wrong.get_data(as_text=True)
    ok = _post(new_client, "/auth/register/confirm", code=code)
    assert ok.status_code == 302 and User.query.filter_by(phone="13800001111").one().name == "张三"
    assert "申请政府信息公开" in new_client.get("/").get_data(as_text=True)
    assert User.query.filter_by(phone="13800002222").one().name != "张三"  # the taken account is untouched


def test_password_reset_by_code(app, client, seeded, now):
    user = make_user("citizen", "c@example.cn")
    login(client, "c@example.cn")
    old_session = client.get_cookie("session").value
    recovery.start_reset("C@Example.cn", now=now)
    code = _code("c@example.cn")
    with pytest.raises(ValidationError, match="验证码不正确或已过期"):  # expired
        recovery.complete_reset("c@example.cn", code, "newpass123", now=now + timedelta(minutes=16))
    recovery.start_reset("c@example.cn", now=now)
    code = _code("c@example.cn")
    assert recovery.complete_reset("c@example.cn", code, "newpass123", now=now).id == user.id
    with pytest.raises(ValidationError, match="验证码不正确或已过期"):  # used once only
        recovery.complete_reset("c@example.cn", code, "other12345", now=now)
    from core.extensions import db
    assert db.session.get(User, user.id).check_password("newpass123")
    stale = app.test_client()
    stale.set_cookie("session", old_session)
    assert stale.get("/auth/password").status_code == 302  # sessions from before the reset are over


def test_a_code_allows_a_few_tries_and_a_few_codes_an_hour(seeded, now):
    make_user("citizen", "c@example.cn")
    recovery.start_reset("c@example.cn", now=now)
    code = _code("c@example.cn")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            recovery.complete_reset("c@example.cn", wrong, "newpass123", now=now)
    with pytest.raises(ValidationError):  # the sixth try fails even with the right code
        recovery.complete_reset("c@example.cn", code, "newpass123", now=now)
    for _ in range(5):
        recovery.start_reset("c@example.cn", now=now + timedelta(minutes=1))
    assert Notification.query.filter_by(event="auth_code_reset").count() == 3  # AUTH_CODE_PER_HOUR
    recovery.start_reset("c@example.cn", now=now + timedelta(minutes=61))
    assert Notification.query.filter_by(event="auth_code_reset").count() == 4


def test_reset_answers_the_same_for_an_unknown_login(client, seeded):
    make_user("citizen", "known@example.cn")
    answers = []
    for who in ("known@example.cn", "nobody@example.cn"):
        fresh = client.application.test_client()
        resp = _post(fresh, "/auth/reset", login=who)
        assert resp.status_code == 302
        answers.append(fresh.get(resp.headers["Location"]).get_data(as_text=True).replace(who, "WHO"))
        confirm = _post(fresh, "/auth/reset/confirm", code="123456", password="newpass123", confirm="newpass123")
        assert confirm.status_code == 400 and "验证码不正确或已过期" in confirm.get_data(as_text=True)
    strip = lambda html: re.sub(r'value="[^"]+"', "", html)  # noqa: E731 (the CSRF tokens differ)
    assert strip(answers[0]) == strip(answers[1])
    assert _sent("nobody@example.cn") is None and _sent("known@example.cn").event == "auth_code_reset"
    assert AuthCode.query.count() == 2  # both counted alike


def test_the_reset_page_keeps_what_was_typed(client, seeded):
    resp = _post(client, "/auth/reset", login="not a login")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请输入有效的手机号" in html and 'value="not a login"' in html
