"""Citizen and staff pages: submission with attachments, lookup, privacy by id guessing, the handling
pages end to end, the correction answered online, the reply letter PDF."""
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from core.extensions import db
from requests_module.models import DisclosureRequest
from tests.conftest import SH, csrf_from, login, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, GUIDANCE, received
from tests.test_status_lookup import code_from

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FAKE_PDF = b"MZ this is an executable pretending to be a pdf"


def submit(client, **changes):
    page = client.get("/requests/new").get_data(as_text=True)
    data = {**APPLICATION, **changes, "csrf_token": csrf_from(page)}
    return client.post("/requests/new", data=data, content_type="multipart/form-data")


def test_anonymous_submission_with_attachment_and_lookup(app, client, seeded):
    resp = submit(client, attachments=[(io.BytesIO(PNG), "证明.png")])
    assert resp.status_code == 302
    req = DisclosureRequest.query.one()
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert req.number in page and "已提交，待确认收到" in page and len(req.attachments) == 1
    code = code_from(page)  # the receipt page shows the access code
    other = app.test_client()
    assert other.get(f"/requests/{req.id}").status_code == 404
    token = csrf_from(other.get("/requests/").get_data(as_text=True))
    bad = other.post("/requests/lookup", data={"number": req.number, "code": "13800001111", "csrf_token": token})
    assert "没有找到匹配的申请" in other.get(bad.headers["Location"]).get_data(as_text=True)  # the phone is no key
    ok = other.post("/requests/lookup", data={"number": req.number.lower(), "code": code.lower(), "csrf_token": token})
    assert ok.headers["Location"].endswith(f"/requests/{req.id}")
    assert other.get(f"/requests/{req.id}").status_code == 200


def test_bad_form_keeps_the_input_and_names_the_problems(client, seeded):
    resp = submit(client, phone="123", id_number="110105194912310021", attachments=[(io.BytesIO(FAKE_PDF), "a.pdf")])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "身份证号码不正确" in html and "请填写 11 位手机号" in html
    assert 'value="2025年城乡低保对象名单"' in html  # nothing the citizen typed is lost
    resp = submit(client, attachments=[(io.BytesIO(FAKE_PDF), "a.pdf")])
    assert resp.status_code == 400 and "不是 PDF、JPG、PNG、Word" in resp.get_data(as_text=True)
    assert DisclosureRequest.query.count() == 0


def test_citizens_cannot_open_each_others_applications(app, client, seeded):
    alice = make_user("citizen", "13800000001")
    make_user("citizen", "13800000002")
    login(client, "13800000001")
    submit(client, attachments=[(io.BytesIO(PNG), "a.png")])
    req = DisclosureRequest.query.one()
    assert req.citizen_id == alice.id
    assert req.number in client.get("/requests/").get_data(as_text=True)
    bob = app.test_client()
    login(bob, "13800000002")
    att = req.attachments[0].id
    for url in (f"/requests/{req.id}", f"/requests/{req.id}/letter.pdf", f"/requests/{req.id}/attachments/{att}"):
        assert bob.get(url).status_code == 404, url
    token = csrf_from(bob.get("/requests/").get_data(as_text=True))
    assert bob.post(f"/requests/{req.id}/correction", data={"text": "x", "csrf_token": token}).status_code == 404
    assert req.number not in bob.get("/requests/").get_data(as_text=True)
    assert client.get(f"/requests/{req.id}/attachments/{att}").headers["Content-Disposition"].startswith("attachment")


def test_staff_of_another_department_cannot_act(app, client, seeded):
    req = received(date(2026, 9, 28))
    make_user("staff", "zjj@x.cn", department="zjj")
    login(client, "zjj@x.cn")
    assert client.get(f"/requests/staff/{req.id}").status_code == 404  # as in the API: not even that it exists
    token = csrf_from(client.get("/requests/staff/").get_data(as_text=True))
    resp = client.post(f"/requests/staff/{req.id}/reply", data={"outcome": "disclosed", **DISCLOSED, "text": "x", "on": "2026-10-10",
                                                               "csrf_token": token})
    assert resp.status_code == 404 and db.session.get(DisclosureRequest, req.id).status == "assigned"
    assert req.number not in client.get("/requests/staff/").get_data(as_text=True)


def act(client, req_id, action, **form):
    page = client.get(f"/requests/staff/{req_id}").get_data(as_text=True)
    return client.post(f"/requests/staff/{req_id}/{action}", data={**form, "csrf_token": csrf_from(page)},
                       content_type="multipart/form-data")


