"""Lawyer finding 9: no 倒签. The letter the system composes and numbers is dated the day it is issued (entered);
a reply dated earlier (inside the 补录 window of core/action_time.py) is only the 补录 of a letter really issued on
paper that day: it carries that letter's own number, the system assigns none, and the PDF says it is a 补录 copy
(GB/T 9704-2012 7.2.4 发文字号, 7.3.5.1 成文日期; requests_module/numbering.paper_number)."""
import io
import re

import pytest
from pypdf import PdfReader

from core.audit import AuditEvent
from core.errors import ValidationError
from core.extensions import db
from requests_module import reply
from requests_module.letter import render_pdf
from requests_module.models import DisclosureRequest
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import DISCLOSED, date, noon, received

PAPER = "亭政依申复〔2026〕88号"


def _text(data):
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def _reply(req, staff, on, entered, **kw):
    return reply.reply(req, outcome="disclosed", **DISCLOSED, text="现将所申请的信息提供给您。", on=on, now=noon(entered),
                       actor=staff, **kw)


def test_a_system_letter_cannot_be_dated_before_the_day_it_is_entered(seeded):
    staff = make_user("staff", "s@x.cn", department="zfb")
    req = received(date(2026, 11, 20))
    with pytest.raises(ValidationError, match="不能倒签") as exc:
        _reply(req, staff, date(2026, 11, 27), date(2026, 12, 10))
    assert exc.value.field == "paper_number"
    assert req.status == "assigned" and req.reply_doc_number is None


def test_a_letter_entered_today_is_dated_today_and_numbered_by_the_system(seeded):
    staff = make_user("staff", "s@x.cn", department="zfb")
    req = received(date(2026, 11, 20))
    _reply(req, staff, date(2026, 12, 10), date(2026, 12, 10))
    assert req.replied_on == date(2026, 12, 10) and req.reply_doc_number == "亭政依申复〔2026〕1号"
    assert req.reply_paper_number is None and "本件为补录" not in _text(render_pdf(req))


def test_the_补录_of_a_paper_letter_keeps_its_day_and_number_and_says_so(seeded):
    staff = make_user("staff", "s@x.cn", department="zfb")
    req, later = received(date(2026, 11, 20)), received(date(2026, 11, 20))
    _reply(req, staff, date(2026, 11, 27), date(2026, 12, 10), paper_number=f" {PAPER} ")
    assert req.replied_on == date(2026, 11, 27)  # timeliness is judged by the paper letter's day
    assert req.reply_doc_number == PAPER and req.reply_paper_number == PAPER
    assert [d.number for d in req.documents if d.kind == "reply"] == [PAPER]
    row = AuditEvent.query.filter_by(entity_kind="disclosure_request", entity_id=str(req.id), action="reply").one()
    assert row.entered_at == noon(date(2026, 12, 10))  # flagged 补录 (core/action_time.py)
    text = _text(render_pdf(req))
    assert f"本件为补录，原件于2026年11月27日作出，文号{PAPER}。" in text and "2026年11月27日" in text
    _reply(later, staff, date(2026, 12, 10), date(2026, 12, 10))
    assert later.reply_doc_number == "亭政依申复〔2026〕1号"  # the paper letter took no system number


def test_a_paper_number_already_borne_by_another_reply_is_refused(seeded):
    staff = make_user("staff", "s@x.cn", department="zfb")
    first, second = received(date(2026, 11, 20)), received(date(2026, 11, 20))
    _reply(first, staff, date(2026, 11, 27), date(2026, 12, 10), paper_number=PAPER)
    with pytest.raises(ValidationError, match="已用于另一份答复书"):
        _reply(second, staff, date(2026, 11, 26), date(2026, 12, 10), paper_number=PAPER)
    with pytest.raises(ValidationError, match="原件文号最多 60 字"):
        _reply(second, staff, date(2026, 11, 26), date(2026, 12, 10), paper_number="号" * 61)


def test_a_drafted_paper_补录_keeps_its_day_and_number_on_sign_off(seeded):
    """The head confirms the record of a letter made on paper: it keeps that day and number (a system draft is
    dated on sign-off: tests/core/test_action_time.py)."""
    from core.departments.models import Department
    Department.query.filter_by(code="mzj").one().requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    head = make_user("approver", "a@x.cn", department="mzj")
    req = received(date(2026, 11, 20), actor=staff)
    paper = "亭民政依申复〔2026〕12号"
    _reply(req, staff, date(2026, 11, 27), date(2026, 12, 10), paper_number=paper)
    assert req.status == "awaiting_signoff" and req.reply_doc_number is None
    assert reply.draft_letter(req).backfill_note == f"本件为补录，原件于2026年11月27日作出，文号{paper}。"
    reply.sign_off(req, approve=True, now=noon(date(2026, 12, 11)), actor=head)
    assert req.replied_on == date(2026, 11, 27) and req.reply_doc_number == paper


