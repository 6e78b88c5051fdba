"""Issue 14, accounts: parallel wrong passwords on PostgreSQL, the same time and message for known and
unknown accounts, sessions that end on password change and logout, look-up grants that do not
survive a log-in or log-out, one normalisation of logins and phone numbers."""
import statistics
import threading
import time

import pytest

from core.auth import service
from core.auth.identity import normalize_login, normalize_phone
from core.auth.models import LoginThrottle, User
from core.errors import ValidationError
from core.extensions import db
from tests.conftest import csrf_from, login, make_user
from tests.waiting import PATIENCE

PASSWORD = "Passw0rd!x"


def _account_failures(login_value):
    from core.auth.throttle import account_key
    db.session.expire_all()
    row = db.session.get(LoginThrottle, account_key(login_value))
    return row.failures if row else 0


def test_thirty_parallel_wrong_passwords_throttle_and_nobody_gets_in(app, seeded):
    """30 wrong passwords at once (30 threads, 30 sessions, 30 transactions on PostgreSQL): none logs
    in, the account needs a captcha afterwards, and the right password sent while they are in flight
    does not log in either."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server the parallel requests share")
    make_user("citizen", "victim@example.cn")
    db.session.commit()
    clients = [app.test_client() for _ in range(31)]
    tokens = [csrf_from(c.get("/auth/login").get_data(as_text=True)) for c in clients]
    barrier, results = threading.Barrier(30, timeout=PATIENCE), [None] * 31

    def attempt(i, password):
        if i < 30:
            barrier.wait()
        results[i] = clients[i].post("/auth/login", data={"login": "victim@example.cn", "password": password,
                                                          "csrf_token": tokens[i]})

    threads = [threading.Thread(target=attempt, args=(i, f"wrong-pass{i}")) for i in range(30)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + PATIENCE  # the right password, sent while the wrong ones are counted
    while _account_failures("victim@example.cn") < 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    right = threading.Thread(target=attempt, args=(30, PASSWORD))
    right.start()
    for t in threads + [right]:
        t.join(60)
    codes = [r.status_code for r in results]
    assert codes.count(302) == 0, codes  # nobody logged in, not even the right password
    assert all(c == 401 for c in codes)
    assert _account_failures("victim@example.cn") == 31
    assert any("验证码" in r.get_data(as_text=True) for r in results)
    # afterwards the account needs a captcha, from this address and from any other
    after = login(app.test_client(), "victim@example.cn")
    assert after.status_code == 401 and "验证码" in after.get_data(as_text=True)
    with pytest.raises(service.CaptchaRequired):
        service.authenticate("victim@example.cn", PASSWORD, now=_now(), address="10.7.7.7")


def _now():
    from core.db import utcnow
    return utcnow()


def test_known_and_unknown_accounts_take_the_same_time_and_get_the_same_message(app, seeded, monkeypatch):
    """A wrong password for an existing account and any password for a missing one: medians of 50
    tries each within 20 %, interleaved so that a busy machine slows both alike. With production's hash
    (scrypt; the test configuration's cheap one would leave only database noise to compare)."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    make_user("citizen", "known@example.cn")
    db.session.commit()
    times = {"known@example.cn": [], "missing@example.cn": []}
    messages = set()
    for _ in range(50):
        for who in times:
            LoginThrottle.query.delete()  # each try is a first failure: no captcha, no wait
            db.session.commit()
            start = time.perf_counter()
            with pytest.raises(service.AuthError) as err:
                service.authenticate(who, "wrong-pass1", now=_now(), address="10.0.0.1")
            times[who].append(time.perf_counter() - start)
            messages.add(err.value.message)
    known, missing = (statistics.median(t) for t in times.values())
    assert abs(known - missing) / max(known, missing) < 0.2, (known, missing)
    assert messages == {"账号或密码错误。"}


def _cookie_copy(app, client):
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_old_session_cookie_dies_on_password_change_and_on_logout(app, client, seeded):
    make_user("citizen", "c@example.cn")
    login(client, "c@example.cn")
    stolen = _cookie_copy(app, client)
    assert stolen.get("/auth/password").status_code == 200  # a copy works … until the password changes
    page = csrf_from(client.get("/auth/password").get_data(as_text=True))
    resp = client.post("/auth/password", data={"current": PASSWORD, "password": "newpass123",
                                               "confirm": "newpass123", "csrf_token": page})
    assert resp.status_code == 302
    assert stolen.get("/auth/password").status_code == 302  # sent to the login page
    assert client.get("/auth/password").status_code == 200  # the session that changed it goes on
    copy = _cookie_copy(app, client)
    assert copy.get("/auth/password").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    assert copy.get("/auth/password").status_code == 302  # the cookie from before the logout is dead
    assert client.get("/auth/password").status_code == 302


def test_look_up_grants_end_on_login_and_logout(app, client, seeded):
    """A shared kiosk: what one visitor looked up is not open to the next one who logs in or out."""
    from tests.test_status_lookup import KINDS, look_up
    for kind, (make, _, show, _) in KINDS.items():
        item, code = make()
        assert look_up(client, kind, item, code)
        make_user("citizen", f"next-{kind}@example.cn")
        assert login(client, f"next-{kind}@example.cn").status_code == 302
        assert client.get(show.format(id=item.id)).status_code == 404
        assert look_up(client, kind, item, code)  # a logged-in visitor may look it up again …
        client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
        assert client.get(show.format(id=item.id)).status_code == 404  # … and it closes on logout
        with client.session_transaction() as s:
            assert not any(key.startswith("looked_up") for key in s)


def test_logins_and_phones_are_normalised_one_way(seeded, now):
    assert normalize_login("１３８ ００００ １１１１") == ("phone", "13800001111")  # fullwidth = ASCII
    assert normalize_login("+86 138-0000-1111") == ("phone", "13800001111")
    assert normalize_login(" Ｃitizen＠Example.CN ") == ("email", "citizen@example.cn")
    assert normalize_phone("١٣٨٠٠٠٠١١١١") is None  # Arabic-Indic digits are refused, not read
    for typed in ("١٣٨٠٠٠٠١١١١", "۱۳۸۰۰۰۰۱۱۱۱", "१३८००००११११", "cítizen@example.cn"):
        with pytest.raises(ValidationError):
            normalize_login(typed)
    user = make_user("citizen", "13800001111")
    assert service.authenticate("１３８００００１１１１", PASSWORD, now=now).id == user.id
    with pytest.raises(service.AuthError):
        service.authenticate("١٣٨٠٠٠٠١١١١", PASSWORD, now=now)
    with pytest.raises(ValidationError):  # the same number typed in fullwidth is the same account
        service.create_user(login="１３８００００１１１１", password=PASSWORD, role="citizen", now=now)
    assert User.query.count() == 1


def test_own_successful_logins_do_not_buy_an_address_more_guesses(seeded, now):
    """An attacker alternating wrong passwords for a victim with the right one for an account of their
    own still makes the address wait after LOGIN_ADDRESS_FREE failures: a success only clears its own
    account's count."""
    make_user("citizen", "victim@example.cn")
    make_user("citizen", "mine@example.cn")
    address = "10.9.9.9"
    for i in range(5):  # LOGIN_ADDRESS_FREE
        with pytest.raises(service.AuthError, match="账号或密码错误"):
            service.authenticate("victim@example.cn", f"guess{i}abc", now=now, address=address,
                                 captcha_passed=True)
        assert service.authenticate("mine@example.cn", PASSWORD, now=now, address=address).email == "mine@example.cn"
    with pytest.raises(service.AuthError, match="账号或密码错误"):  # the sixth failure: the address waits
        service.authenticate("victim@example.cn", "guess6abc", now=now, address=address, captcha_passed=True)
    with pytest.raises(service.AuthError, match="登录尝试过于频繁"):
        service.authenticate("victim@example.cn", "guess7abc", now=now, address=address, captcha_passed=True)
    # the owner elsewhere is not slowed down, and the attacker's own account starts afresh
    with pytest.raises(service.AuthError, match="账号或密码错误"):
        service.authenticate("victim@example.cn", "guess8abc", now=now, address="10.1.1.1", captcha_passed=True)
