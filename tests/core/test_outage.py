"""Issue 21 item 3: the database unreachable → 503 with Retry-After (a Chinese page, or the JSON error of
docs/api.md), one log line and no stack; /healthz names the database; the same app answers again once the server
is back (pool_pre_ping, no restart). Against a real private PostgreSQL that is stopped and started
(tests/pg_pair.py); skipped loudly without server binaries, failing under CI=true."""
import logging

import pytest

from core.auth.service import create_token
from core.extensions import db
from core.outage import connection_lost
from hotline.models import Ticket
from tests.conftest import at, login, make_app, make_user, pinned, service_unavailable
from tests.hotline.test_idempotency import CALL
from tests.pg_pair import PairUnavailable, start_primary


@pytest.fixture(scope="module")
def server():
    try:
        started = start_primary()
    except PairUnavailable as exc:
        service_unavailable(f"cannot start a private PostgreSQL ({exc}); outage tests skipped")
    yield started
    started.remove()


@pytest.fixture(scope="module")
def outage_app(server):
    from core.calendar.service import seed_from_package
    from core.departments.service import seed_departments
    from hotline.seed import seed_categories

    app = make_app(server.primary_url)
    with app.app_context():
        db.create_all()
        seed_departments(at(2026, 11, 1))
        seed_from_package(at(2026, 11, 1))
        seed_categories()
        app.config["TEST_TOKEN"] = create_token(make_user("operator", "op@x.cn"), now=at(2026, 11, 20))[0]
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_database_stopped_503_then_back_without_restart(server, outage_app, caplog):
    api = {"Authorization": "Bearer " + outage_app.config["TEST_TOKEN"]}
    client, staff = outage_app.test_client(), outage_app.test_client()
    with outage_app.app_context():
        assert login(staff, "op@x.cn").status_code == 302
        assert client.get("/hotline/new").status_code == 200
        server.sql(server.primary_port, "CHECKPOINT")  # synchronous_commit is off there: keep the account
        server.stop("primary")
        try:
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                page = client.get("/hotline/new")
                console = staff.get("/hotline/console")
                listing = client.get("/api/v1/departments")
                with pinned(outage_app, at(2026, 11, 20, 9, 5)):
                    created = client.post("/api/v1/tickets", json=CALL, headers={**api, "Idempotency-Key": "o-1"})
                health = client.get("/healthz")
        finally:
            server.start("primary", server.primary_port)
        for r in (page, console):
            assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0
            assert "数据库暂时无法连接" in r.get_data(as_text=True) and r.mimetype == "text/html"
        for r in (listing, created):
            assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0
            assert r.get_json()["error"] == "unavailable" and "数据库" in r.get_json()["message"]
        assert health.status_code == 503
        assert health.get_json()["checks"]["database"]["status"] == "down" and health.get_json()["down"] == ["database"]
        assert not [r for r in caplog.records if r.exc_info], "a stack was logged"
        assert [r for r in caplog.records if "database unreachable" in r.getMessage()]
        # back: the same app, the same pool
        assert client.get("/hotline/new").status_code == 200
        assert staff.get("/hotline/console").status_code == 200
        with pinned(outage_app, at(2026, 11, 20, 9, 5)):
            again = client.post("/api/v1/tickets", json=CALL, headers={**api, "Idempotency-Key": "o-1"})
            repeat = client.post("/api/v1/tickets", json=CALL, headers={**api, "Idempotency-Key": "o-1"})
        assert again.status_code == repeat.status_code == 201 and again.get_data() == repeat.get_data()
        assert Ticket.query.count() == 1
        assert client.get("/healthz").get_json()["status"] in ("ok", "degraded")
        db.session.remove()


def test_only_connection_errors_count():
    from psycopg import errors as pg
    from sqlalchemy.exc import IntegrityError, OperationalError

    assert connection_lost(OperationalError("SELECT 1", {}, pg.AdminShutdown()))
    assert connection_lost(OperationalError("SELECT 1", {}, pg.OperationalError("connection failed")))
    assert not connection_lost(OperationalError("SELECT 1", {}, pg.DeadlockDetected()))
    assert not connection_lost(IntegrityError("INSERT", {}, pg.UniqueViolation()))
    assert not connection_lost(ValueError("x"))
