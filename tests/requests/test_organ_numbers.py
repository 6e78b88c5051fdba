"""Lawyer finding 6: each issuing organ numbers its own documents. GB/T 9704-2012 7.2.4: 发文字号 = 发文机关代字 +
〔年份〕 + 发文顺序号 — the receiving department (or the district government, 亭政) has its own 代字 and its own
counter per kind and year (requests_module/numbering.py); numbers issued before are never changed."""
import re

import pytest

from core.departments.models import Department, default_doc_code
from core.departments.service import update_department
from core.errors import ValidationError
from core.extensions import db
from requests_module import corrections, handling, reply
from requests_module.models import DisclosureRequest, LetterNumberCounter
from tests.conftest import at, make_user
from tests.requests.correction_helpers import registered
from tests.requests.helpers import DISCLOSED, date, noon, parallel_replies, received


def _reply(req, staff, day):
    return reply.reply(req, outcome="disclosed", **DISCLOSED, text="现将所申请的信息提供给您。", on=day, now=noon(day), actor=staff)


def _dep(code):
    return Department.query.filter_by(code=code).one()


def test_each_organ_has_its_own_series_and_代字(seeded):
    """民政局's first reply and the district government's first reply are both number 1, each with its 代字."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    ours = received(date(2026, 11, 2), actor=staff)  # registered at 民政局's window: 民政局 answers
    gov = received(date(2026, 11, 2))  # received by the district government's 公开办
    ours2 = received(date(2026, 11, 2), actor=staff)
    _reply(ours, staff, date(2026, 11, 3))
    _reply(gov, make_user("staff", "zfb.s@x.cn", department="zfb"), date(2026, 11, 3))  # the 公开办's clerk
    _reply(ours2, staff, date(2026, 11, 4))
    assert ours.reply_doc_number == "亭民政依申复〔2026〕1号"
    assert gov.reply_doc_number == "亭政依申复〔2026〕1号"
    assert ours2.reply_doc_number == "亭民政依申复〔2026〕2号"


def test_notices_are_numbered_per_organ_and_kind(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    ours, gov = received(date(2026, 11, 2), actor=staff), received(date(2026, 11, 2))
    for req in (ours, gov):
        handling.send_correction_notice(req, guidance="请写明文件标题", items="文件名称", on=date(2026, 11, 3),
                                        now=noon(date(2026, 11, 3)), actor=staff)
    numbers = {req.id: [d.number for d in req.documents] for req in (ours, gov)}
    assert numbers == {ours.id: ["亭民政依申补〔2026〕1号"], gov.id: ["亭政依申补〔2026〕1号"]}


def test_an_admin_set_代字_is_used_and_the_counter_goes_on(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    first, second = received(date(2026, 11, 2), actor=staff), received(date(2026, 11, 2), actor=staff)
    _reply(first, staff, date(2026, 11, 3))
    update_department(_dep("mzj"), {"doc_code": " 亭民 "}, now=at(2026, 11, 3, 15), actor="admin")
    _reply(second, staff, date(2026, 11, 4))
    assert [first.reply_doc_number, second.reply_doc_number] == ["亭民政依申复〔2026〕1号", "亭民依申复〔2026〕2号"]
    update_department(_dep("zfb"), {"doc_code": "亭政办"}, now=at(2026, 11, 4, 15), actor="admin")
    gov = received(date(2026, 11, 4))
    _reply(gov, make_user("staff", "zfb.s@x.cn", department="zfb"), date(2026, 11, 5))  # the 公开办's clerk
    assert gov.reply_doc_number == "亭政办依申复〔2026〕1号"  # 区政府办 keeps the district government's 代字


def test_two_organs_never_share_a_代字(seeded):
    with pytest.raises(ValidationError, match="已由区政府办使用") as exc:
        update_department(_dep("mzj"), {"doc_code": "亭政"}, now=at(2026, 11, 3), actor="admin")
    assert exc.value.field == "doc_code"
    with pytest.raises(ValidationError, match="已由教育局使用"):  # also against another organ's default
        update_department(_dep("mzj"), {"doc_code": "亭教育"}, now=at(2026, 11, 3), actor="admin")
    update_department(_dep("mzj"), {"doc_code": ""}, now=at(2026, 11, 3), actor="admin")
    assert _dep("mzj").issuing_code == "亭民政"  # empty: the default


def test_seeded_代字_are_distinct_defaults(seeded):
    codes = {d.code: d.issuing_code for d in Department.query.all()}
    assert codes["zfb"] == "亭政" and codes["mzj"] == "亭民政" and codes["gafj"] == "亭公安"
    assert len(set(codes.values())) == len(codes)
    assert default_doc_code("x", "区编办") == "亭编办" and default_doc_code("x", "亭湖经济开发区") == "亭经济开发区"


def test_numbers_issued_before_are_never_changed(seeded):
    """A reply numbered in the old shared series keeps its number; the old counter row is left as it was."""
    old = received(date(2026, 11, 2))
    old.status, old.outcome, old.reply_doc_number = "closed", "disclosed", "亭湖依申复〔2026〕5号"
    db.session.add(LetterNumberCounter(series="disclosure_reply", year=2026, last=5))
    db.session.commit()
    new = received(date(2026, 11, 2))
    _reply(new, make_user("staff", "zfb.s@x.cn", department="zfb"), date(2026, 11, 3))  # the 公开办's clerk
    assert new.reply_doc_number == "亭政依申复〔2026〕1号"
    db.session.expire_all()
    assert db.session.get(DisclosureRequest, old.id).reply_doc_number == "亭湖依申复〔2026〕5号"
    assert db.session.get(LetterNumberCounter, ("disclosure_reply", 2026)).last == 5


def test_correction_letters_are_numbered_per_organ(seeded):
    """条例 Art. 41 decisions: each deciding organ's own 更正复 series."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    edu = make_user("staff", "e@x.cn", department="jyj")
    a, b = registered(date(2026, 11, 2)), registered(date(2026, 11, 2), department="jyj")
    c = registered(date(2026, 11, 2))
    for cr, actor in ((a, staff), (b, edu), (c, staff)):
        corrections.decide_correction(cr, decision="corrected", text="家庭人口由2人更正为3人。", on=date(2026, 11, 10),
                           now=at(2026, 11, 10, 15), actor=actor)
    assert [a.letter_number, b.letter_number, c.letter_number] == [
        "亭民政更正复〔2026〕1号", "亭教育更正复〔2026〕1号", "亭民政更正复〔2026〕2号"]


