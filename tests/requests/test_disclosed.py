"""条例 Art. 36 (1), (2) and Art. 37: a 予以公开 reply says which answer it is — (1) already 主动公开: how and where
to obtain it; (2) can be disclosed: provided, or how, where and when to obtain it — and the letter prints the
concrete 方式、途径（和时间） with the article item; a 部分公开 reply states them for the part disclosed."""
import pytest

from core.errors import ValidationError
from requests_module import reply
from requests_module.letter import compose, letter_text
from tests.conftest import csrf_from, pinned
from tests.requests import helpers
from tests.requests.helpers import date, noon, received
from tests.requests.test_refused_actions import Page, selected

DAY = date(2026, 11, 3)
SITE = "亭湖区人民政府门户网站“政府信息公开—法定主动公开内容—社会救助”栏目（www.tinghu.gov.cn）"
HANDED = "随本答复书以电子邮件发送至您预留的邮箱，于2026年11月3日发送"
PUBLISHED_WORDS = f"您所申请公开的信息已经主动公开，您可以通过以下方式、途径获取：{SITE}（条例第三十六条第（一）项）。"
PROVIDED_WORDS = f"您所申请公开的信息可以公开，本机关予以公开。提供该政府信息的方式、途径和时间：{HANDED}（条例第三十六条第（二）项）。"
GROUND = "《中华人民共和国政府信息公开条例》第十五条"


def _reply(req, actor, outcome="disclosed", **kw):
    return reply.reply(req, outcome=outcome, text="经审查，答复如下。", on=DAY, now=noon(DAY), actor=actor, **kw)


def _paras(req):
    return "".join(letter_text(req)[1])


def test_art_36_1_already_published_tells_how_and_where(seeded):
    staff, req = helpers.staff_and_application()
    _reply(req, staff, disclosure_basis="published", disclosure_access=SITE)
    assert (req.disclosure_basis, req.disclosure_access) == ("published", SITE)
    text = _paras(req)
    assert PUBLISHED_WORDS in text and "第（二）项" not in text and "其中已经主动公开的" not in text


def test_art_36_2_provided_states_how_where_and_when(seeded):
    staff, req = helpers.staff_and_application()
    _reply(req, staff, disclosure_basis="provided", disclosure_access=HANDED + "。")
    text = _paras(req)
    assert PROVIDED_WORDS in text and "第（一）项" not in text


def test_art_37_partly_disclosed_states_how_the_disclosed_part_is_obtained(seeded):
    """Art. 37: the part that can be disclosed is provided; its 方式、途径和时间 are required, no Art. 36 item chosen."""
    staff, req = helpers.staff_and_application()
    with pytest.raises(ValidationError, match="请写明可以公开部分的提供方式、途径和时间（条例第三十六条第（二）项）") as err:
        _reply(req, staff, "partly_disclosed", legal_ground=GROUND)
    assert err.value.field == "disclosure_access"
    with pytest.raises(ValidationError, match="部分公开按条例第三十七条作区分处理") as err:
        _reply(req, staff, "partly_disclosed", legal_ground=GROUND, disclosure_basis="provided",
               disclosure_access=HANDED)
    assert err.value.field == "disclosure_basis"
    _reply(req, staff, "partly_disclosed", legal_ground=GROUND, disclosure_access=HANDED)
    assert (req.disclosure_basis, req.disclosure_access) == (None, HANDED)
    text = _paras(req)
    assert "并对不予公开的内容说明理由（条例第三十七条）。" in text
    assert f"可以公开部分的提供方式、途径和时间：{HANDED}（条例第三十六条第（二）项）。" in text


@pytest.mark.parametrize("kw, field, words", [
    ({}, "disclosure_basis", "请选择公开的情形"),
    ({"disclosure_access": SITE}, "disclosure_basis", "请选择公开的情形"),
    ({"disclosure_basis": "published"}, "disclosure_access", "请写明获取该政府信息的方式、途径"),
    ({"disclosure_basis": "provided", "disclosure_access": "  "}, "disclosure_access", "方式、途径和时间"),
    ({"disclosure_basis": "maybe", "disclosure_access": SITE}, "disclosure_basis", "只能是 published"),
    ({"disclosure_basis": "provided", "disclosure_access": "x" * 501}, "disclosure_access", "不超过 500 字"),
    ({"disclosure_basis": "provided", "disclosure_access": 5}, "disclosure_access", "应为字符串"),
])
def test_refusals_name_the_field(seeded, kw, field, words):
    """Art. 36 (1)/(2): the choice and the text are both required for 予以公开; bad input is a 400, not a crash."""
    staff, req = helpers.staff_and_application()
    helpers.assert_refused(_reply, req, staff, kw, field, words)


