"""Rate limits with the real limiter: per address, shared by the endpoints of one budget, counted in
a real Redis across two web processes, falling back to memory when Redis is gone; a Chinese 429."""
from redis import Redis

from app import create_app
from config import TestingConfig
from core.extensions import db
from core.limits import limited


def limited_app(**settings):
    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        WTF_CSRF_ENABLED = False  # the forms' own checks are not what is measured here
        RATE_LIMIT_LOGIN = "3 per minute"
        RATE_LIMIT_SUBMIT = "2 per hour"
        RATE_LIMIT_SEARCH = "4 per minute"
    for key, value in settings.items():
        setattr(Limited, key, value)
    app = create_app(Limited)
    with app.app_context():
        db.create_all()
    return app


def _login(client, addr="10.0.0.1"):
    return client.post("/auth/login", data={"login": "a@x.cn", "password": "wrong1234"},
                       environ_base={"REMOTE_ADDR": addr})


def test_login_is_limited_per_address_with_a_chinese_page():
    app = limited_app()
    client = app.test_client()
    with app.app_context():
        assert [_login(client).status_code for _ in range(3)] == [401, 401, 401]
        blocked = _login(client)
        assert blocked.status_code == 429 and "请求过于频繁" in blocked.get_data(as_text=True)
        assert int(blocked.headers["Retry-After"]) > 0
        assert _login(client, "10.0.0.2").status_code == 401  # another address has its own budget
        assert client.get("/auth/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200  # GET is free


def test_search_budget_is_shared_by_the_page_and_the_api():
    app = limited_app()
    client = app.test_client()
    with app.app_context():
        assert client.get("/log/?q=低保").status_code == 200
        assert client.get("/api/v1/log?q=低保").status_code == 200
        assert client.get("/log/").status_code == 200
        assert client.get("/api/v1/log").status_code == 200
        blocked = client.get("/api/v1/log?q=低保")
        assert blocked.status_code == 429 and blocked.get_json()["error"] == "rate_limited"


# endpoint -> (budget, methods counted; None = all): core's own and those the workflows register
LIMITS = {
    "auth.login": ("login", ["POST"]),
    "auth.register": ("submit", ["POST"]),
    "auth.register_confirm": ("login", ["POST"]),
    "auth.reset": ("submit", ["POST"]),
    "auth.reset_confirm": ("login", ["POST"]),
    "requests.new": ("submit", ["POST"]),
    "hotline_citizen.new": ("submit", ["POST"]),
    "corrections.new": ("submit", ["POST"]),
    "open311.create": ("submit", None),
    "requests.lookup": ("lookup", None),
    "hotline_citizen.lookup": ("lookup", None),
    "requests.resend_code": ("lookup", None),
    "hotline_citizen.resend_code": ("lookup", None),
    "public_log.index": ("search", None),
    "log_api.search": ("search", None),
    "main.captcha": ("lookup", None),
}


def test_every_limited_endpoint_exists_and_is_wrapped():
    app = limited_app()
    assert limited(app) == LIMITS
    for endpoint in limited(app):
        assert endpoint in app.view_functions, endpoint


def test_redis_counts_for_every_web_process(redis_url):  # noqa: F811
    Redis.from_url(redis_url).flushdb()
    first, second = (limited_app(RATELIMIT_STORAGE_URI=redis_url) for _ in range(2))
    with first.app_context():
        assert [_login(first.test_client()).status_code for _ in range(2)] == [401, 401]
    with second.app_context():
        assert _login(second.test_client()).status_code == 401
        assert _login(second.test_client()).status_code == 429  # the other process's two count here
    Redis.from_url(redis_url).flushdb()


def test_redis_gone_falls_back_to_memory():
    app = limited_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = app.test_client()
    with app.app_context():
        codes = [_login(client).status_code for _ in range(4)]
    assert 500 not in codes and codes[:3] == [401, 401, 401] and codes[3] == 429
