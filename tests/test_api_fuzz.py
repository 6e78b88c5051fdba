"""Schemathesis against /api/v1/openapi.json: requests generated from the documented schema (bounded
examples per operation), sent as a supervisor with a real token to the test app on SQLite and on
PostgreSQL — no 500s."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet

from app import create_app
from config import TestingConfig
from tests.conftest import make_user

EXAMPLES = 8  # per operation; the point is breadth over every endpoint in each run of the suite

# The document only (no database is needed to serve it); requests go to the test app below.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(TestingConfig))


@pytest.fixture
def bearer(app, seeded, now):
    from core.auth.service import create_token
    from hotline import intake
    from hotline.seed import seed_categories
    from tests.requests.helpers import received
    seed_categories()
    # something for generated ids to find: application 1 (assigned to 民政局) and ticket 1 (new)
    received(now.date())
    intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                          "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone", received_at=now,
                         now=now, actor="op")
    return {"Authorization": "Bearer " + create_token(make_user("supervisor", "fuzz@x.cn"), now=now)[0]}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, client, bearer):
    body = None if isinstance(case.body, NotSet) else case.body
    kwargs = {"data": body} if isinstance(body, (bytes, str)) else {"json": body} if body is not None else {}
    response = client.open("/api/v1" + case.formatted_path, method=case.method, query_string=case.query or {},
                           headers={**(case.headers or {}), **bearer}, **kwargs)
    assert response.status_code < 500, (f"{case.method} {case.formatted_path} {case.query} {case.body!r} → "
                                        f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
