"""A page form takes no more text than the API doing the same step (its OpenAPI maxLength): too long is refused
with the field named and what was typed kept — never stored, never cut short."""
from datetime import date

import pytest

from core.api.validation import text_limits
from requests_module import staff_views
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import noon, received


def test_every_page_action_has_its_api_twin(app):
    with app.app_context():
        assert set(staff_views.API_TWINS) == set(staff_views.ACTIONS)
        from core.api.openapi import openapi_document
        paths = openapi_document()["paths"]
        assert all(path in paths and "post" in paths[path] for path in staff_views.API_TWINS.values())
        assert text_limits(staff_views.API_TWINS["extend"])["reason"] == 2000


@pytest.mark.parametrize("action, data, field", [
    ("extend", {"days": "5", "reason": "需调取档案" * 1000, "on": "2026-10-28"}, "reason"),
    ("consult", {"kind": "third_party", "party": "某" * 5000, "party_type": "org", "on": "2026-10-28"}, "party"),
    ("correction_notice", {"items": "请写明" * 10000, "guidance": "请写明文件标题", "on": "2026-10-28"}, "items"),
])
def test_too_long_on_the_page_is_refused_like_the_api_and_kept(app, client, seeded, action, data, field):
    req = received(date(2026, 9, 28))
    make_user("approver", "zfb.len@x.cn", department="zfb")
    make_user("staff", "mzj.len@x.cn", department="mzj")
    login(client, "zfb.len@x.cn" if action == "extend" else "mzj.len@x.cn")
    with pinned(app, noon(date(2026, 10, 28))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        resp = client.post(f"/requests/staff/{req.id}/{action}", data={"csrf_token": csrf_from(page), **data})
    html = resp.get_data(as_text=True)
    limit = text_limits(staff_views.API_TWINS[action])[field]
    assert resp.status_code == 400 and f"最多 {limit} 个字" in html
    assert data[field][:200] in html  # the typed text is back in the form
    assert req.extension_days == 0 and req.consultations == [] and req.correction_notice_on is None
