"""Registration and password reset by a code sent through the notifications outbox: the same answer
whether or not the login has an account, codes that expire, work once, allow a few tries and are
sent a few times an hour; the pages keep what was typed."""
import re
from datetime import timedelta

import pytest

from core.auth import codes, recovery
from core.auth.models import AuthCode, User
from core.errors import ValidationError
from core.notifications.models import Notification
from tests.conftest import csrf_from, login, make_user, pinned


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


ME = {"requester": "my-session", "address": "10.0.0.1"}


def test_password_reset_by_code(app, client, seeded, now):
    user = make_user("citizen", "c@example.cn")
    login(client, "c@example.cn")
    old_session = client.get_cookie("session").value
    recovery.start_reset("C@Example.cn", **ME, now=now)
    code = _code("c@example.cn")
    with pytest.raises(ValidationError, match="验证码不正确或已过期"):  # expired
        recovery.complete_reset("c@example.cn", code, "newpass123", requester="my-session",
                                now=now + timedelta(minutes=16))
    recovery.start_reset("c@example.cn", **ME, now=now)
    code = _code("c@example.cn")
    with pytest.raises(ValidationError, match="验证码不正确或已过期"):  # only in the session that asked
        recovery.complete_reset("c@example.cn", code, "newpass123", requester="other-session", now=now)
    assert recovery.complete_reset("c@example.cn", code, "newpass123", requester="my-session", now=now).id == user.id
    with pytest.raises(ValidationError, match="验证码不正确或已过期"):  # used once only
        recovery.complete_reset("c@example.cn", code, "other12345", requester="my-session", now=now)
    from core.extensions import db
    assert db.session.get(User, user.id).check_password("newpass123")
    stale = app.test_client()
    stale.set_cookie("session", old_session)
    assert stale.get("/auth/password").status_code == 302  # sessions from before the reset are over


def test_a_code_allows_a_few_tries_and_a_few_codes_an_hour(seeded, now):
    make_user("citizen", "c@example.cn")
    recovery.start_reset("c@example.cn", **ME, now=now)
    code = _code("c@example.cn")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            recovery.complete_reset("c@example.cn", wrong, "newpass123", requester="my-session", now=now)
    with pytest.raises(ValidationError):  # the sixth try fails even with the right code
        recovery.complete_reset("c@example.cn", code, "newpass123", requester="my-session", now=now)
    for _ in range(2):
        recovery.start_reset("c@example.cn", **ME, now=now + timedelta(minutes=1))
    with pytest.raises(codes.TooMany, match="请于 11:00 后再获取"):  # AUTH_CODE_PER_HOUR, said so, with when
        recovery.start_reset("c@example.cn", **ME, now=now + timedelta(minutes=2))
    with pytest.raises(codes.TooMany):  # a fresh session from the same address gets no more
        recovery.start_reset("c@example.cn", requester="fresh-cookie", address="10.0.0.1",
                             now=now + timedelta(minutes=2))
    assert Notification.query.filter_by(event="auth_code_reset").count() == 3
    recovery.start_reset("c@example.cn", **ME, now=now + timedelta(minutes=61))
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


def _visitor(app, address):
    """A browser of its own (own cookie jar, own session) at a client address."""
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def _register(client, phone, name, password):
    """`client` registers `phone` with `name` and `password`; the code of the SMS this sends."""
    assert _post(client, "/auth/register", login=phone, name=name, password=password,
                 confirm=password).status_code == 302
    return _code(phone)


def test_a_later_registration_of_the_same_phone_cannot_take_over_the_victims(app, seeded):
    """F1: the victim asks for a code, then an attacker registers the same phone with their own
    password and name. Whatever code the victim types in their session, the account ends with the
    victim's password and name or does not exist — never the attacker's."""
    phone = "13800005555"
    victim, attacker = _visitor(app, "10.1.1.1"), _visitor(app, "10.6.6.6")
    victims_code = _register(victim, phone, "王五", "victim123")
    # the newest SMS on the victim's phone comes from the attacker's request
    attackers_code = _register(attacker, phone, "攻击者", "attack999")

    def account_is_safe():
        user = User.query.filter_by(phone=phone).first()
        assert user is None or (user.check_password("victim123") and user.name == "王五")
        assert user is None or not user.check_password("attack999")
        return user

    if attackers_code != victims_code:
        typed = _post(victim, "/auth/register/confirm", code=attackers_code)
        assert typed.status_code == 400 and "验证码不正确或已过期" in typed.get_data(as_text=True)
        assert account_is_safe() is None
    # the attacker cannot use the victim's code either, had they seen it
    assert _post(attacker, "/auth/register/confirm", code=victims_code).status_code == 400
    assert account_is_safe() is None
    done = _post(victim, "/auth/register/confirm", code=victims_code)
    assert done.status_code == 302
    assert account_is_safe() is not None
    assert "王五" in victim.get("/").get_data(as_text=True)  # the victim is logged in as themself