def test_parallel_issue_by_two_organs_gives_each_its_own_gap_free_series(app, seeded):
    """Eight replies issued at the same moment (threads, each its own transaction) on PostgreSQL, four for
    民政局 and four for the district government: each organ's numbers are 1–4, no gap, no duplicate."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server the parallel requests share")
    staff = make_user("staff", "s@x.cn", department="mzj")
    clerk = make_user("staff", "zfb.s@x.cn", department="zfb")  # the 公开办's clerk issues the government's replies
    issuers = {}
    for i in range(8):
        own = i % 2 == 1
        issuers[received(date(2026, 11, 2), actor=staff if own else "test").id] = staff if own else clerk
    results = parallel_replies(app, issuers, date(2026, 11, 3))
    series = {}
    for r in results.values():
        code, n = re.fullmatch(r"(.+)依申复〔2026〕(\d+)号", r.get_json()["reply_doc_number"]).groups()
        series.setdefault(code, []).append(int(n))
    assert {code: sorted(ns) for code, ns in series.items()} == {"亭民政": [1, 2, 3, 4], "亭政": [1, 2, 3, 4]}


def test_the_admin_page_sets_the_代字_and_refuses_another_organs(app, seeded):
    from tests.conftest import csrf_from
    from tests.requests.helpers import MZJ_FORM, admin_on_the_mzj_form
    client, page = admin_on_the_mzj_form(app)
    assert 'name="doc_code"' in page and 'value="亭民政"' in page
    form = {"csrf_token": csrf_from(page), **MZJ_FORM, "reconsideration_body": "盐城市亭湖区人民政府", "discloses": "y",
            "doc_code": "亭政"}
    r = client.post("/admin/departments/mzj/edit", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code in (200, 400) and "已由区政府办使用" in html and 'value="亭政"' in html
    assert _dep("mzj").doc_code == "亭民政"
    r = client.post("/admin/departments/mzj/edit", data={**form, "doc_code": "亭民"})
    assert r.status_code == 302 and _dep("mzj").doc_code == "亭民"