def test_online_application_from_submission_to_reply_letter(app, client, seeded):
    citizen_client = app.test_client()
    make_user("citizen", "13800001111")
    login(citizen_client, "13800001111")
    submit(citizen_client, title="2025年城乡低保标准")
    req = DisclosureRequest.query.one()
    make_user("supervisor", "sup@x.cn")
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "sup@x.cn")
    intake_page = client.get("/requests/staff/intake").get_data(as_text=True)
    assert req.number in intake_page and "民政局牵头" in intake_page
    # A web submission carries the real submission time; staff confirm receipt on that same day.
    day = req.submitted_at.astimezone(SH).date().isoformat()
    act(client, req.id, "confirm", received_on=day)
    act(client, req.id, "assign", department="mzj")
    staff = app.test_client()
    login(staff, "s@x.cn")
    queue = staff.get("/requests/staff/").get_data(as_text=True)
    db.session.refresh(req)
    assert req.number in queue and req.received_on.isoformat() == day
    act(staff, req.id, "correction_notice", guidance=GUIDANCE, items="请写明所需年份", on=day)
    citizen_page = citizen_client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "需要您补正" in citizen_page and "请写明所需年份" in citizen_page
    db.session.remove()
    bad = act(staff, req.id, "reply", outcome="withheld_law", text="x", on=day)
    assert bad.status_code == 409 and "补正" in bad.get_data(as_text=True)  # awaiting the correction: refused
    token = csrf_from(citizen_page)
    citizen_client.post(f"/requests/{req.id}/correction", data={"text": "2025年", "csrf_token": token})
    db.session.remove()
    req = db.session.get(DisclosureRequest, req.id)
    assert req.status == "assigned" and req.correction_received_on is not None
    act(staff, req.id, "reply", outcome="disclosed", **DISCLOSED, text="经查，现将2025年城乡低保标准提供给您。", on=str(req.correction_received_on))
    db.session.remove()
    assert db.session.get(DisclosureRequest, req.id).status == "awaiting_signoff"  # the government's letter (Art. 36)
    act(client, req.id, "sign_off")  # the district 公开办 (supervisor) issues it
    db.session.remove()
    req = db.session.get(DisclosureRequest, req.id)
    assert req.status == "closed"
    page = citizen_client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "查看答复书" in page and req.reply_doc_number in page
    assert "受理机关</dt><dd class=\"col-sm-9\">盐城市亭湖区人民政府" in page  # Art. 27: who answers
    # reading the letter online is its delivery: the applicant acknowledges it first (网上签收), as every notice
    assert citizen_client.get(f"/requests/{req.id}/letter.pdf").status_code == 302
    [doc] = [d for d in req.documents if d.kind == "reply"]
    citizen_client.post(f"/requests/{req.id}/documents/{doc.id}/receipt", data={"csrf_token": csrf_from(page)})
    pdf = citizen_client.get(f"/requests/{req.id}/letter.pdf")
    assert pdf.mimetype == "application/pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    for expected in ("政府信息公开申请答复书", req.reply_doc_number, "张三", "2025年城乡低保标准", "予以公开",
                     "行政复议", "行政诉讼", "盐城市亭湖区人民政府"):
        assert expected in text, expected
    # 条例 Art. 27: the online form is addressed to the district government, which received it and answers
    # in its own name; the internal assignment to 民政局 does not make 民政局 the signer
    assert "民政局" not in text and "向盐城市人民政府申请行政复议" in text


def test_register_paper_application_page(client, seeded):
    make_user("supervisor", "sup@x.cn")
    login(client, "sup@x.cn")
    page = client.get("/requests/staff/register").get_data(as_text=True)
    resp = client.post("/requests/staff/register", data={**APPLICATION, "channel": "mail", "received_on": "2026-09-28",
                                                       "csrf_token": csrf_from(page)}, content_type="multipart/form-data")
    assert resp.status_code == 302
    req = DisclosureRequest.query.one()
    assert req.channel == "mail" and req.received_on == date(2026, 9, 28) and req.status == "received"
    bad = client.post("/requests/staff/register", data={**APPLICATION, "channel": "mail", "received_on": "2026-02-30",
                                                      "csrf_token": csrf_from(page)}, content_type="multipart/form-data")
    assert "不存在的日期" in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["citizen", "operator"])
def test_staff_pages_refuse_other_roles(client, seeded, role):
    make_user(role, "x@x.cn")
    login(client, "x@x.cn")
    assert client.get("/requests/staff/").status_code == 403


def test_the_citizen_page_states_the_answer_period_and_its_extension(client, seeded):
    """Art. 33 para. 2: 20 working days from receipt; an extension needs the consent of the head of the
    政府信息公开工作机构, is told to the applicant and is at most 20 working days more."""
    html = client.get("/requests/").get_data(as_text=True)
    assert "自收到申请之日起 20 个工作日内答复" in html
    assert "经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 20 个工作日" in html
