"""条例 Art. 36 (4) and (5) are two answers under one annual-report code (unavailable_not_held):
(4) 经检索没有 → "该政府信息不存在"; (5) 不属于本机关负责公开 → reasons, and the responsible organ's name and
contact details when it can be determined — never "不存在" for information that is merely someone else's."""
import pytest

from core.errors import ValidationError
from requests_module import reply
from requests_module.letter import letter_text
from tests.conftest import csrf_from, pinned
from tests.requests import helpers
from tests.requests.helpers import DISCLOSED, date, noon
from tests.requests.test_refused_actions import Page, selected

DAY = date(2026, 11, 3)
REASON = "婚姻登记档案由民政部门保管并负责公开"
NOT_EXIST_WORDS = "经检索，本机关没有您所申请公开的信息，现告知您该政府信息不存在（条例第三十六条第（四）项）。"
NOT_OURS_WORDS = f"您所申请公开信息不属于本机关负责公开。理由是：{REASON}。"


def _reply(req, actor, **kw):
    return reply.reply(req, outcome="unavailable_not_held", text="经检索，本机关不掌握该信息。", on=DAY, now=noon(DAY),
                       actor=actor, **kw)


def _paras(req):
    return "".join(letter_text(req)[1])


def test_art_36_4_the_information_does_not_exist(seeded):
    staff, req = helpers.staff_and_application()
    _reply(req, staff, not_held_basis="not_exist")
    assert (req.not_held_basis, req.not_ours_reason, req.holder_organ) == ("not_exist", None, None)
    text = _paras(req)
    assert NOT_EXIST_WORDS in text and "不属于本机关负责公开" not in text


def test_art_36_5_with_the_responsible_organ_names_it_and_its_contacts(seeded):
    staff, req = helpers.staff_and_application()
    _reply(req, staff, not_held_basis="not_ours", not_ours_reason=f" {REASON}。 ", holder_organ="盐城市民政局",
           holder_contact="0515-88888888")
    assert (req.not_held_basis, req.not_ours_reason) == ("not_ours", f"{REASON}。")
    text = _paras(req)
    assert (NOT_OURS_WORDS + "负责公开该政府信息的行政机关为盐城市民政局，联系方式：0515-88888888。"
            "您可以向该机关提出申请（条例第三十六条第（五）项）。") in text
    assert "不存在" not in text and "无法确定" not in text


def test_art_36_5_without_a_determinable_organ_says_so_and_never_that_it_does_not_exist(seeded):
    """The bug this replaces: "not ours, and we cannot tell whose" used to be answered 该政府信息不存在."""
    staff, req = helpers.staff_and_application()
    _reply(req, staff, not_held_basis="not_ours", not_ours_reason=REASON)
    text = _paras(req)
    assert NOT_OURS_WORDS + "本机关无法确定负责公开该政府信息的行政机关（条例第三十六条第（五）项）。" in text
    assert "不存在" not in text and req.holder_organ is None


@pytest.mark.parametrize("kw, field, words", [
    ({}, "not_held_basis", "请选择不掌握的情形"),
    ({"not_held_basis": "maybe"}, "not_held_basis", "只能是 not_exist"),
    ({"not_held_basis": "not_exist", "holder_organ": "盐城市民政局", "holder_contact": "0515-1"}, "holder_organ",
     "不填写负责公开的机关"),
    ({"not_held_basis": "not_exist", "not_ours_reason": REASON}, "not_ours_reason", "第三十六条第（五）项时填写"),
    ({"not_held_basis": "not_ours"}, "not_ours_reason", "请说明不属于本机关负责公开的理由"),
    ({"not_held_basis": "not_ours", "not_ours_reason": "  "}, "not_ours_reason", "请说明"),
    # inferred from a named organ (older API clients): the reasons are then required, by name
    ({"holder_organ": "盐城市民政局", "holder_contact": "0515-1"}, "not_ours_reason", "请说明"),
    ({"not_held_basis": "not_ours", "not_ours_reason": REASON, "holder_organ": "盐城市民政局"}, "holder_contact",
     "联系方式"),
    ({"not_held_basis": "not_ours", "not_ours_reason": REASON, "holder_contact": "0515-1"}, "holder_organ", "机关名称"),
    ({"not_held_basis": "not_ours", "not_ours_reason": "理" * 1001}, "not_ours_reason", "不超过 1000 字"),
    ({"not_held_basis": 4}, "not_held_basis", "应为字符串"),
])
def test_refusals_name_the_field(seeded, kw, field, words):
    staff, req = helpers.staff_and_application()
    helpers.assert_refused(_reply, req, staff, kw, field, words)


def test_the_basis_belongs_to_the_not_held_outcome_only(seeded):
    staff, req = helpers.staff_and_application()
    for kw in ({"not_held_basis": "not_exist"}, {"not_ours_reason": REASON}):
        with pytest.raises(ValidationError, match="只有“本机关不掌握相关政府信息”") as err:
            reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开。", on=DAY, now=noon(DAY), actor=staff, **kw)
        assert err.value.field == "not_held_basis"


