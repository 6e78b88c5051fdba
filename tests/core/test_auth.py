"""Accounts: login, throttling, registration rules, password rules and change, CSRF, role and department guards."""
from datetime import timedelta

import pytest

from core.auth import recovery, service
from core.auth.models import User
from core.errors import ValidationError
from core.extensions import db
from tests.conftest import csrf_from, login, make_user


def test_login_with_email_or_phone_and_logout(client, seeded):
    make_user("staff", "staff@example.gov.cn", department="mzj")
    make_user("citizen", "13912345678")
    resp = login(client, "STAFF@example.gov.cn")
    assert resp.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "我的工作" in home and "民政局" in home
    token = csrf_from(home)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert "我的工作" not in client.get("/").get_data(as_text=True)
    assert login(client, "139 1234 5678").status_code == 302
    assert "申请政府信息公开" in client.get("/").get_data(as_text=True)


def test_wrong_password_gives_one_message_for_unknown_and_known(client, seeded):
    make_user("staff", "staff@example.gov.cn", department="mzj")
    for who in ("staff@example.gov.cn", "nobody@example.gov.cn", "not an id"):
        resp = login(client, who, "wrong-pass1")
        assert resp.status_code == 401
        assert "账号或密码错误" in resp.get_data(as_text=True)


def test_no_hard_lock_a_captcha_and_the_owner_still_gets_in(seeded, now):
    """What used to lock the account for everyone now asks for a captcha: a stranger cannot lock the
    owner out, and the owner who solves it and knows the password gets in."""
    user = make_user("staff", "staff@example.gov.cn", department="mzj")
    for _ in range(3):
        with pytest.raises(service.AuthError, match="账号或密码错误"):
            service.authenticate("staff@example.gov.cn", "bad-pass1", now=now, address="10.0.0.66")
    with pytest.raises(service.CaptchaRequired, match="验证码"):  # even the right password, from anywhere
        service.authenticate("staff@example.gov.cn", "Passw0rd!x", now=now, address="10.1.1.1")
    assert service.authenticate("staff@example.gov.cn", "Passw0rd!x", now=now, address="10.1.1.1",
                                captcha_passed=True).id == user.id
    # and the account starts afresh: no captcha for the next login
    assert service.authenticate("staff@example.gov.cn", "Passw0rd!x", now=now, address="10.1.1.1").id == user.id


def test_failures_are_forgotten_after_the_window(seeded, now):
    make_user("staff", "staff@example.gov.cn", department="mzj")
    for _ in range(4):
        with pytest.raises(service.AuthError):
            service.authenticate("staff@example.gov.cn", "bad-pass1", now=now, address="10.0.0.1")
    later = now + timedelta(minutes=61)
    assert service.authenticate("staff@example.gov.cn", "Passw0rd!x", now=later, address="10.0.0.2")


def test_an_address_waits_longer_after_each_failure(seeded, now):
    """Per address: LOGIN_ADDRESS_FREE free failures, then waits that double (2 s, 4 s, 8 s …)."""
    waits = []
    for i in range(8):  # different (missing) accounts: the address is what is throttled
        t = now + timedelta(minutes=10 * i)
        with pytest.raises(service.AuthError) as err:
            service.authenticate(f"guess{i}@example.cn", "bad-pass1", now=t, address="10.0.0.9")
        assert "过于频繁" not in err.value.message
        from core.auth.models import LoginThrottle
        row = db.session.get(LoginThrottle, "addr:10.0.0.9")
        waits.append((row.blocked_until - t).total_seconds() if row.blocked_until else 0)
    assert waits[:5] == [0, 0, 0, 0, 0] and waits[5:] == [2, 4, 8]
    with pytest.raises(service.AuthError, match="过于频繁"):  # within the wait: not even checked
        service.authenticate("guess9@example.cn", "bad-pass1", now=now + timedelta(minutes=70, seconds=1),
                             address="10.0.0.9")


def test_captcha_on_the_login_page_after_failures(client, seeded):
    make_user("staff", "staff@example.gov.cn", department="mzj")
    for _ in range(3):
        assert 'name="captcha_answer"' not in login(client, "staff@example.gov.cn", "bad-pass1").get_data(as_text=True)
    resp = login(client, "staff@example.gov.cn")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 401 and "请先填写图中的验证码" in text and 'name="captcha_answer"' in text
    assert "锁定" not in text and 'value="staff@example.gov.cn"' in text  # what was typed stays


@pytest.mark.parametrize("login_id, password, message", [
    ("12345", "abc12345", "有效的手机号"),
    ("a@b", "abc12345", "有效的手机号"),
    ("13800001111", "short1", "至少 8 位"),
    ("13800001111", "abcdefgh", "字母和数字"),
    ("13800001111", "12345678", "字母和数字"),
    ("a1234567@x.cn", "a1234567@x.cn", "不能与账号相同"),
])
def test_registration_rules(seeded, now, login_id, password, message):
    with pytest.raises(ValidationError, match=message):
        recovery.start_registration(login_id, password, "", requester="r1", address="10.0.0.1", now=now)


