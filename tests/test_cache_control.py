"""`Cache-Control: no-store` on every answer that may carry personal data, by one rule
(core.security.no_store): every route of the URL map, GET and POST, anonymous and signed in, answers
with it — whatever the status — except static files and the public, reviewed pages seen anonymously.
Real pages and API answers with personal data are checked too."""
from datetime import date

import pytest

from core.security import public_endpoints
from tests.conftest import csrf_from, login, make_user
from tests.test_route_access import _url


def _walk(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


PUBLIC_ENDPOINTS = frozenset({  # core's own and those the workflows register
    "main.home",
    "public_log.index", "public_log.record", "public_log.feed", "public_log.department_feed",
    "log_api.search", "log_api.record",
    "open311.discovery", "open311.services", "open311.service_definition", "open311.requests_list",
    "open311.request_one", "open311.token",
    "api.departments", "api.openapi",
})


def test_the_public_list_names_real_get_routes(app):
    gets = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert public_endpoints(app) == PUBLIC_ENDPOINTS
    assert PUBLIC_ENDPOINTS <= gets
    assert not {"requests.show", "hotline.status", "requests.lookup", "api.me", "main.captcha"} & PUBLIC_ENDPOINTS


@pytest.mark.parametrize("visitor", ["anonymous", "citizen", "supervisor"])
def test_every_route_answers_no_store_unless_public(app, client, seeded, visitor):
    headers = {}
    if visitor != "anonymous":
        user = make_user(visitor)
        assert login(client, user.login_id).status_code == 302
        if user.role.is_staff:
            from core.auth.service import create_token
            headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    checked = 0
    for rule, method in _walk(app):
        if rule.rule == "/auth/logout":
            continue  # would end the session mid-walk
        url = _url(rule.rule)
        if method == "GET":
            resp = client.get(url, headers=headers)
        elif rule.rule.startswith("/api/"):
            resp = client.post(url, json={}, headers=headers)
        else:
            resp = client.post(url, data={"csrf_token": token})
        cache = resp.headers.get("Cache-Control", "")
        where = f"{method} {url} as {visitor}: {resp.status_code} {cache!r}"
        if rule.endpoint == "static":
            assert "no-store" not in cache, where
        elif method == "GET" and rule.endpoint in PUBLIC_ENDPOINTS and visitor == "anonymous":
            assert "no-store" not in cache, where
        else:
            assert cache == "no-store", where
        checked += 1
    assert checked > 100


def test_pages_with_personal_data_are_not_stored(app, client, seeded):
    """200 answers that show an applicant's data: the look-up result, the staff page, the API, the letter."""
    from core.auth.service import create_token
    from tests.requests.helpers import received

    req = received(date(2026, 11, 2), phone="13800001111")
    visitor = app.test_client()
    token = csrf_from(visitor.get("/requests/").get_data(as_text=True))
    looked_up = visitor.post("/requests/lookup", data={"number": req.number, "secret": "13800001111",
                                                       "csrf_token": token})
    page = visitor.get(looked_up.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"

    supervisor = make_user("supervisor")
    assert login(client, supervisor.login_id).status_code == 302
    staff_page = client.get(f"/requests/staff/{req.id}")
    assert staff_page.status_code == 200 and staff_page.headers["Cache-Control"] == "no-store"
    home = client.get("/")
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"  # the user's name is in it
    bearer = {"Authorization": "Bearer " + create_token(supervisor, now=supervisor.created_at)[0]}
    api = client.get(f"/api/v1/disclosure-requests/{req.id}", headers=bearer)
    assert api.status_code == 200 and api.headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable_for_anonymous_visitors(client, seeded):
    for url in ("/", "/log/", "/log/feed.atom", "/api/v1/departments", "/open311/v2/services.json"):
        resp = client.get(url)
        assert resp.status_code == 200 and "no-store" not in resp.headers.get("Cache-Control", ""), url
