"""CSRF on every state-changing form: each POST route of the URL map, posted from a signed-in
session without a token (or with another session's token), answers 400 with the CSRF message and
never reaches its view. The only routes without it are the token APIs, which no cookie can drive:
/api/v1 (bearer tokens) and Open311 POST (api_key)."""
import pytest

from tests.conftest import csrf_from, login, make_user
from tests.requests.helpers import DISCLOSED
from tests.test_route_access import _url

EXEMPT_PREFIXES = ("/api/", "/open311/")
CSRF_MESSAGE = "页面已过期或缺少安全校验（CSRF）"


def form_posts(app):
    rules = sorted(r.rule for r in app.url_map.iter_rules() if "POST" in r.methods)
    return [rule for rule in rules if not rule.startswith(EXEMPT_PREFIXES)]


def test_the_walk_covers_the_forms_that_matter(app):
    """The walk is not empty and holds the handling forms of both workflows and the review forms."""
    posts = form_posts(app)
    for rule in ("/requests/staff/<int:request_id>/<action>", "/hotline/tickets/<int:ticket_id>/<action>",
                 "/log/review/<int:record_id>/approve", "/auth/login", "/admin/calendar/import"):
        assert rule in posts


@pytest.mark.parametrize("visitor", ["anonymous", "admin", "staff"])
def test_every_form_post_without_a_valid_token_is_refused(app, client, seeded, visitor):
    other = app.test_client()
    foreign_token = csrf_from(other.get("/auth/login").get_data(as_text=True))  # another session's token
    if visitor != "anonymous":
        user = make_user(visitor, department="mzj" if visitor == "staff" else None)
        assert login(client, user.login_id).status_code == 302
    for rule in form_posts(app):
        url = _url(rule)
        for data in ({}, {"csrf_token": foreign_token}, {"csrf_token": "forged"}):
            resp = client.post(url, data=data)
            where = f"POST {url} as {visitor} with {data or 'no token'}"
            assert resp.status_code == 400, where
            assert CSRF_MESSAGE in resp.get_data(as_text=True), where


def test_a_real_handling_action_without_a_token_changes_nothing(app, client, seeded):
    """The staff handling form of a real application, the one a mis-set exemption would open: without
    a token the reply is refused and the application stays as it was."""
    from datetime import date

    from requests_module.models import DisclosureRequest
    from tests.requests.helpers import received

    req = received(date(2026, 11, 2))
    before = req.status
    staff = make_user("staff", "mzj-staff@x.cn", department="mzj")
    assert login(client, staff.login_id).status_code == 302
    resp = client.post(f"/requests/staff/{req.id}/reply", data={"outcome": "disclosed", **DISCLOSED, "text": "经查，现提供。"})
    assert resp.status_code == 400 and CSRF_MESSAGE in resp.get_data(as_text=True)
    from core.extensions import db
    db.session.expire_all()
    assert db.session.get(DisclosureRequest, req.id).status == before
