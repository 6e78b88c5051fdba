"""Fixtures: one app per database backend (SQLite and PostgreSQL), a clean database per test.

PostgreSQL comes from TEST_DATABASE_URL. When it is unset or unreachable the PostgreSQL half of
the suite is skipped with a loud reason, except under CI=true where that is a failure.
"""
import contextlib
import os
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from config import TestingConfig
from core.worktime import WorkCalendar, WorkSchedule

SH = ZoneInfo("Asia/Shanghai")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_unavailable(reason):
    """Skip loudly outside CI; fail in CI, where every real service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(f"!!! NOT TESTED: {reason}")


def pg_url():
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


_pg_checked = {}


def check_pg():
    url = pg_url()
    if url is None:
        service_unavailable("TEST_DATABASE_URL is not set to a PostgreSQL URL; PostgreSQL tests skipped")
    if url not in _pg_checked:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            _pg_checked[url] = None
        except Exception as exc:  # noqa: BLE001 - any failure means the server is not usable
            _pg_checked[url] = str(exc).splitlines()[0]
    if _pg_checked[url]:
        service_unavailable(f"PostgreSQL at {url} unreachable ({_pg_checked[url]})")
    return url


def official_calendar():
    """A WorkCalendar of the chinese-calendar package's official data (2004–2026), no database."""
    from core.calendar.provisional import package_days, statutory_holidays

    days = package_days()
    years = {d.year for d in days}
    return WorkCalendar(days, years, statutory_holidays)


@pytest.fixture
def cal():
    return official_calendar()


@pytest.fixture
def schedule():
    return WorkSchedule.parse("08:30-12:00,13:30-17:30", "Asia/Shanghai")


def at(y, m, d, hh=0, mm=0):
    """An aware Asia/Shanghai datetime: tests always pass explicit times."""
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    if request.param == "postgresql":
        return "postgresql", check_pg()
    return "sqlite", f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_app(url, **settings):
    """A testing app on the database at `url` (`settings` override TestingConfig's)."""
    app = create_app(type("Cfg", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, **settings}))

    def _fresh_g():
        # Tests hold an app context while the client makes requests, and Flask reuses it, so `g`
        # (Flask-Login's user, Flask-WTF's CSRF token) would leak between clients; in production each
        # request has its own context. Start every request with an empty `g`, as in production —
        # first, before the app's own hooks put anything there.
        from flask import g
        g.__dict__.clear()
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    return app


@pytest.fixture(scope="session")
def _app(backend):
    name, url = backend
    app = make_app(url)

    from core.extensions import db
    with app.app_context():
        if name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe(app):
    """Empty every table. On PostgreSQL the DELETEs go in one round trip (psycopg runs a parameterless
    multi-statement string as one simple query); SQLite answers in-process anyway."""
    from core.calendar import service as calendar_service
    from core.extensions import db

    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.connection.driver_connection.execute("; ".join(f'DELETE FROM "{t.name}"' for t in tables))
        else:
            for table in tables:
                conn.execute(table.delete())
    calendar_service._cache.clear()


@pytest.fixture
def app(_app):
    """The app with an empty database, emptied again afterwards (some tests build their own app on the same
    database and expect it empty)."""
    with _app.app_context():
        _wipe(_app)
        yield _app
        _wipe(_app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def now():
    return datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, a Friday


_seeded_rows = {}  # database URL -> {table name: rows} as the seeding left them


@pytest.fixture
def seeded(app, now):
    """Departments (with payment channels) and the official calendar, as `flask seed` makes them. The first
    test of a backend runs the real seeding; later ones get the very rows it wrote back in one INSERT per
    table (the seeding costs half a second; the suite asks for it two thousand times)."""
    from core.extensions import db

    url = str(db.engine.url)
    if url not in _seeded_rows:
        from core.calendar.service import seed_from_package
        from core.departments.service import seed_departments

        seed_departments(now)
        seed_from_package(now)
        set_payment_channels()
        with db.engine.connect() as conn:
            _seeded_rows[url] = {t.name: [dict(r._mapping) for r in conn.execute(t.select())]
                                 for t in db.metadata.sorted_tables}
    else:
        db.session.remove()
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                if _seeded_rows[url][table.name]:
                    conn.execute(table.insert(), _seeded_rows[url][table.name])
    return app


def set_payment_channels(**fields):
    """Tests issue fee notices: every department gets a test payment channel (条例 Art. 42; the notice is
    refused without one, requests_module/handling.payment_channel). Pass fields to override, e.g. blanks."""
    from core.departments.models import Department
    from core.extensions import db

    values = {"fee_payee": "测试收款单位（测试数据）", "fee_bank": "测试银行亭湖支行（测试数据）",
              "fee_account": "0000-TEST-0001", "fee_payment_note": "", **fields}
    for dep in Department.query:
        for k, v in values.items():
            setattr(dep, k, v)
    db.session.commit()


def make_user(role, login=None, department=None, password="Passw0rd!x", now=None):
    from core.auth.service import create_user
    from core.departments.models import Department

    dep = Department.query.filter_by(code=department).one() if department else None
    login = login or f"{role}.{department or 'x'}@example.gov.cn"
    return create_user(login=login, password=password, role=role, department=dep,
                       now=now or datetime(2026, 11, 1, tzinfo=timezone.utc), name=f"测试{role}")


def csrf_from(html):
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


def login(client, login_id, password="Passw0rd!x"):
    page = client.get("/auth/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/auth/login", data={"login": login_id, "password": password, "csrf_token": token})


@pytest.fixture
def as_role(client, seeded):
    """Log the test client in as a new user of the given role (and department)."""
    def _as(role, department=None):
        user = make_user(role, department=department)
        resp = login(client, user.login_id)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return user
    return _as


@contextlib.contextmanager
def pinned(app, now):
    """Requests inside are served as if the server's clock read `now` (None: the real clock)."""
    app.config["PINNED_NOW"] = now
    try:
        yield
    finally:
        app.config["PINNED_NOW"] = None


@pytest.fixture
def api_as(client, seeded, now):
    """api_as(role, department, login) → a caller of /api/v1 with a fresh token of a new user of that role."""
    from core.auth.service import create_token

    def as_user(role, department=None, login=None):
        user = make_user(role, login=login, department=department)
        auth = headers = {"Authorization": "Bearer " + create_token(user, now=now)[0]}

        class Caller:
            headers = auth

            def get(self, url):
                return client.get(f"/api/v1{url}", headers=headers)

            def post(self, url, body, now=None):
                """`now`: the server's time for this request (core.db.utcnow pinned), else the real time."""
                with pinned(client.application, now):
                    return client.post(f"/api/v1{url}", json=body, headers=headers)
        return Caller()
    return as_user


__all__ = ["at", "official_calendar", "make_app", "make_user", "login", "csrf_from", "date", "pinned"]


@pytest.fixture
def redis_url():
    """The test Redis (TEST_REDIS_URL, db 15 by default), emptied before and after; skipped loudly when it does
    not answer (a failure under CI=true)."""
    from redis import Redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        service_unavailable(f"Redis at {url} unreachable ({exc}); Redis tests skipped")
    Redis.from_url(url).flushdb()
    yield url
    Redis.from_url(url).flushdb()