def test_password_change(client, seeded):
    make_user("citizen", "c@example.com")
    login(client, "c@example.com")
    page = client.get("/auth/password").get_data(as_text=True)
    bad = client.post("/auth/password", data={"current": "nope1234", "password": "newpass123",
                                              "confirm": "newpass123", "csrf_token": csrf_from(page)})
    assert "当前密码不正确" in bad.get_data(as_text=True)
    ok = client.post("/auth/password", data={"current": "Passw0rd!x", "password": "newpass123",
                                             "confirm": "newpass123", "csrf_token": csrf_from(page)})
    assert ok.status_code == 302
    assert User.query.filter_by(email="c@example.com").one().check_password("newpass123")


def test_the_current_password_check_is_throttled_like_a_login(client, seeded, now):
    """F5: someone at an unlocked session cannot guess the current password at full speed: after
    LOGIN_CAPTCHA_AFTER wrong ones the page needs a captcha (even for the right one), and the address
    waits after LOGIN_ADDRESS_FREE, as on the login page; the counts are the login's own."""
    make_user("citizen", "c@example.com")
    login(client, "c@example.com")

    def change(current):
        page = client.get("/auth/password").get_data(as_text=True)
        return client.post("/auth/password", data={"current": current, "password": "newpass123",
                                                   "confirm": "newpass123", "csrf_token": csrf_from(page)})
    for i in range(3):
        bad = change(f"guess{i}abc")
        assert "当前密码不正确" in bad.get_data(as_text=True)
    right = change("Passw0rd!x")
    html = right.get_data(as_text=True)
    assert right.status_code == 400 and "请先填写图中的验证码" in html and 'name="captcha_token"' in html
    assert User.query.filter_by(email="c@example.com").one().check_password("Passw0rd!x")
    with pytest.raises(service.CaptchaRequired):  # the login page counts the same failures
        service.authenticate("c@example.com", "Passw0rd!x", now=now, address="10.3.3.3")
    user = User.query.filter_by(email="c@example.com").one()
    for i in range(6):  # LOGIN_ADDRESS_FREE is 5: after the sixth failure the address waits
        with pytest.raises(ValidationError, match="当前密码不正确"):
            service.change_password(user, f"more{i}abc", "newpass123", now=now, address="10.5.5.5",
                                    captcha_passed=True)
    with pytest.raises(service.AuthError, match="登录尝试过于频繁"):
        service.change_password(user, "Passw0rd!x", "newpass123", now=now, address="10.5.5.5", captcha_passed=True)
    service.change_password(user, "Passw0rd!x", "newpass123", now=now, address="10.6.6.6", captcha_passed=True)
    assert User.query.filter_by(email="c@example.com").one().check_password("newpass123")


def test_post_without_csrf_token_is_refused(client, seeded):
    make_user("citizen", "c@example.com")
    resp = client.post("/auth/login", data={"login": "c@example.com", "password": "Passw0rd!x"})
    assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/departments/", "/admin/calendar/", "/admin/departments/new",
                                 "/admin/departments/mzj/edit"])
def test_staff_pages_redirect_anonymous_visitors_to_login(client, seeded, url):
    resp = client.get(url)
    assert resp.status_code == 302 and "/auth/login?next=" in resp.headers["Location"]


@pytest.mark.parametrize("url", ["/admin/departments/", "/admin/calendar/", "/admin/departments/new"])
def test_citizens_get_403_on_staff_pages(client, as_role, url):
    as_role("citizen")
    resp = client.get(url)
    assert resp.status_code == 403 and "没有权限" in resp.get_data(as_text=True)


def test_only_admins_edit_departments(client, as_role):
    as_role("supervisor")
    assert client.get("/admin/departments/").status_code == 200
    assert client.get("/admin/departments/mzj/edit").status_code == 403


def test_login_redirect_stays_on_this_site(client, seeded):
    make_user("admin", "a@example.gov.cn")
    page = client.get("/auth/login?next=https://evil.example/x")
    resp = client.post("/auth/login?next=https://evil.example/x", data={
        "login": "a@example.gov.cn", "password": "Passw0rd!x", "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.headers["Location"] == "/"
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get("/auth/login?next=/admin/calendar/")
    resp = client.post("/auth/login?next=/admin/calendar/", data={
        "login": "a@example.gov.cn", "password": "Passw0rd!x", "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.headers["Location"] == "/admin/calendar/"


def test_department_scope(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    sup = make_user("supervisor", "sup@x.cn")
    from core.departments.models import Department
    mzj = Department.query.filter_by(code="mzj").one()
    zjj = Department.query.filter_by(code="zjj").one()
    assert staff.can_see_department(mzj.id) and not staff.can_see_department(zjj.id)
    assert sup.can_see_department(zjj.id)
    citizen = make_user("citizen", "c@x.cn")
    assert not citizen.can_see_department(mzj.id)


def test_staff_roles_need_a_department(seeded, now):
    with pytest.raises(ValidationError, match="必须属于一个部门"):
        service.create_user(login="s@x.cn", password="Passw0rd1", role="staff", now=now)
    with pytest.raises(ValidationError, match="未知角色"):
        service.create_user(login="s@x.cn", password="Passw0rd1", role="boss", now=now)
