"""The front of the procedure (issue 15 item 7): the 公开办's correction notice before assignment (Art. 30),
the confirmation clock of online applications (Art. 31) and the Art. 35 说明理由 step."""
from datetime import date

import pytest

from core.extensions import db
from requests_module import handling
from requests_module.common import clock
from requests_module.models import DisclosureRequest
from requests_module.states import TransitionError
from tests.conftest import csrf_from, login, make_user
from tests.requests.helpers import APPLICATION, noon, received


def test_intake_sends_the_correction_notice_before_assigning_and_it_returns_to_intake(seeded):
    """Art. 30: the notice is due within 7 working days of receipt, whoever holds the application; the 公开办
    sends it while the application is unassigned (已收到，待分办), and the correction brings it back there."""
    req = received(date(2026, 9, 28), dep=None)
    assert req.status == "received"
    handling.send_correction_notice(req, items="请写明文件名称", on=date(2026, 10, 8), now=noon(date(2026, 10, 8)),
                                    actor="t")
    assert req.status == "awaiting_correction" and clock(req).state == "paused"
    assert req.correction_due_on == date(2026, 10, 21)
    handling.receive_correction(req, text="文件名称为……", on=date(2026, 10, 20), now=noon(date(2026, 10, 20)),
                                actor="t")
    # Back to intake, unassigned; the 20 working days run again from the correction (10/20 → 11/17).
    assert req.status == "received" and req.department_id is None and clock(req).due_on == date(2026, 11, 17)
    with pytest.raises(TransitionError, match="一次性"):
        handling.send_correction_notice(req, items="again", on=date(2026, 10, 21), now=noon(date(2026, 10, 21)),
                                        actor="t")


def test_intake_correction_notice_still_within_seven_working_days(seeded):
    """Art. 30: day 7 after a receipt on 9/28 is 10/13, also for an unassigned application."""
    req = received(date(2026, 9, 28), dep=None)
    with pytest.raises(TransitionError, match="7 个工作日内（2026年10月13日前）"):
        handling.send_correction_notice(req, items="x", on=date(2026, 10, 14), now=noon(date(2026, 10, 14)),
                                        actor="t")


def test_correction_notice_from_the_intake_page(app, client, seeded):
    """Art. 30 through the handling page: a supervisor (公开办) sends it on an unassigned application; a
    department's staff cannot see the application at all."""
    from tests.conftest import pinned

    req = received(date(2026, 9, 28), dep=None)
    make_user("supervisor", "sup@x.cn")
    login(client, "sup@x.cn")
    with pinned(app, noon(date(2026, 10, 8))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "一次性补正告知" in page
        resp = client.post(f"/requests/staff/{req.id}/correction_notice",
                           data={"items": "请写明所需年份", "on": "2026-10-08", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    db.session.remove()
    assert db.session.get(DisclosureRequest, req.id).status == "awaiting_correction"
    other = app.test_client()
    make_user("staff", "s@x.cn", department="mzj")
    login(other, "s@x.cn")
    assert other.get(f"/requests/staff/{req.id}").status_code == 404


def test_correction_notice_before_assignment_through_the_api(api_as):
    """Art. 30 through the API: 200 from 已收到，待分办; a second notice is a 409 with a Chinese message."""
    sup = api_as("supervisor")
    body = {**APPLICATION, "publish_consent": True, "received_on": "2026-09-28"}
    r = sup.post("/disclosure-requests", body, now=noon(date(2026, 9, 28)))
    assert r.status_code == 201 and r.get_json()["status"] == "received"
    rid = r.get_json()["id"]
    r = sup.post(f"/disclosure-requests/{rid}/correction-notice", {"items": "请写明年份", "on": "2026-10-08"},
                 now=noon(date(2026, 10, 8)))
    assert r.status_code == 200 and r.get_json()["status"] == "awaiting_correction"
    r = sup.post(f"/disclosure-requests/{rid}/correction", {"text": "2025 年", "on": "2026-10-20"},
                 now=noon(date(2026, 10, 20)))
    assert r.status_code == 200 and r.get_json()["status"] == "received" and r.get_json()["due_on"] == "2026-11-17"
    r = sup.post(f"/disclosure-requests/{rid}/correction-notice", {"items": "再次", "on": "2026-10-21"},
                 now=noon(date(2026, 10, 21)))
    assert r.status_code == 409 and r.get_json()["error"] == "conflict" and "一次性" in r.get_json()["message"]