def test_the_fields_belong_to_the_disclosing_outcomes_only(seeded):
    staff, req = helpers.staff_and_application()
    for kw, field in (({"disclosure_basis": "published"}, "disclosure_basis"), ({"disclosure_access": SITE},
                                                                              "disclosure_access")):
        with pytest.raises(ValidationError, match="只有“予以公开”") as err:
            _reply(req, staff, "withheld_state_secret", legal_ground=GROUND, **kw)
        assert err.value.field == field


def test_a_letter_issued_before_the_fields_keeps_its_general_sentence(seeded):
    """A reply made before migration 0029d has neither field: its letter reads as it was issued."""
    req = received(date(2026, 11, 2))
    letter = compose(req, outcome="disclosed", text="提供。")
    assert any("其中已经主动公开的" in p for p in letter.paragraphs)


def test_a_draft_awaiting_sign_off_carries_the_choice_and_the_text(app, client, seeded):
    """The approver issues the letter as drafted (Art. 36 (1) with its 途径); a returned draft keeps nothing."""
    staff, approver, req = helpers.signoff_case()
    _reply(req, staff, disclosure_basis="published", disclosure_access=SITE)
    assert req.status == "awaiting_signoff"
    assert PUBLISHED_WORDS in "".join(reply.draft_letter(req).paragraphs)
    reply.sign_off(req, approve=False, note="请写明网址", now=noon(date(2026, 11, 4)), actor=approver)
    assert (req.disclosure_basis, req.disclosure_access) == (None, None)
    _reply(req, staff, disclosure_basis="provided", disclosure_access=HANDED)
    page = helpers.handling_page(client, "a@x.cn", req)
    assert "获取信息的方式、途径和时间" in page and HANDED in page  # the draft's audit row, labelled
    done = helpers.signed_off(req, approver, date(2026, 11, 5))
    assert (done.status, done.disclosure_basis, done.disclosure_access) == ("closed", "provided", HANDED)
    assert PROVIDED_WORDS in _paras(done)


def test_page_and_api_give_the_same_answer_and_the_page_keeps_what_was_typed(app, client, seeded, api_as):
    req = helpers.logged_in_application(client)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert 'name="disclosure_basis"' in page and 'name="disclosure_access"' in page
    form = {"csrf_token": csrf_from(page), "outcome": "disclosed", "text": "现予公开。", "disclosure_basis": "published",
            "disclosure_access": "", "on": "2026-11-03"}
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请写明获取该政府信息的方式、途径" in html
    assert selected(html, "rp-disclosure-basis") == "published" and Page(html).text["reply-text"] == "现予公开。"
    caller = api_as("staff", "mzj")
    body = {k: v for k, v in form.items() if k != "csrf_token"}
    bad = caller.post(f"/disclosure-requests/{req.id}/reply", body, now=noon(DAY))
    assert bad.status_code == 400 and bad.get_json()["message"] in html
    assert list(bad.get_json()["fields"]) == ["disclosure_access"]
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply", data={**form, "disclosure_basis": "",
                                                                     "disclosure_access": SITE})
    assert resp.status_code == 400 and "请选择公开的情形" in resp.get_data(as_text=True)
    assert Page(resp.get_data(as_text=True)).text["rp-disclosure-access"] == SITE
    ok = caller.post(f"/disclosure-requests/{req.id}/reply", {**body, "disclosure_access": SITE}, now=noon(DAY))
    assert ok.status_code == 200, ok.get_json()
    data = ok.get_json()
    assert (data["disclosure_basis"], data["disclosure_access"]) == ("published", SITE)
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "已经主动公开，告知获取的方式、途径（条例第三十六条第（一）项）" in page and SITE in page


def test_previews_word_each_case(app, client, seeded, api_as):
    req = helpers.logged_in_application(client)
    caller = api_as("staff", "mzj")
    url = f"/disclosure-requests/{req.id}/reply-preview"
    base = {"outcome": "disclosed", "text": "现予公开。", "on": "2026-11-03"}
    resp = caller.post(url, {**base, "disclosure_basis": "published", "disclosure_access": SITE}, now=noon(DAY))
    assert resp.status_code == 200 and PUBLISHED_WORDS in resp.get_json()["paragraphs"]
    resp = caller.post(url, base, now=noon(DAY))
    assert resp.status_code == 400 and "disclosure_basis" in resp.get_json()["fields"]
    status, html = helpers.preview_on_the_page(app, client, req, DAY, **base, disclosure_basis="provided",
                                               disclosure_access=HANDED)
    assert status == 200 and PROVIDED_WORDS in html
    assert selected(html, "rp-disclosure-basis") == "provided" and f"{HANDED}</textarea>" in html
    assert helpers.stored(req).disclosure_basis is None  # a preview saves nothing


def test_the_openapi_document_names_the_fields(client):
    spec, props = helpers.reply_properties(client)
    assert props["disclosure_basis"]["enum"] == ["published", "provided"] and "disclosure_access" in props
    detail = spec["components"]["schemas"]["DisclosureRequest"]["properties"]
    assert "disclosure_basis" in detail and "disclosure_access" in detail
