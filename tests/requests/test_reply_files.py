"""The files of a reply reach the applicant only as issued: a returned draft's files are withdrawn (not listed in
the next letter, not downloadable by the applicant, kept for the record), and a draft's files are not the
applicant's before sign-off; the applicant's page lists their own uploads and the issued reply's files."""
from datetime import date

from core.departments.models import Department
from core.extensions import db
from requests_module import intake, reply
from requests_module.letter import issued_letter
from tests.conftest import at, login, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, noon

PDF = b"%PDF-1.4 test"


def _online(citizen):
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9), citizen=citizen,
                               files=[("身份证明.pdf", PDF + b" id")])
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="t")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 2, 11), actor="t")
    return req


def test_a_returned_drafts_files_never_reach_the_applicant(app, client, seeded):
    Department.query.filter_by(code="zfb").one().requires_signoff = True
    db.session.commit()
    citizen = make_user("citizen", "13800001111")
    staff = make_user("staff", "s.files@x.cn", department="mzj")
    head = make_user("approver", "a.files@x.cn", department="zfb")
    req = _online(citizen)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开。", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=staff,
                files=[("内部请示-勿外传.pdf", PDF + b" internal")])
    [draft_file] = [a for a in req.attachments if a.kind == "reply"]
    login(client, "13800001111")
    assert client.get(f"/requests/{req.id}/attachments/{draft_file.id}").status_code == 404  # not issued yet
    reply.sign_off(req, approve=False, note="附件是内部请示，不能给申请人", now=noon(date(2026, 11, 4)), actor=head)
    assert draft_file.kind == "withdrawn"
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开。", on=date(2026, 11, 5), now=noon(date(2026, 11, 5)), actor=staff,
                files=[("规划许可证.pdf", PDF + b" licence")])
    reply.sign_off(req, approve=True, now=noon(date(2026, 11, 6)), actor=head)
    assert issued_letter(req).attachments == ["规划许可证.pdf"]
    [issued] = [a for a in req.attachments if a.kind == "reply"]
    assert client.get(f"/requests/{req.id}/attachments/{draft_file.id}").status_code == 404
    assert client.get(f"/requests/{req.id}/attachments/{issued.id}").data == PDF + b" licence"
    page = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "规划许可证.pdf" in page and "身份证明.pdf" in page and "内部请示" not in page
    # staff keep the withdrawn file on record, labelled as never sent
    login(client, "s.files@x.cn")
    staff_page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "内部请示-勿外传.pdf" in staff_page and "已退回草稿的附件（未发出）" in staff_page
    assert client.get(f"/requests/{req.id}/attachments/{draft_file.id}").status_code == 200
