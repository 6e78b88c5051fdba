"""Issue 15 item 9: the reply letter reads like an official document — one salutation, the applicant
addressed as a person (张三：… 您) or an organisation (单位名称：… 贵单位), no line starting with a closing
punctuation mark, the attachment list printed, a preview (no document number) before the reply is issued,
and document numbers assigned on issue, sequential per year (条例 Art. 36: the organ answers in writing;
《党政机关公文格式》GB/T 9704-2012: 发文字号, 主送机关, 附件说明)."""
import io
import re

import pytest
from pypdf import PdfReader

from core.extensions import db
from requests_module import intake, reply
from requests_module.letter import issued_letter, render_draft_pdf, render_pdf
from requests_module.models import DisclosureRequest
from requests_module.pdf import NO_LINE_START, break_lines
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import (
    DISCLOSED,
    answer_fields,
    date,
    logged_in_application,
    noon,
    parallel_replies,
    received,
    signoff_case,
    staff_and_application,
)

ORG = {"applicant_type": "org", "org_type": "commercial", "name": "盐城某某科技有限公司", "contact_person": "王经理",
       "id_type": "uscc", "id_number": "91110000600037341L"}
LONG = ("经查，你申请获取的信息中，2025年城乡低保对象名单涉及个人隐私，已作区分处理；低保标准、审批程序、"
        "资金发放情况等，已在区政府网站“政府信息公开”栏目主动公开，网址为：http://www.tinghu.gov.cn/，"
        "可自行查阅；对于其余部分，本机关已整理并随本答复提供，请查收！如有疑问，请与承办人联系：电话，"
        "0515-88888888；地址，亭湖区某路1号；邮编，224000。") * 3


def pdf_lines(data):
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return [line.strip() for line in text.splitlines() if line.strip()], re.sub(r"\s+", "", text)


def _reply(req, staff, day, **kw):
    values = {"outcome": "disclosed", "text": "现将所申请的信息提供给您。", **kw}
    return reply.reply(req, **{**answer_fields(values["outcome"]), **values}, on=day, now=noon(day), actor=staff)


def test_a_person_is_addressed_by_name_and_as_您_once(seeded):
    staff, req = staff_and_application()
    _reply(req, staff, date(2026, 11, 3))
    lines, text = pdf_lines(render_pdf(req))
    assert lines[3] == "张三：" or "张三：" in lines[:5]
    assert text.count("张三") == 1  # one salutation, the name not repeated in the body
    assert "收到您提出的政府信息公开申请" in text and "（单位）" not in text and "贵单位" not in text


def test_a_salutation_typed_into_the_reply_text_is_not_repeated(seeded):
    staff, req = staff_and_application()
    _reply(req, staff, date(2026, 11, 3), text="张三：\n现将所申请的信息提供给您。")
    _, text = pdf_lines(render_pdf(req))
    assert text.count("张三：") == 1 and "现将所申请的信息提供给您。" in text


def test_an_organisation_is_addressed_by_its_name_and_as_贵单位(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2), actor=staff, **ORG)
    _reply(req, staff, date(2026, 11, 3), outcome="unavailable_not_held", text="经检索，本机关不掌握该信息。",
           not_held_basis="not_ours", not_ours_reason="企业登记信息由市场监督管理部门负责公开",
           holder_organ="盐城市市场监督管理局", holder_contact="0515-12315")
    _, text = pdf_lines(render_pdf(req))
    assert text.count("盐城某某科技有限公司：") == 1
    assert "收到贵单位提出的政府信息公开申请" in text and "您" not in text
    # Art. 36 (5): the holder organ with its contact details, addressed to the organisation
    assert "负责公开该政府信息的行政机关为盐城市市场监督管理局，联系方式：0515-12315。贵单位可以向该机关提出申请（条例第三十六条第（五）项）。" in text


def test_the_attachment_list_is_printed(seeded):
    staff, req = staff_and_application()
    files = [("低保标准.pdf", b"%PDF-1.4 standard"), ("审批程序.pdf", b"%PDF-1.4 procedure")]
    _reply(req, staff, date(2026, 11, 3), files=files)
    db.session.refresh(req)
    lines, text = pdf_lines(render_pdf(req))
    assert "附件：1.低保标准2.审批程序" in text
    # GB/T 9704: the attachment's name, without the file's extension
    assert any(line.rstrip() in ("2. 审批程序", "2.审批程序") for line in lines) and ".pdf" not in text


def test_no_line_of_the_letter_starts_with_a_closing_mark(seeded):
    """行首禁则 (GB/T 15834): checked on the text of the PDF, line by line."""
    staff, req = staff_and_application()
    _reply(req, staff, date(2026, 11, 3), text=LONG)
    lines, _ = pdf_lines(render_pdf(req))
    assert len(lines) > 20
    assert [line for line in lines if line[0] in NO_LINE_START] == []


