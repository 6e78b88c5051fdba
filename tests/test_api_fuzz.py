"""Schemathesis against /api/v1/openapi.json: requests generated from the documented schema — valid ones
(positive) and ones that break it (negative: wrong types, out-of-range numbers and dates, missing and
extra fields, bad query values) — at least 50 per operation and phase, sent as a supervisor with a
real token (and the test PBX's CTI token) to the test app on SQLite and on PostgreSQL: no 500s, and every refused input is the API's
JSON 400 naming its fields."""
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from app import create_app
from config import TestingConfig
from tests.conftest import make_user

EXAMPLES = 50  # per operation, in each generation mode

# The document only (no database is needed to serve it); requests go to the test app below.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(TestingConfig))
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES)
SEEN = Counter()  # (backend, operation, generation mode) → requests that reached the app


@pytest.fixture
def bearer(app, seeded, now, monkeypatch):
    from core.auth.service import create_token
    from hotline import intake
    from hotline.seed import seed_categories
    from tests.requests.correction_helpers import registered
    from tests.requests.helpers import received
    seed_categories()
    # something for generated ids to find: application 1 (assigned to 民政局), ticket 1 (new) and correction
    # request 1 (addressed to 民政局, undecided)
    received(now.date())
    registered(now.date())
    intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                          "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone", received_at=now,
                         now=now, actor="op")
    monkeypatch.setitem(app.config, "SMS_WEBHOOK_TOKEN", "fuzz-gateway")  # the SMS webhook's own credential
    # the CTI endpoint's own credential too (TestingConfig.CTI_TOKENS), so that its events reach its validation
    return {"Authorization": "Bearer " + create_token(make_user("supervisor", "fuzz@x.cn"), now=now)[0],
            "X-SMS-Token": "fuzz-gateway", "X-CTI-Token": TestingConfig.CTI_TOKENS.split("=", 1)[1]}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, client, bearer, backend):
    body = None if isinstance(case.body, NotSet) else case.body
    kwargs = {"data": body} if isinstance(body, (bytes, str)) else {"json": body} if body is not None else {}
    headers = {**(case.headers or {}), **bearer}
    response = client.open("/api/v1" + case.formatted_path, method=case.method, query_string=case.query or {},
                           headers=headers, **kwargs)
    where = (f"{case.method} {case.formatted_path} {case.query} {case.body!r} → {response.status_code}: "
             f"{response.get_data(as_text=True)[:300]}")
    assert response.status_code < 500, where
    if response.status_code == 400 and response.is_json:
        answer = response.get_json()
        assert answer["error"] in ("invalid", "gone") and answer["message"], where
    SEEN[backend[0], case.operation.label, case.meta.generation.mode if case.meta else None] += 1


def test_both_generation_modes_reached_every_operation():
    """The negative phase really ran: each operation got generated valid and invalid requests."""
    if not SEEN:
        pytest.skip("the fuzz test did not run in this session")
    for backend, label in {(b, op) for b, op, _ in SEEN}:
        counts = {mode: SEEN[backend, label, mode] for mode in GenerationMode}
        assert all(counts.values()), (backend, label, counts)
