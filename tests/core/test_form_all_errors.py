"""A form reports every error at once, each beside its field (issue 18 item 11): a too-short password is not
hidden behind “passwords differ”, nor a bad login behind either."""
import re

from core.auth.identity import password_problems
from tests.conftest import csrf_from, login, make_user


def _error_of(html, field_id):
    """The error text shown beside the field `field_id` (its aria-describedby target), or None."""
    found = re.search(rf'id="{field_id}-err">(.*?)</div>', html)
    return found.group(1) if found else None


def test_every_password_rule_at_once():
    assert password_problems("abc") == ["密码至少 8 位", "密码须同时包含字母和数字"]
    assert password_problems("a1234567@x.cn", "a1234567@x.cn") == ["密码不能与账号相同"]
    assert password_problems("abc12345") == []


def test_registration_shows_every_error_beside_its_field(client, seeded):
    html = client.get("/auth/register").get_data(as_text=True)
    resp = client.post("/auth/register", data={"csrf_token": csrf_from(html), "login": "12345", "name": "张三",
                                               "password": "abc", "confirm": "abd"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "有效的手机号" in _error_of(page, "login")
    assert _error_of(page, "password") == "密码至少 8 位；密码须同时包含字母和数字"
    assert _error_of(page, "confirm") == "两次输入的密码不一致"
    assert 'value="12345"' in page and 'value="张三"' in page  # what was typed stays (not the passwords)


def test_change_password_shows_the_rules_and_the_mismatch_together(client, seeded):
    make_user("citizen", "c@example.com")
    login(client, "c@example.com")
    html = client.get("/auth/password").get_data(as_text=True)
    resp = client.post("/auth/password", data={"csrf_token": csrf_from(html), "current": "whatever1",
                                               "password": "c@example.com", "confirm": "other"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert _error_of(page, "password") == "密码须同时包含字母和数字；密码不能与账号相同"
    assert _error_of(page, "confirm") == "两次输入的密码不一致"


def test_reset_shows_the_rules_and_the_mismatch_together(client, seeded):
    html = client.get("/auth/reset").get_data(as_text=True)
    client.post("/auth/reset", data={"csrf_token": csrf_from(html), "login": "13800001111"})
    html = client.get("/auth/reset/confirm").get_data(as_text=True)
    resp = client.post("/auth/reset/confirm", data={"csrf_token": csrf_from(html), "code": "123456",
                                                    "password": "short", "confirm": "shorter"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert _error_of(page, "password") == "密码至少 8 位；密码须同时包含字母和数字"
    assert _error_of(page, "confirm") == "两次输入的密码不一致"