def test_a_stranger_cannot_keep_the_owner_out_of_password_reset(app, seeded):
    """F2: three code requests and five wrong tries by a stranger (own session and address) leave the
    owner free to get a code and use it."""
    owner_login = "owner@example.cn"
    make_user("citizen", owner_login)
    stranger = _visitor(app, "10.6.6.6")
    for _ in range(3):
        assert _post(stranger, "/auth/reset", login=owner_login).status_code == 302
    for _ in range(5):
        wrong = _post(stranger, "/auth/reset/confirm", code="000000", password="stranger1", confirm="stranger1")
        assert wrong.status_code == 400
    refused = _post(stranger, "/auth/reset", login=owner_login)  # the stranger has had their three
    assert refused.status_code == 400 and "验证码发送次数过多" in refused.get_data(as_text=True)
    assert f'value="{owner_login}"' in refused.get_data(as_text=True)  # what was typed stays
    sent = Notification.query.filter_by(event="auth_code_reset").count()

    owner = _visitor(app, "10.2.2.2")
    assert _post(owner, "/auth/reset", login=owner_login).status_code == 302
    assert Notification.query.filter_by(event="auth_code_reset").count() == sent + 1
    done = _post(owner, "/auth/reset/confirm", code=_code(owner_login), password="ownernew1", confirm="ownernew1")
    assert done.status_code == 302
    assert User.query.filter_by(email=owner_login).one().check_password("ownernew1")


def test_a_stranger_guessing_cannot_burn_the_owners_registration_code(app, seeded):
    """F2 for registration: wrong tries in another session do not touch the owner's code."""
    phone = "13800006666"
    owner, stranger = _visitor(app, "10.2.2.2"), _visitor(app, "10.6.6.6")
    owners_code = _register(owner, phone, "", "owner1234")
    _register(stranger, phone, "", "strange12")
    for _ in range(6):
        assert _post(stranger, "/auth/register/confirm", code="000000" if owners_code != "000000" else "1").status_code == 400
    assert _post(owner, "/auth/register/confirm", code=owners_code).status_code == 302
    assert User.query.filter_by(phone=phone).one().check_password("owner1234")


def test_the_ceiling_per_phone_is_said_not_silent(app, seeded, now):
    """SMS bombing: a phone gets AUTH_CODE_LOGIN_PER_HOUR messages an hour without a captcha, whoever asks;
    one address gets AUTH_CODE_ADDRESS_PER_HOUR codes for all logins. Whoever is refused is told so, a
    code already received keeps working, and beyond the phone's ceiling a solved captcha gets the owner a
    code: a stranger who fills the ceiling cannot keep the owner out of recovery."""
    make_user("citizen", "13800007777")
    recovery.start_reset("13800007777", requester="owner", address="10.2.2.2", now=now)
    owners_code = _code("13800007777")
    for i in range(9):  # three addresses, three requests each: the phone's ten for the hour
        recovery.start_reset("13800007777", requester=f"s{i}", address=f"10.6.6.{i // 3}",
                             now=now + timedelta(minutes=i))
    assert Notification.query.filter_by(event="auth_code_reset").count() == 10
    with pytest.raises(codes.CeilingReached, match="请填写下方图片验证码"):
        recovery.start_reset("13800007777", requester="owner", address="10.2.2.2", now=now + timedelta(minutes=10))
    assert recovery.complete_reset("13800007777", owners_code, "ownernew1", requester="owner",
                                   now=now + timedelta(minutes=10)).phone == "13800007777"
    recovery.start_reset("13800007777", requester="owner", address="10.2.2.2", now=now + timedelta(minutes=11),
                         captcha_passed=True)
    assert Notification.query.filter_by(event="auth_code_reset").count() == 11
    assert recovery.complete_reset("13800007777", _code("13800007777"), "ownernew2", requester="owner",
                                   now=now + timedelta(minutes=12)).check_password("ownernew2")
    with pinned(app, now + timedelta(minutes=13)):  # the page offers the captcha that lets the owner through
        page = _post(app.test_client(), "/auth/reset", login="13800007777")
    assert page.status_code == 400 and 'name="captcha_answer"' in page.get_data(as_text=True)
    for i in range(10):  # one address, many phones
        recovery.start_reset(f"1390000{i:04d}", requester="x", address="10.8.8.8", now=now)
    with pytest.raises(codes.TooMany):
        recovery.start_reset("13900009999", requester="x", address="10.8.8.8", now=now)