def test_the_api_asks_for_the_paper_number_and_shows_it(api_as):
    staff = api_as("staff", "zfb")  # the 公开办's clerk: the government received it
    req = received(date(2026, 11, 20))
    url = f"/disclosure-requests/{req.id}"
    body = {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。", "on": "2026-11-27"}
    r = staff.post(url + "/reply", body, now=noon(date(2026, 12, 10)))
    assert r.status_code == 400 and "不能倒签" in r.get_json()["fields"]["paper_number"]
    r = staff.post(url + "/reply", {**body, "paper_number": 88}, now=noon(date(2026, 12, 10)))
    assert r.status_code == 400 and "应为文字" in r.get_json()["fields"]["paper_number"]
    r = staff.post(url + "/reply-preview", {**body, "paper_number": PAPER}, now=noon(date(2026, 12, 10)))
    assert r.status_code == 200 and r.get_json()["backfill_note"] == f"本件为补录，原件于2026年11月27日作出，文号{PAPER}。"
    r = staff.post(url + "/reply", {**body, "paper_number": PAPER}, now=noon(date(2026, 12, 10)))
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    assert data["reply_doc_number"] == PAPER and data["reply_paper_number"] == PAPER
    assert data["replied_on"] == "2026-11-27"


def test_the_page_refuses_a_backdated_letter_and_keeps_the_typed_text(app, client, seeded):
    make_user("staff", "s@x.cn", department="zfb")
    login(client, "s@x.cn")
    req = received(date(2026, 11, 20))
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert 'name="paper_number"' in page
    with pinned(app, noon(date(2026, 12, 10))):
        resp = client.post(f"/requests/staff/{req.id}/reply", data={
            "csrf_token": csrf_from(page), "outcome": "disclosed", **DISCLOSED, "text": "现将所申请的信息提供给您。",
            "on": "2026-11-27"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "不能倒签" in html and "现将所申请的信息提供给您。</textarea>" in html
    assert 'value="2026-11-27"' in html
    with pinned(app, noon(date(2026, 12, 10))):
        resp = client.post(f"/requests/staff/{req.id}/reply", data={
            "csrf_token": csrf_from(page), "outcome": "disclosed", **DISCLOSED, "text": "现将所申请的信息提供给您。",
            "on": "2026-11-27", "paper_number": PAPER})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(DisclosureRequest, req.id).reply_doc_number == PAPER


def test_the_openapi_document_names_the_paper_number(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/disclosure-requests/{request_id}/reply", "/disclosure-requests/{request_id}/reply-preview"):
        props = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
        assert "paper_number" in props and "倒签" in props["paper_number"]["description"]
    assert "reply_paper_number" in spec["components"]["schemas"]["DisclosureRequest"]["properties"]


def test_a_不予处理_letter_follows_the_same_rule(api_as):
    """intake.reject closes with a system letter too: dated the day it is entered, or the 补录 of a paper one."""
    sup = api_as("supervisor", login="sup@x.cn")
    req = received(date(2026, 11, 20), dep=None)
    body = {"outcome": "not_processed_petition", "message": "属投诉事项，请拨打 12345", "on": "2026-11-24"}
    r = sup.post(f"/disclosure-requests/{req.id}/reject", body, now=noon(date(2026, 12, 1)))
    assert r.status_code == 400 and "不能倒签" in r.get_json()["fields"]["paper_number"]
    r = sup.post(f"/disclosure-requests/{req.id}/reject", {**body, "paper_number": "亭政依申复〔2026〕40号"},
                 now=noon(date(2026, 12, 1)))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["reply_doc_number"] == "亭政依申复〔2026〕40号" and r.get_json()["replied_on"] == "2026-11-24"


def test_only_the_issuing_organ_records_its_paper_letter_under_its_own_number(seeded):
    """GB/T 9704-2012 7.2.4: the 补录 carries the issuing organ's own number for that year (its 代字, 〔year〕, N号),
    and only someone of that organ records it — a 民政局 clerk cannot enter a paper letter of the district
    government, and "1" is no document number."""
    clerk = make_user("staff", "zfb.c@x.cn", department="zfb")
    mzj = make_user("staff", "mzj.c@x.cn", department="mzj")
    req = received(date(2026, 11, 20))  # the government received it
    with pytest.raises(ValidationError, match="只有本机关") as exc:
        _reply(req, mzj, date(2026, 11, 27), date(2026, 12, 10), paper_number=PAPER)
    assert exc.value.field == "paper_number"
    for wrong in ("1", "亭民政依申复〔2026〕3号", "亭政依申复〔2025〕3号"):
        with pytest.raises(ValidationError, match="原件文号应为本机关2026年的文号"):
            _reply(req, clerk, date(2026, 11, 27), date(2026, 12, 10), paper_number=wrong)
    assert req.status == "assigned" and req.reply_doc_number is None
    _reply(req, clerk, date(2026, 11, 27), date(2026, 12, 10), paper_number=PAPER)
    assert req.reply_doc_number == PAPER