def test_line_breaking_pulls_a_character_down_with_a_closing_mark():
    width = 12 * 10  # ten CJK characters at 12 pt
    lines = break_lines("一二三四五六七八九十，十一。", first_width=width, width=width)
    assert lines == ["一二三四五六七八九", "十，十一。"]
    lines = break_lines("一二三四五六七八九“引号”", first_width=width, width=width)
    assert lines == ["一二三四五六七八九", "“引号”"]  # an opening mark never ends a line
    assert all(line[0] not in NO_LINE_START for line in break_lines(LONG))


def test_preview_shows_the_letter_without_a_number_and_saves_nothing(app, client, seeded):
    """Item 9: staff see the letter as it will be issued before confirming; the number comes on issue."""
    req = logged_in_application(client)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert f'formaction="/requests/staff/{req.id}/reply-preview#letter-preview"' in page
    with pinned(app, noon(date(2026, 11, 3))):
        resp = client.post(f"/requests/staff/{req.id}/reply-preview", data={
            "csrf_token": csrf_from(page), "outcome": "disclosed", **DISCLOSED, "text": "现将所申请的信息提供给您。", "on": "2026-11-03"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "答复书预览" in html and "草稿（预览）" in html and "张三：" in html and "依申复〔" not in html
    assert "现将所申请的信息提供给您。</textarea>" in html  # the form is refilled for the confirmation
    db.session.remove()
    again = db.session.get(DisclosureRequest, req.id)
    assert again.status == "assigned" and again.outcome is None and again.reply_doc_number is None
    with pinned(app, noon(date(2026, 11, 3))):
        bad = client.post(f"/requests/staff/{req.id}/reply-preview", data={
            "csrf_token": csrf_from(page), "outcome": "withheld_law", "text": "x", "on": "2026-11-03"})
    assert bad.status_code == 400 and "法律依据" in bad.get_data(as_text=True)


def test_preview_in_the_api_has_no_number(seeded, api_as):
    caller = api_as("staff", "zfb")  # the issuing organ's own staff: issued directly, so dated
    req = received(date(2026, 11, 2))
    resp = caller.post(f"/disclosure-requests/{req.id}/reply-preview",
                       {"outcome": "disclosed", **DISCLOSED, "text": "提供。", "on": "2026-11-03"}, now=noon(date(2026, 11, 3)))
    data = resp.get_json()
    assert resp.status_code == 200, data
    assert data["number"] is None and data["draft"] is True and data["salutation"] == "张三："
    assert data["organ"] == "盐城市亭湖区人民政府" and data["date"] == "2026-11-03"
    db.session.expire_all()
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"


def test_a_draft_awaiting_sign_off_renders_as_draft_without_number(app, client, seeded):
    staff, approver, req = signoff_case()
    _reply(req, staff, date(2026, 11, 3))
    assert req.reply_doc_number is None
    login(client, "a@x.cn")
    pdf = client.get(f"/requests/staff/{req.id}/letter-draft.pdf")
    _, text = pdf_lines(pdf.data)
    assert pdf.status_code == 200 and "草稿（预览）" in text and "依申复〔" not in text and "签发之日" in text
    reply.sign_off(req, approve=True, now=noon(date(2026, 11, 4)), actor=approver)
    assert req.reply_doc_number == "亭民政依申复〔2026〕1号"  # 民政局 received it: its own series
    assert client.get(f"/requests/staff/{req.id}/letter-draft.pdf").status_code == 404
    with pytest.raises(ValueError):
        render_draft_pdf(issued_letter(req))  # an issued letter is never rendered as a draft


def test_numbers_are_assigned_on_issue_sequential_per_year(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    first, second = received(date(2026, 11, 2), actor=staff), received(date(2026, 11, 2), actor=staff)
    reject = received(date(2026, 11, 2), dep=None)
    _reply(second, staff, date(2026, 11, 3))  # issued first: number 1, whatever its id
    intake.reject(reject, outcome="not_processed_petition", message="请向信访部门反映。", on=date(2026, 11, 3),
                  now=noon(date(2026, 11, 3)), actor="公开办")
    _reply(first, staff, date(2026, 11, 4))
    # each issuing organ numbers its own letters (GB/T 9704: 代字〔年份〕序号): 民政局's two, the government's one
    assert [second.reply_doc_number, reject.reply_doc_number, first.reply_doc_number] == [
        "亭民政依申复〔2026〕1号", "亭政依申复〔2026〕1号", "亭民政依申复〔2026〕2号"]
    next_year = received(date(2026, 12, 28), actor=staff)
    _reply(next_year, staff, date(2027, 1, 4))
    assert next_year.reply_doc_number == "亭民政依申复〔2027〕1号"


def test_parallel_issue_gives_distinct_sequential_numbers(app, seeded):
    """Six replies issued at the same moment by six requests (threads, each its own transaction) on
    PostgreSQL: numbers 1–6, no gap, no duplicate."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server the parallel requests share")
    staff = make_user("staff", "s@x.cn", department="mzj")
    results = parallel_replies(app, {received(date(2026, 11, 2), actor=staff).id: staff for _ in range(6)},
                               date(2026, 11, 3))  # 民政局's own: issued at once
    numbers = sorted(int(re.search(r"〕(\d+)号", r.get_json()["reply_doc_number"]).group(1))
                     for r in results.values())
    assert numbers == [1, 2, 3, 4, 5, 6]
