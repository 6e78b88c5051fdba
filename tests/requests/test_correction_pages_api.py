"""Correction requests (条例 Art. 41) through the pages and the API: the citizen's form and their own requests
only, the staff queue and handling page, the JSON API and its OpenAPI document, and every role tried on every
step (the access-matrix style of issue 14: page and API agree with the table below, written independently of
requests_module/access.py). Nothing of a correction request is public."""
import base64
import io
import re

import pytest
from pypdf import PdfReader

from requests_module.correction_models import CorrectionRequest
from tests.access_matrix import Visitor, check, make_people
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.correction_helpers import CORRECTION, PDF, registered
from tests.requests.helpers import date

NOW = at(2026, 11, 4, 10)


def _form(client, url, to=None, **fields):
    """Open the page at `url` and post its form (to `to`, else back to `url`) with `fields`."""
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(to or url, data={**fields, "csrf_token": token}, content_type="multipart/form-data")


def test_citizen_submits_online_sees_only_their_own_and_reads_the_reply(app, seeded):
    """Art. 41 online: the form refuses a request without evidence and keeps what was typed; the citizen sees
    their request and, once decided, the reply letter (PDF); another citizen and anonymous visitors get 404."""
    owner = make_user("citizen", "13800002222")
    client = app.test_client()
    assert login(client, owner.login_id).status_code == 302
    with pinned(app, NOW):
        refused = _form(client, "/corrections/new", department="mzj", **CORRECTION)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "请上传证明该信息记录不准确的证据材料" in html
        assert "本人家庭人口为3人。" in html and "2025年度低保对象名单中本人家庭人口数" in html  # typed values kept
        done = _form(client, "/corrections/new", department="mzj", **CORRECTION,
                     evidence=[(io.BytesIO(PDF), "户口簿.pdf")])
    assert done.status_code == 302
    cr = CorrectionRequest.query.one()
    assert cr.citizen_id == owner.id and cr.received_on == date(2026, 11, 4)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert cr.number in page and "审核中" in page and "户口簿.pdf" in page
    assert cr.number in client.get("/corrections/").get_data(as_text=True)
    assert client.get(f"/corrections/{cr.id}/letter.pdf").status_code == 404  # no letter before the decision
    ev = cr.evidence[0]
    assert client.get(f"/corrections/{cr.id}/evidence/{ev.id}").data == PDF

    other = make_user("citizen", "13800003333")
    stranger, anonymous = app.test_client(), app.test_client()
    assert login(stranger, other.login_id).status_code == 302
    for visitor in (stranger, anonymous):
        for path in (f"/corrections/{cr.id}", f"/corrections/{cr.id}/evidence/{ev.id}"):
            resp = visitor.get(path)
            assert resp.status_code == 404 and b"%PDF" not in resp.data, path
    assert cr.number not in stranger.get("/corrections/").get_data(as_text=True)
    assert anonymous.get("/corrections/new").status_code == 302  # an account: the record is the applicant's own

    staff = make_user("staff", "s@x.cn", department="mzj")
    desk = app.test_client()
    assert login(desk, staff.login_id).status_code == 302
    assert cr.number in desk.get("/corrections/staff/").get_data(as_text=True)
    with pinned(app, at(2026, 11, 6, 10)):
        bad = _form(desk, f"/corrections/staff/{cr.id}", f"/corrections/staff/{cr.id}/decide", decision="forwarded",
                    organ="", text="户籍由公安登记", on="2026-11-06")
        assert bad.status_code == 400
        assert "请写明有权更正的行政机关名称" in bad.get_data(as_text=True)
        assert "户籍由公安登记" in bad.get_data(as_text=True)  # the typed reason stays in the form
        ok = desk.post(f"/corrections/staff/{cr.id}/decide", data={
            "csrf_token": csrf_from(desk.get(f"/corrections/staff/{cr.id}").get_data(as_text=True)),
            "decision": "corrected", "text": "家庭人口由2人更正为3人。", "on": "2026-11-06"})
        assert ok.status_code == 302
        assert "作出处理决定并生成答复书" not in desk.get(f"/corrections/staff/{cr.id}").get_data(as_text=True)
    letter = client.get(f"/corrections/{cr.id}/letter.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages))
    assert "更正情况：家庭人口由2人更正为3人。" in text and "予以更正" in text
    assert "已答复" in client.get(f"/corrections/{cr.id}").get_data(as_text=True)


def test_a_second_decision_on_the_page_is_refused_with_409(app, seeded):
    """A decided request is closed (the transition table): a second decision answers 409 with the reason."""
    cr = registered(date(2026, 11, 2))
    staff = make_user("staff", "s@x.cn", department="mzj")
    desk = app.test_client()
    assert login(desk, staff.login_id).status_code == 302
    token = csrf_from(desk.get(f"/corrections/staff/{cr.id}").get_data(as_text=True))
    with pinned(app, NOW):
        first = desk.post(f"/corrections/staff/{cr.id}/decide", data={
            "csrf_token": token, "decision": "not_proven", "text": "证据不足", "on": "2026-11-04"})
        second = desk.post(f"/corrections/staff/{cr.id}/decide", data={
            "csrf_token": token, "decision": "corrected", "text": "改", "on": "2026-11-04"})
    assert first.status_code == 302
    assert second.status_code == 409 and "不能作出处理决定" in second.get_data(as_text=True)
    timeline = desk.get(f"/corrections/staff/{cr.id}").get_data(as_text=True)  # the audit trail, both steps
    assert "收到更正申请" in timeline and "作出处理决定" in timeline and "全过程记录" in timeline


def test_staff_register_a_paper_request_for_their_own_department(app, seeded):
    """Art. 29/31 by analogy: a department's staff register a request handed in at their window, with its
    receipt date; it goes to their own department whatever was chosen."""
    staff = make_user("staff", "s@x.cn", department="zjj")
    desk = app.test_client()
    assert login(desk, staff.login_id).status_code == 302
    with pinned(app, NOW):
        bad = _form(desk, "/corrections/staff/register", channel="in_person", received_on="9999-01-01",
                    **CORRECTION, evidence=[(io.BytesIO(PDF), "a.pdf")])
        assert bad.status_code == 400 and "收到日期" in bad.get_data(as_text=True)
        assert "本人家庭人口为3人。" in bad.get_data(as_text=True)
        done = _form(desk, "/corrections/staff/register", channel="in_person", received_on="2026-11-03",
                     department="mzj", **CORRECTION, evidence=[(io.BytesIO(PDF), "a.pdf")])
    assert done.status_code == 302
    cr = CorrectionRequest.query.one()
    assert cr.department.code == "zjj" and cr.channel == "in_person" and cr.received_on == date(2026, 11, 3)


def _b64(data):
    return base64.b64encode(data).decode()


def test_api_registers_decides_and_refuses(app, seeded, api_as):
    """The API gains every step: register with evidence (base64), list, read, decide; bad input 400, a second
    decision 409 with a Chinese message; all in /api/v1/openapi.json."""
    staff = api_as("staff", "mzj")
    body = {**CORRECTION, "received_on": "2026-11-03", "channel": "mail"}
    assert staff.post("/correction-requests", body, now=NOW).status_code == 400  # no evidence
    bad = staff.post("/correction-requests", {**body, "evidence": [{"filename": "a.pdf", "content_base64": "@@"}]},
                     now=NOW)
    assert bad.status_code == 400 and "base64" in bad.get_json()["message"]
    # A file that is not a PDF/JPG/PNG is refused under the field it came in (`evidence`), named as evidence.
    fake = staff.post("/correction-requests", {**body, "evidence": [{"filename": "a.pdf",
                                                                      "content_base64": _b64(b"MZ not a pdf")}]}, now=NOW)
    assert fake.status_code == 400 and list(fake.get_json()["fields"]) == ["evidence"]
    assert fake.get_json()["fields"]["evidence"].startswith("证据材料“a.pdf”不是 PDF")
    huge = staff.post("/correction-requests", {**body, "received_on": "9999-12-31",
                                               "evidence": [{"filename": "a.pdf", "content_base64": _b64(PDF)}]}, now=NOW)
    assert huge.status_code == 400
    made = staff.post("/correction-requests", {**body, "evidence": [{"filename": "a.pdf", "content_base64": _b64(PDF)}]},
                      now=NOW)
    assert made.status_code == 201, made.get_json()
    item = made.get_json()
    assert item["department"] == "mzj" and item["target_due_on"] == "2026-12-01" and item["urgency"] == "normal"
    assert item["evidence"][0]["size"] == len(PDF)
    assert [i["id"] for i in staff.get("/correction-requests").get_json()["items"]] == [item["id"]]
    no_organ = staff.post(f"/correction-requests/{item['id']}/decision", {"decision": "referred"}, now=NOW)
    assert no_organ.status_code == 400 and no_organ.get_json()["fields"] == {"organ": "转送或告知时请写明有权更正的行政机关名称"}
    done = staff.post(f"/correction-requests/{item['id']}/decision",
                      {"decision": "referred", "organ": "盐城市亭湖区公安分局", "on": "2026-11-04"}, now=NOW)
    assert done.status_code == 200 and done.get_json()["decision"] == "referred"
    assert done.get_json()["target_organ"] == "盐城市亭湖区公安分局" and done.get_json()["urgency"] is None
    twice = staff.post(f"/correction-requests/{item['id']}/decision", {"decision": "corrected", "text": "x"}, now=NOW)
    assert twice.status_code == 409 and "已答复" in twice.get_json()["message"]
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {"/correction-requests", "/correction-requests/{correction_id}",
            "/correction-requests/{correction_id}/decision"} <= set(doc["paths"])
    assert "CorrectionRequest" in doc["components"]["schemas"]


EXPECTED = {  # who may read and decide a correction request addressed to 民政局 (mzj)
    "operator": False, "staff of the department": True, "approver of the department": True,
    "staff of another department": False, "approver of another department": False, "supervisor": True,
    "admin": True, "citizen": False,
}
USERS = {
    "operator": ("operator", None), "staff of the department": ("staff", "mzj"),
    "approver of the department": ("approver", "mzj"), "staff of another department": ("staff", "zjj"),
    "approver of another department": ("approver", "zjj"), "supervisor": ("supervisor", None),
    "admin": ("admin", None), "citizen": ("citizen", None),
}


@pytest.fixture
def people(seeded):
    return make_people(USERS)


@pytest.mark.parametrize("label", list(USERS))
def test_every_role_on_a_correction_request_pages_and_api_agree(app, people, label):
    """The addressed organ's staff and approvers and oversight read and decide it; nobody else learns it exists
    (a citizen who did not submit it included)."""
    visitor = Visitor(app, people[label])
    allowed = EXPECTED[label]
    cr = registered(date(2026, 11, 2))
    assert (visitor.page.get(f"/corrections/staff/{cr.id}").status_code == 200) is allowed
    assert (visitor.page.get(f"/corrections/{cr.id}").status_code == 200) is allowed
    assert visitor.reads_in_api("/api/v1/correction-requests", cr.id) in (None, allowed)
    on_page = visitor.post_page(f"/corrections/staff/{cr.id}/decide")
    second = registered(date(2026, 11, 2))
    in_api = visitor.post_api(f"/api/v1/correction-requests/{second.id}/decision", {"decision": "not_proven"})
    check(label, {"decide"} if allowed else set(), [("decide", on_page, in_api)])


def test_a_bad_choice_is_refused_in_chinese(app, seeded):
    """A forged department, identity type or applicant type gets the service's Chinese message, not WTForms'."""
    client = app.test_client()
    assert login(client, make_user("citizen", "13800002222").login_id).status_code == 302
    with pinned(app, NOW):
        resp = _form(client, "/corrections/new", **{**CORRECTION, "department": "zzz", "id_type": "bogus",
                                                    "applicant_type": "robot"}, evidence=[(io.BytesIO(PDF), "a.pdf")])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Not a valid choice" not in html
    assert "请选择提出更正申请的行政机关" in html and "请选择证件类型" in html and "申请人类型应为" in html
    assert CorrectionRequest.query.count() == 0