def test_a_draft_awaiting_sign_off_carries_the_basis_and_the_reason(app, client, seeded):
    """The approver issues the letter as drafted: Art. 36 (5) with its reason; a returned draft keeps nothing."""
    staff, approver, req = helpers.signoff_case()
    _reply(req, staff, not_held_basis="not_ours", not_ours_reason=REASON)
    assert req.status == "awaiting_signoff"
    draft = "".join(reply.draft_letter(req).paragraphs)
    assert NOT_OURS_WORDS in draft and "无法确定" in draft
    reply.sign_off(req, approve=False, note="请写明负责机关", now=noon(date(2026, 11, 4)), actor=approver)
    assert (req.not_held_basis, req.not_ours_reason, req.holder_organ) == (None, None, None)
    _reply(req, staff, not_held_basis="not_ours", not_ours_reason=REASON, holder_organ="盐城市民政局",
           holder_contact="0515-88888888")
    page = helpers.handling_page(client, "a@x.cn", req)
    assert "不属于本机关负责公开的理由" in page and REASON in page  # the draft's audit row, labelled
    done = helpers.signed_off(req, approver, date(2026, 11, 5))
    assert (done.status, done.not_held_basis, done.not_ours_reason) == ("closed", "not_ours", REASON)
    assert "负责公开该政府信息的行政机关为盐城市民政局" in _paras(done)


def test_page_and_api_give_the_same_answer_and_the_page_keeps_what_was_typed(app, client, seeded, api_as):
    req = helpers.logged_in_application(client)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert 'name="not_held_basis"' in page and 'name="not_ours_reason"' in page
    form = {"csrf_token": csrf_from(page), "outcome": "unavailable_not_held", "text": "本机关不掌握。",
            "not_held_basis": "not_ours", "not_ours_reason": "", "holder_organ": "盐城市民政局",
            "holder_contact": "0515-88888888", "on": "2026-11-03"}
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply", data=form)
    html = resp.get_data(as_text=True)
    shown = Page(html)
    assert resp.status_code == 400 and "请说明不属于本机关负责公开的理由" in html
    assert selected(html, "rp-not-held") == "not_ours" and shown.value("rp-holder") == "盐城市民政局"
    assert shown.value("rp-holder-contact") == "0515-88888888"
    caller = api_as("staff", "mzj")
    body = {k: v for k, v in form.items() if k != "csrf_token"}
    bad = caller.post(f"/disclosure-requests/{req.id}/reply", body, now=noon(DAY))
    assert bad.status_code == 400 and bad.get_json()["fields"] == {"not_ours_reason": "请说明不属于本机关负责公开的理由"
                                                                                        "（条例第三十六条第（五）项）"}
    # no basis and no organ: both ask to choose (4) or (5)
    del body["not_held_basis"], body["holder_organ"], body["holder_contact"]
    bad = caller.post(f"/disclosure-requests/{req.id}/reply", body, now=noon(DAY))
    assert bad.status_code == 400 and "not_held_basis" in bad.get_json()["fields"]
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply", data={**form, "not_held_basis": "", "holder_organ": "",
                                                                     "holder_contact": "", "not_ours_reason": "x"})
    assert resp.status_code == 400 and bad.get_json()["message"] in resp.get_data(as_text=True)
    assert Page(resp.get_data(as_text=True)).text["rp-not-ours-reason"] == "x"
    # the API answer carries the stored values
    ok = caller.post(f"/disclosure-requests/{req.id}/reply", {**body, "not_held_basis": "not_ours",
                                                              "not_ours_reason": REASON}, now=noon(DAY))
    assert ok.status_code == 200, ok.get_json()
    data = ok.get_json()
    assert (data["not_held_basis"], data["not_ours_reason"], data["holder_organ"]) == ("not_ours", REASON, None)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "不属于本机关负责公开（条例第三十六条第（五）项），理由：" + REASON in page
    assert "负责公开该信息的机关：无法确定" in page


def test_previews_word_each_case(app, client, seeded, api_as):
    req = helpers.logged_in_application(client)
    caller = api_as("staff", "mzj")
    url = f"/disclosure-requests/{req.id}/reply-preview"
    base = {"outcome": "unavailable_not_held", "text": "本机关不掌握。", "on": "2026-11-03"}
    resp = caller.post(url, {**base, "not_held_basis": "not_exist"}, now=noon(DAY))
    assert resp.status_code == 200 and NOT_EXIST_WORDS in resp.get_json()["paragraphs"]
    resp = caller.post(url, {**base, "not_held_basis": "not_ours", "not_ours_reason": REASON}, now=noon(DAY))
    assert any(p.startswith(NOT_OURS_WORDS + "本机关无法确定") for p in resp.get_json()["paragraphs"])
    resp = caller.post(url, base, now=noon(DAY))
    assert resp.status_code == 400 and "not_held_basis" in resp.get_json()["fields"]
    status, html = helpers.preview_on_the_page(app, client, req, DAY, **base, not_held_basis="not_ours",
                                               not_ours_reason=REASON, holder_organ="盐城市民政局",
                                               holder_contact="0515-88888888")
    assert status == 200 and NOT_OURS_WORDS in html and "行政机关为盐城市民政局" in html
    assert selected(html, "rp-not-held") == "not_ours" and f"{REASON}</textarea>" in html
    assert helpers.stored(req).not_held_basis is None  # a preview saves nothing


def test_the_openapi_document_names_the_fields(client):
    spec, props = helpers.reply_properties(client)
    assert props["not_held_basis"]["enum"] == ["not_exist", "not_ours"] and "not_ours_reason" in props


def test_typed_closing_punctuation_is_not_doubled_in_the_letter():
    """GB/T 15834: the sentence supplies its own punctuation — a reason, organ or contact typed with a closing
    mark does not print "！。" or "。，"."""
    from requests_module.not_held import sentence
    text = sentence("您", "not_ours", "该信息由市民政局制作！", "盐城市民政局。", "0515-88888888；")
    assert "！。" not in text and "。，" not in text and "；。" not in text
    assert "理由是：该信息由市民政局制作。" in text and "盐城市民政局" in text and "0515-88888888。" in text
