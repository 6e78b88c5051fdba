"""Issue 21 for disclosure applications: the citizen's application form and a staff action sent twice with one
submission token create once; the API's POSTs with one Idempotency-Key — the application and a consultation —
create once and answer the same (core/idempotency.py)."""
from datetime import date

from requests_module.models import Consultation, DisclosureRequest
from tests.conftest import csrf_from, pinned
from tests.hotline.test_submit_once import token_from
from tests.requests.helpers import APPLICATION, logged_in_application, noon
from tests.requests.test_api import APPLICATION as API_APPLICATION


def test_application_form_sent_twice_makes_one_application(client, seeded):
    page = client.get("/requests/new").get_data(as_text=True)
    data = {**APPLICATION, "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    first = client.post("/requests/new", data=data, content_type="multipart/form-data")
    second = client.post("/requests/new", data=data, content_type="multipart/form-data")
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert DisclosureRequest.query.count() == 1
    assert "已提交过" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_application_whose_answer_was_lost_is_sent_once_and_shown(client, seeded):
    """A browser retry after a lost answer (its Set-Cookie lost too): one application, and the retry's page is the
    application, not the way in for a stranger."""
    page = client.get("/requests/new").get_data(as_text=True)
    before = client.get_cookie("session").value
    data = {**APPLICATION, "csrf_token": csrf_from(page), "submission_token": token_from(page)}
    first = client.post("/requests/new", data=data, content_type="multipart/form-data")
    client.set_cookie("session", before)
    second = client.post("/requests/new", data=data, content_type="multipart/form-data")
    assert DisclosureRequest.query.count() == 1 and second.headers["Location"] == first.headers["Location"]
    shown = client.get(second.headers["Location"])
    assert shown.status_code == 200 and APPLICATION["title"] in shown.get_data(as_text=True)


def test_staff_consultation_sent_twice_is_recorded_once(app, client, seeded):
    req = logged_in_application(client)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_token": token_from(page), "kind": "organ",
            "party": "市民政局", "on": "2026-11-03"}
    with pinned(app, noon(date(2026, 11, 3))):
        first = client.post(f"/requests/staff/{req.id}/consult", data=data)
        second = client.post(f"/requests/staff/{req.id}/consult", data=data)
    assert first.status_code == 302 and second.status_code == 303, first.get_data(as_text=True)
    assert Consultation.query.count() == 1


def test_api_application_and_consultation_once_per_key(api_as, seeded):
    staff = api_as("staff", "mzj")
    body = {**API_APPLICATION, "received_on": "2026-11-02", "department": "mzj"}
    with pinned(seeded, noon(date(2026, 11, 2))):
        post = seeded.test_client().post
        headers = {**staff.headers, "Idempotency-Key": "app-1"}
        first = post("/api/v1/disclosure-requests", json=body, headers=headers)
        second = post("/api/v1/disclosure-requests", json=body, headers=headers)
        other = post("/api/v1/disclosure-requests", json={**body, "title": "另一项"}, headers=headers)
    assert first.status_code == second.status_code == 201 and first.get_data() == second.get_data()
    assert other.status_code == 422 and DisclosureRequest.query.count() == 1
    rid = first.get_json()["id"]
    consult = {"kind": "organ", "party": "市民政局", "on": "2026-11-03"}
    with pinned(seeded, noon(date(2026, 11, 3))):
        answers = [post(f"/api/v1/disclosure-requests/{rid}/consultations", json=consult,
                        headers={**staff.headers, "Idempotency-Key": "c-1"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].get_data() == answers[1].get_data()
    assert Consultation.query.count() == 1
