"""The disclosure API: registration, every action with its clock effect, errors, department scope."""
import pytest

from tests.requests.helpers import APPLICATION as FORM_APPLICATION
from tests.requests.helpers import DISCLOSED, GUIDANCE, date, noon

APPLICATION = {**FORM_APPLICATION, "publish_consent": True}  # the API takes JSON booleans


@pytest.fixture
def api(api_as):
    return api_as


def register(caller, received_on="2026-09-28", **extra):
    day = date.fromisoformat(received_on)
    resp = caller.post("/disclosure-requests", {**APPLICATION, "received_on": received_on, "department": "mzj",
                                               **extra}, now=noon(day))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def step(caller, url, body):
    """An action entered at noon of the day it names (`on`): live, not a 补录."""
    return caller.post(url, body, now=noon(date.fromisoformat(body["on"])))


def test_register_and_follow_the_clock_through_actions(api):
    staff = api("staff", "mzj")
    approver = api("approver", "mzj", login="approver@x.cn")
    req = register(staff)
    assert req["due_on"] == "2026-10-30" and req["department"] == "mzj" and req["due_provisional"] is False
    rid = req["id"]
    r = step(staff, f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-10-08"})
    assert r.status_code == 200 and r.get_json()["status"] == "awaiting_correction"
    r = step(staff, f"/disclosure-requests/{rid}/correction", {"text": "2025 年", "on": "2026-10-20"})
    assert r.get_json()["due_on"] == "2026-11-17"
    r = step(staff, f"/disclosure-requests/{rid}/consultations", {"kind": "organ", "party": "市民政局",
                                                                 "on": "2026-10-22"})
    cid = r.get_json()["consultations"][0]["id"]
    r = step(staff, f"/disclosure-requests/{rid}/consultations/{cid}/answer", {"answer": "agreed", "opinion": "同意", "on": "2026-10-26"})
    assert r.get_json()["due_on"] == "2026-11-19"  # 10/23 and 10/26 not counted
    r = step(approver, f"/disclosure-requests/{rid}/extension", {"days": 15, "reason": "档案调取", "on": "2026-11-02"})
    assert r.get_json()["due_on"] == "2026-12-10"
    [notice] = [d for d in r.get_json()["documents"] if d["kind"] == "extension_notice"]
    assert notice["extension_effect"]["state"] == "pending" and notice["extension_effect"]["original_due_on"] == "2026-11-19"
    # told by 11-19, the original due date: the extension takes effect (Art. 33 para. 2)
    r = staff.post(f"/disclosure-requests/{rid}/documents/{notice['id']}/delivery",
                   {"method": "in_person", "delivered_on": "2026-11-03"}, now=noon(date(2026, 11, 3)))
    assert r.status_code == 200 and r.get_json()["due_on"] == "2026-12-10"
    r = step(staff, f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                          "on": "2026-11-20"})
    body = r.get_json()
    assert body["status"] == "closed" and body["outcome"] == "disclosed"
    assert [c["on_time"] for c in body["clocks"] if c["name"] == "answer"] == [True]
    actions = [e["action"] for e in body["timeline"]]
    assert actions[:2] == ["submitted", "assign"] and "extension" in actions and actions[-1] == "reply"


def test_fee_notice_and_payment(api):
    staff = api("staff", "mzj")
    rid = register(staff, received_on="2026-11-02")["id"]
    step(staff, f"/disclosure-requests/{rid}/fee-notice", {"method": "pages", "quantity": 33, "amount": "30", "on": "2026-11-04"})
    r = step(staff, f"/disclosure-requests/{rid}/payment", {"on": "2026-11-12"})
    assert r.get_json()["due_on"] == "2026-12-08"


def test_conflicts_are_409_and_bad_input_400_with_fields(api):
    staff = api("staff", "mzj")
    rid = register(staff)["id"]
    r = step(staff, f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "x", "on": "2026-10-14"})
    assert r.status_code == 409 and r.get_json()["error"] == "conflict" and "7 个工作日" in r.get_json()["message"]
    r = staff.post(f"/disclosure-requests/{rid}/extension", {"days": 5, "reason": "x", "on": "2026-10-14"})
    assert r.status_code == 403  # staff cannot approve extensions (requests_module/access.py)
    r = staff.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "x", "on": "2026-13-01"})
    assert r.status_code == 400 and r.get_json()["fields"] == {"on": "不存在的日期 “2026-13-01”"}
    r = staff.post("/disclosure-requests", {**APPLICATION, "phone": "1", "title": "", "received_on": "2026-10-01"})
    assert r.status_code == 400 and set(r.get_json()["fields"]) == {"phone", "title"}
    r = staff.post("/disclosure-requests", {**APPLICATION})
    assert r.status_code == 400 and r.get_json()["fields"] == {"received_on": "缺少此项"}
    r = staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "withheld_law", "text": "不予公开", "on": "2026-10-20"})
    assert r.status_code == 400 and "legal_ground" in r.get_json()["fields"]
    approver = api("approver", "mzj", login="approver@x.cn")
    r = approver.post(f"/disclosure-requests/{rid}/extension", {"days": "5", "reason": "x"})
    assert r.status_code == 400 and "days" in r.get_json()["fields"]
    assert staff.post(f"/disclosure-requests/{rid}/payment", []).status_code == 400


def test_other_departments_cannot_see_or_act(api):
    mzj = api("staff", "mzj")
    zjj = api("staff", "zjj", login="zjj@x.cn")
    rid = register(mzj)["id"]
    assert zjj.get(f"/disclosure-requests/{rid}").status_code == 404
    assert zjj.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "x"}).status_code == 404
    assert zjj.get("/disclosure-requests").get_json()["items"] == []
    assert [i["id"] for i in mzj.get("/disclosure-requests?status=assigned").get_json()["items"]] == [rid]
    r = zjj.post("/disclosure-requests", {**APPLICATION, "received_on": "2026-10-01", "department": "mzj"})
    assert r.status_code == 400 and "department" in r.get_json()["fields"]
    assert mzj.get("/disclosure-requests?status=bogus").status_code == 400


def test_overdue_filter_and_supervisor_view(api):
    mzj = api("staff", "mzj")
    sup = api("supervisor", login="sup@x.cn")
    old = register(mzj, received_on="2026-09-01")["id"]  # due long before today
    items = sup.get("/disclosure-requests?overdue=true").get_json()["items"]
    assert [i["id"] for i in items] == [old] and items[0]["urgency"] == "overdue"
    assert sup.get("/disclosure-requests?overdue=maybe").status_code == 400


def test_api_requires_a_staff_token(client, seeded):
    assert client.get("/api/v1/disclosure-requests").status_code == 401
    assert client.post("/api/v1/disclosure-requests", json=APPLICATION).status_code == 401
