"""条例 Art. 32: a third party's answer is recorded as agreed / objected / silent, and disclosing over an
objection is possible only after the 决定公开告知书 was issued to it (and that notice only before the reply).
国办函〔2020〕109号 Art. 3–5: a 按量 fee is charged for the information provided, so a reply that provides
nothing is refused until the fee paid is refunded; a 按件 fee is not refunded for the outcome. Page and API give
the same answers."""
from decimal import Decimal

import pytest

from core.errors import FieldConflict, ValidationError
from core.extensions import db
from core.workflow import TransitionError
from reports.disclosure_annual import annual_table
from requests_module import access, handling, refunds, reply
from requests_module.models import DisclosureRequest
from tests.conftest import make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, answer_fields, api_consulted, date, deliver, noon, received
from tests.requests.test_refused_actions import Page, post, staff_client


def _consulted(day=date(2026, 11, 4)):
    """An application received on 2026-11-02 with a third party consulted (letter delivered) on `day`."""
    req = received(date(2026, 11, 2))
    c = handling.add_consultation(req, kind="third_party", party="某化工有限公司", party_type="org", sent_on=day, now=noon(day),
                                  actor="t")
    deliver(req, "consultation_letter", day)
    return req, c


def _reply(req, outcome, day, actor, **kw):
    ground = {"legal_ground": "《政府信息公开条例》第十五条"} if outcome != "disclosed" else {}
    return reply.reply(req, outcome=outcome, text="答复如下。", on=day, now=noon(day), actor=actor,
                       **{**ground, **answer_fields(outcome), **kw})


def test_a_consultation_answer_is_agreed_objected_or_silent_never_assumed(seeded):
    """Art. 32: 15 working days from the third party's receipt (11/4 → 11/25); the answer is chosen, never
    assumed to be consent; an objection gives its reasons; 逾期未提出意见 only after the period ran out."""
    req, c = _consulted()
    assert c.deadline_on == date(2026, 11, 25)
    with pytest.raises(ValidationError, match="请选择对方的意见") as err:
        handling.answer_consultation(req, c, answer=None, answered_on=date(2026, 11, 10), opinion="同意",
                                     now=noon(date(2026, 11, 10)), actor="t")
    assert err.value.field == "answer"
    with pytest.raises(ValidationError, match="写明对方提出的理由"):
        handling.answer_consultation(req, c, answer="objected", answered_on=date(2026, 11, 10), opinion=" ",
                                     now=noon(date(2026, 11, 10)), actor="t")
    with pytest.raises(TransitionError, match="期满前不能登记逾期未提出意见"):
        handling.answer_consultation(req, c, answer="silent", now=noon(date(2026, 11, 25)), actor="t")
    handling.answer_consultation(req, c, answer="silent", now=noon(date(2026, 11, 26)), actor="t")
    assert (c.answer, c.answered_on, c.opinion) == ("silent", date(2026, 11, 25), None)


def test_disclosing_over_an_objection_needs_the_written_notice_first(seeded):
    """Art. 32: "第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大影响的，
    可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方" — a disclosing reply (予以公开 or 部分公开)
    before the 决定公开告知书 is refused; the notice goes only to a party who objected, and it must precede
    the reply's day."""
    head = make_user("supervisor", "sup@x.cn")
    req, c = _consulted()
    handling.answer_consultation(req, c, answer="objected", answered_on=date(2026, 11, 10), opinion="涉及商业秘密",
                                 now=noon(date(2026, 11, 10)), actor="t")
    for outcome in ("disclosed", "partly_disclosed"):
        with pytest.raises(TransitionError, match="某化工有限公司不同意公开：依照条例第三十二条"):
            _reply(req, outcome, date(2026, 11, 12), head)
    handling.tell_third_party_of_disclosure(req, c, content="排放监测数据", reasons="涉及周边居民健康",
                                            on=date(2026, 11, 11), now=noon(date(2026, 11, 11)), actor=head)
    # "书面告知第三方": the notice must have reached the third party (delivery recorded), not just been issued
    with pytest.raises(TransitionError, match="决定公开告知书已登记送达"):
        _reply(req, "disclosed", date(2026, 11, 12), head)
    deliver(req, "disclosure_notice", date(2026, 11, 12))
    with pytest.raises(TransitionError, match="第三十二条"):  # a reply dated before the delivery: not "first"
        _reply(req, "disclosed", date(2026, 11, 11), head)
    _reply(req, "disclosed", date(2026, 11, 12), head)
    assert db.session.get(DisclosureRequest, req.id).outcome == "disclosed"


def test_withholding_on_the_objection_is_fine_and_no_notice_after_the_reply(seeded):
    """Art. 32: withholding on the objection needs no notice; the notice is part of deciding to disclose, so
    after the reply (closed) it is refused, and a party who agreed is never sent one."""
    head = make_user("supervisor", "sup@x.cn")
    req, c = _consulted()
    agreed = handling.add_consultation(req, kind="third_party", party="李四", party_type="person", sent_on=date(2026, 11, 5),
                                       now=noon(date(2026, 11, 5)), actor="t")
    handling.answer_consultation(req, c, answer="objected", answered_on=date(2026, 11, 10), opinion="涉及商业秘密",
                                 now=noon(date(2026, 11, 10)), actor="t")
    handling.answer_consultation(req, agreed, answer="agreed", answered_on=date(2026, 11, 10), opinion="",
                                 now=noon(date(2026, 11, 10)), actor="t")
    with pytest.raises(TransitionError, match="李四未提出不同意公开的意见"):
        handling.tell_third_party_of_disclosure(req, agreed, content="x", reasons="y", on=date(2026, 11, 11),
                                                now=noon(date(2026, 11, 11)), actor=head)
    _reply(req, "withheld_third_party", date(2026, 11, 12), head)
    with pytest.raises(TransitionError, match="办结后不能补发"):
        handling.tell_third_party_of_disclosure(req, c, content="排放监测数据", reasons="公共利益",
                                                on=date(2026, 11, 13), now=noon(date(2026, 11, 13)), actor=head)


def test_the_disclosure_notice_is_the_issuing_organs_decision(seeded):
    """Art. 32 with Art. 4, 36 (lawyer finding 4): deciding to disclose over an objection is the issuing organ's
    decision — the handling unit's staff and head may not issue the 决定公开告知书 for the district government;
    区政府办's head may."""
    req, c = _consulted()
    handling.answer_consultation(req, c, answer="objected", answered_on=date(2026, 11, 10), opinion="涉及商业秘密",
                                 now=noon(date(2026, 11, 10)), actor="t")
    for user in (make_user("staff", "mzj.s@x.cn", department="mzj"),
                 make_user("approver", "mzj.a@x.cn", department="mzj"), "t"):
        assert not access.can_act(user, req, "third_party_notice")
        with pytest.raises(access.NotTheirs, match="须由盐城市亭湖区人民政府信息公开工作机构（区政府办）的负责人"):
            handling.tell_third_party_of_disclosure(req, c, content="x", reasons="y", on=date(2026, 11, 11),
                                                    now=noon(date(2026, 11, 11)), actor=user)
    head = make_user("approver", "zfb.a@x.cn", department="zfb")
    assert access.can_act(head, req, "third_party_notice")
    handling.tell_third_party_of_disclosure(req, c, content="x", reasons="y", on=date(2026, 11, 11),
                                            now=noon(date(2026, 11, 11)), actor=head)


def test_withholding_for_the_third_party_after_all_agreed_is_refused(seeded):
    """Art. 15: "第三方同意公开……的，予以公开" with Art. 32 (lawyer finding 1): when every third party consulted agreed,
    withheld_third_party is refused (reply and preview); a silent party leaves the decision to the organ (Art. 32:
    "由行政机关依照本条例的规定决定是否公开"), so then withholding stays possible."""
    head = make_user("supervisor", "sup@x.cn")
    req, c = _consulted()
    other = handling.add_consultation(req, kind="third_party", party="李四", party_type="person", sent_on=date(2026, 11, 4),
                                      now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 4))
    for x in (c, other):
        handling.answer_consultation(req, x, answer="agreed", answered_on=date(2026, 11, 10), opinion="",
                                     now=noon(date(2026, 11, 10)), actor="t")
    for attempt in (reply.reply, reply.preview):
        with pytest.raises(TransitionError, match="某化工有限公司、李四已同意公开：依照条例第十五条、第三十二条"):
            attempt(req, outcome="withheld_third_party", legal_ground="《政府信息公开条例》第十五条", text="不予公开。",
                    on=date(2026, 11, 12), now=noon(date(2026, 11, 12)), actor=head)
    silent, s = _consulted()
    handling.answer_consultation(silent, s, answer="silent", now=noon(date(2026, 11, 26)), actor="t")
    _reply(silent, "withheld_third_party", date(2026, 11, 26), head)
    assert silent.status == "closed" and silent.outcome == "withheld_third_party"


def r_docs(caller, rid):
    return caller.get(f"/disclosure-requests/{rid}").get_json()["documents"]


def test_api_and_page_give_the_same_art32_answers(app, api_as):
    """Art. 32 through the API and the handling page: the answer field is required (400, not 'agreed'), a
    disclosing reply over the objection is a 409 citing Art. 32 on both (the page keeps the typed text), the page
    shows the third party's answer; after the notice the reply goes through."""
    staff = api_as("staff", "mzj")
    rid, cid = api_consulted(staff)
    url = f"/disclosure-requests/{rid}/consultations/{cid}/answer"
    r = staff.post(url, {"opinion": "不同意", "on": "2026-11-09"}, now=noon(date(2026, 11, 9)))
    assert r.status_code == 400 and "请选择对方的意见" in r.get_json()["message"]
    r = staff.post(url, {"answer": "objected", "on": "2026-11-09"}, now=noon(date(2026, 11, 9)))
    assert r.status_code == 400 and "写明对方提出的理由" in r.get_json()["message"]
    r = staff.post(url, {"answer": "objected", "opinion": "涉及商业秘密", "on": "2026-11-09"}, now=noon(date(2026, 11, 9)))
    assert r.status_code == 200
    assert r.get_json()["consultations"][0]["answer"] == "objected"
    assert r.get_json()["consultations"][0]["answer_label"] == "不同意公开"
    body = {"outcome": "disclosed", **DISCLOSED, "text": "现予公开。", "on": "2026-11-10"}
    r = staff.post(f"/disclosure-requests/{rid}/reply", body, now=noon(date(2026, 11, 10)))
    api_message = r.get_json()["message"]
    assert r.status_code == 409 and "第三十二条" in api_message and "决定公开告知书" in api_message

    req = db.session.get(DisclosureRequest, rid)
    client = staff_client(app)
    with pinned(app, noon(date(2026, 11, 10))):
        html = client.get(f"/requests/staff/{rid}").get_data(as_text=True)
        assert "不同意公开" in html and "涉及商业秘密" in html
        resp = post(client, req, "reply", outcome="disclosed", **DISCLOSED, text="现予公开，见附件。", on="2026-11-10")
    page_html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and api_message in page_html
    assert Page(page_html).text["reply-text"] == "现予公开，见附件。"

    notice = {"content": "排放监测数据", "reasons": "不公开可能对公共利益造成重大影响", "on": "2026-11-10"}
    url = f"/disclosure-requests/{rid}/consultations/{cid}/disclosure-notice"
    r = staff.post(url, notice, now=noon(date(2026, 11, 10)))  # the organ's decision: its head's (Art. 32, 4)
    assert r.status_code == 403 and "须由盐城市亭湖区民政局的负责人（审批人）作出" in r.get_json()["message"]
    head = api_as("approver", "mzj", login="mzj.head@x.cn")
    r = head.post(url, notice, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200
    r = staff.post(f"/disclosure-requests/{rid}/reply", body, now=noon(date(2026, 11, 10)))
    assert r.status_code == 409 and "已登记送达" in r.get_json()["message"]  # issued, not yet delivered
    doc = next(d for d in r_docs(head, rid) if d["kind"] == "disclosure_notice")
    r = staff.post(f"/disclosure-requests/{rid}/documents/{doc['id']}/delivery",
                   {"method": "in_person", "delivered_on": "2026-11-10"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200
    r = staff.post(f"/disclosure-requests/{rid}/reply", body, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200 and r.get_json()["status"] == "closed"  # 民政局's own application and letter

    spec = staff.get("/openapi.json").get_json()
    answer_body = spec["paths"]["/disclosure-requests/{request_id}/consultations/{consultation_id}/answer"]["post"]
    props = answer_body["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert props["answer"]["enum"] == ["agreed", "objected", "silent"]


def _paid_by_pages(day=date(2026, 11, 4)):
    """Received 2026-11-02; 43 pages noticed on `day` (130 元, 109号 Art. 5), paid three working days later."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=43, on=day, now=noon(day), actor="t")
    deliver(req, "fee_notice", day)
    handling.record_payment(req, on=date(2026, 11, 9), now=noon(date(2026, 11, 9)), actor="t")
    return req


def test_a_reply_providing_nothing_after_a_page_fee_needs_the_refund_first(seeded):
    """国办函〔2020〕109号 Art. 3, 5: 按量 charges the information provided. 130 元 paid on 11/9, then 本机关不掌握
    (无法提供) is refused until the refund of exactly the amount paid is recorded; section 六 deducts it."""
    head = make_user("supervisor", "sup@x.cn")
    req = _paid_by_pages()
    with pytest.raises(TransitionError, match="请先登记退费") as err:
        _reply(req, "unavailable_not_held", date(2026, 11, 10), head, legal_ground=None, not_held_basis="not_exist")
    assert "109号" in str(err.value) and "130.00元" in str(err.value)
    for outcome in ("withheld_state_secret", "not_processed_publication"):
        with pytest.raises(TransitionError, match="请先登记退费"):
            _reply(req, outcome, date(2026, 11, 10), head)
    with pytest.raises(FieldConflict, match="退费金额120.00元与已缴纳的130.00元不符") as err:
        refunds.record_refund(req, amount="120", method="original", note="", on=date(2026, 11, 10),
                              now=noon(date(2026, 11, 10)), actor="t")
    assert err.value.field == "amount"
    with pytest.raises(ValidationError, match="退费日期"):  # not before the payment it returns
        refunds.record_refund(req, amount="130", method="original", note="", on=date(2026, 11, 6),
                              now=noon(date(2026, 11, 10)), actor="t")
    refunds.record_refund(req, amount="130.00", method="bank_transfer", note="退至缴费账户", on=date(2026, 11, 10),
                          now=noon(date(2026, 11, 10)), actor="t")
    assert (req.fee_refunded_on, req.fee_refund_amount) == (date(2026, 11, 10), Decimal("130.00"))
    with pytest.raises(TransitionError, match="不能重复登记"):
        refunds.record_refund(req, amount="130", method="cash", note="", on=date(2026, 11, 10),
                              now=noon(date(2026, 11, 10)), actor="t")
    _reply(req, "unavailable_not_held", date(2026, 11, 10), head, legal_ground=None, not_held_basis="not_exist")
    assert db.session.get(DisclosureRequest, req.id).outcome == "unavailable_not_held"
    t = annual_table(2026)
    assert t.fee("paid_pages") == (1, Decimal("130.00")) and t.fee("refunded") == (1, Decimal("130.00"))
    assert t.fee("paid") == (0, Decimal("0.00"))


def test_a_page_fee_needs_no_refund_when_information_is_provided_and_a_piece_fee_is_never_refunded(seeded):
    """109号: a disclosing reply provides what the 按量 fee was for; 按件 (Art. 4) charges the application itself,
    whatever the outcome, so neither needs nor takes a refund."""
    head = make_user("supervisor", "sup@x.cn")
    req = _paid_by_pages()
    _reply(req, "disclosed", date(2026, 11, 10), head)
    piece = received(date(2026, 11, 2), id_number="110105194912310038")
    handling.fee_notice(piece, method="piece", quantity=11, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                        actor="t")
    handling.record_payment(piece, on=date(2026, 11, 9), now=noon(date(2026, 11, 9)), actor="t")
    with pytest.raises(TransitionError, match="按件计收的信息处理费按申请件数收取，不因答复结果退还"):
        refunds.record_refund(piece, amount=str(piece.fee_amount), method="original", note="", on=date(2026, 11, 10),
                              now=noon(date(2026, 11, 10)), actor="t")
    _reply(piece, "unavailable_not_held", date(2026, 11, 10), head, legal_ground=None, not_held_basis="not_exist")
    assert db.session.get(DisclosureRequest, piece.id).outcome == "unavailable_not_held"


def test_api_and_page_give_the_same_refund_answers(app, api_as):
    """109号 through the API and the page: the same 409 for a reply providing nothing; the refund step refuses
    a wrong amount (409) and a missing one (400), is recorded on the page and shown there and in the timeline."""
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "publish_consent": False, "received_on": "2026-11-02",
                                            "department": "mzj"}, now=noon(date(2026, 11, 2)))
    rid = r.get_json()["id"]
    assert staff.post(f"/disclosure-requests/{rid}/fee-notice", {"method": "pages", "quantity": 43, "on": "2026-11-04"},
                      now=noon(date(2026, 11, 4))).status_code == 200
    assert staff.post(f"/disclosure-requests/{rid}/payment", {"on": "2026-11-09"},
                      now=noon(date(2026, 11, 9))).status_code == 200
    body = {"outcome": "unavailable_not_held", "not_held_basis": "not_exist", "text": "本机关不掌握该信息。",
            "on": "2026-11-10"}
    r = staff.post(f"/disclosure-requests/{rid}/reply", body, now=noon(date(2026, 11, 10)))
    api_message = r.get_json()["message"]
    assert r.status_code == 409 and "请先登记退费" in api_message
    url = f"/disclosure-requests/{rid}/fee-refund"
    r = staff.post(url, {"method": "original", "on": "2026-11-10"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 400 and "amount" in r.get_json()["fields"]
    r = staff.post(url, {"amount": "100", "method": "original", "on": "2026-11-10"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 409 and "不符" in r.get_json()["message"]

    req = db.session.get(DisclosureRequest, rid)
    client = staff_client(app)
    with pinned(app, noon(date(2026, 11, 10))):
        resp = post(client, req, "reply", outcome="unavailable_not_held", not_held_basis="not_exist", text="本机关不掌握。",
                    on="2026-11-10")
        assert resp.status_code == 409 and api_message in resp.get_data(as_text=True)
        resp = post(client, req, "fee_refund", amount="100", method="original", note="原路退回", on="2026-11-10")
        page = Page(resp.get_data(as_text=True))
        assert resp.status_code == 409 and page.value("rf-amount") == "100" and page.value("rf-note") == "原路退回"
        resp = post(client, req, "fee_refund", amount="130", method="original", note="原路退回", on="2026-11-10")
        assert resp.status_code == 302
        html = client.get(f"/requests/staff/{rid}").get_data(as_text=True)
    assert "2026年11月10日 退还 130.00 元（原渠道退回：原路退回）" in html and "退还信息处理费" in html
    r = staff.post(f"/disclosure-requests/{rid}/reply", body, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200
    data = staff.get(f"/disclosure-requests/{rid}").get_json()
    assert data["fee"]["refund"] == {"refunded_on": "2026-11-10", "amount": "130.00", "method": "original",
                                     "note": "原路退回"}
    assert "/disclosure-requests/{request_id}/fee-refund" in staff.get("/openapi.json").get_json()["paths"]


def _paid_pages(pages, day=date(2026, 11, 4)):
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=pages, on=day, now=noon(day), actor="t")
    deliver(req, "fee_notice", day)
    handling.record_payment(req, on=date(2026, 11, 9), now=noon(date(2026, 11, 9)), actor="t")
    return req


def test_other_outcome_after_a_page_fee_needs_the_refund_and_no_correction_follows_a_fee_notice(seeded):
    """109号 Art. 3, 5: 其他处理 "other" (e.g. a withdrawn application) provides no information either, so the 按量 fee
    paid is refunded first; other_no_payment has nothing paid; other_no_correction cannot follow a paid fee, because
    a 补正 (条例 Art. 30) is refused once a fee notice was sent."""
    head = make_user("supervisor", "sup@x.cn")
    req = _paid_by_pages()
    with pytest.raises(TransitionError, match="请先登记退费"):
        _reply(req, "other", date(2026, 11, 10), head, legal_ground="《中华人民共和国政府信息公开条例》第二十七条（申请人书面撤回申请）")
    with pytest.raises(TransitionError, match="不能再要求补正"):
        handling.send_correction_notice(req, items="请写明年份", guidance="写明所需信息的年份", period=15,
                                   on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    refunds.record_refund(req, amount="130", method="original", note="", on=date(2026, 11, 10),
                          now=noon(date(2026, 11, 10)), actor="t")
    _reply(req, "other", date(2026, 11, 10), head, legal_ground="《中华人民共和国政府信息公开条例》第二十七条（申请人书面撤回申请）")
    assert db.session.get(DisclosureRequest, req.id).outcome == "other"


def test_partly_disclosed_after_paying_for_120_pages_allows_a_refund_of_the_pages_not_provided(seeded):
    """109号 Art. 3, 5 (按量: the pages provided): 120 pages paid, 43 provided under 部分公开 (条例 Art. 37) — the refund
    is the amount paid less the tier fee for 43 pages (fees.calculate); it is allowed, not required; after it a
    reply providing nothing is still refused; the letter states the fee paid and the refund (amount, date)."""
    from requests_module import fees
    from requests_module.letter import issued_letter
    head = make_user("supervisor", "sup@x.cn")
    req = _paid_pages(120)
    paid, due = req.fee_amount, fees.calculate("pages", 43).amount
    assert due == Decimal("130.00") and paid > due
    with pytest.raises(ValidationError, match="实际提供的页数应少于收费时的120页") as err:
        refunds.record_refund(req, amount="1", method="original", note="", pages_provided=120, on=date(2026, 11, 10),
                              now=noon(date(2026, 11, 10)), actor="t")
    assert err.value.field == "pages_provided"
    with pytest.raises(ValidationError) as err:
        refunds.record_refund(req, amount="1", method="original", note="", pages_provided="abc",
                              on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    assert err.value.field == "pages_provided"
    with pytest.raises(FieldConflict, match=f"实际提供43页应收130.00元，已缴纳{paid}元，应退还{paid - due}元"):
        refunds.record_refund(req, amount=str(paid), method="original", note="", pages_provided=43,
                              on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    refunds.record_refund(req, amount=str(paid - due), method="original", note="", pages_provided="43",
                          on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    assert req.fee_refund_amount == paid - due
    with pytest.raises(TransitionError, match="应全额退还"):
        _reply(req, "withheld_process", date(2026, 11, 11), head)
    _reply(req, "partly_disclosed", date(2026, 11, 11), head)
    paras = issued_letter(db.session.get(DisclosureRequest, req.id)).paragraphs
    assert f"您已于2026年11月9日缴纳信息处理费{paid}元（按量计收，《政府信息公开信息处理费管理办法》（国办函〔2020〕109号））。" \
        f"本机关已于2026年11月10日按实际提供的信息重新核算后退还{paid - due}元（原渠道退回）。" in paras
    assert paras[-1].startswith("如对本答复不服") or "行政复议" in paras[-1]  # the remedy clause still closes it


def test_the_letter_states_a_fee_paid_without_refund_and_says_nothing_without_a_fee(seeded):
    """109号; 条例 Art. 42: a fee paid is stated in the reply letter; a reply without a fee says nothing of fees."""
    from requests_module.letter import issued_letter
    head = make_user("supervisor", "sup@x.cn")
    req = _paid_by_pages()
    _reply(req, "disclosed", date(2026, 11, 10), head)
    paras = issued_letter(db.session.get(DisclosureRequest, req.id)).paragraphs
    assert any(p.startswith("您已于2026年11月9日缴纳信息处理费130.00元（按量计收") for p in paras)
    assert not any("退还" in p for p in paras)
    free = received(date(2026, 11, 2), id_number="110105194912310038")
    _reply(free, "disclosed", date(2026, 11, 10), head)
    assert not any("信息处理费" in p for p in issued_letter(db.session.get(DisclosureRequest, free.id)).paragraphs)


def test_partial_refund_through_the_api_and_openapi(app, api_as):
    """109号 Art. 5 through the API: pages_provided with the refund of the pages not provided (409 for a wrong
    amount, 400 for too many pages); the field is in openapi.json."""
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "publish_consent": False, "received_on": "2026-11-02",
                                            "department": "mzj"}, now=noon(date(2026, 11, 2)))
    rid = r.get_json()["id"]
    assert staff.post(f"/disclosure-requests/{rid}/fee-notice",
                      {"method": "pages", "quantity": 120, "on": "2026-11-04"},
                      now=noon(date(2026, 11, 4))).status_code == 200
    assert staff.post(f"/disclosure-requests/{rid}/payment", {"on": "2026-11-09"},
                      now=noon(date(2026, 11, 9))).status_code == 200
    paid = db.session.get(DisclosureRequest, rid).fee_amount
    url = f"/disclosure-requests/{rid}/fee-refund"
    body = {"method": "original", "on": "2026-11-10", "pages_provided": 43}
    r = staff.post(url, {**body, "amount": "1"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 409 and "实际提供43页应收130.00元" in r.get_json()["message"]
    r = staff.post(url, {**body, "amount": "1", "pages_provided": 500}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 400 and "pages_provided" in r.get_json()["fields"]
    r = staff.post(url, {**body, "amount": str(paid - Decimal("130.00"))}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200
    spec = staff.get("/openapi.json").get_json()
    assert "pages_provided" in str(spec["paths"]["/disclosure-requests/{request_id}/fee-refund"])


def test_a_reply_refused_for_a_missing_refund_is_kept_through_the_refund_step(app, api_as):
    """The clerk types a reply, is told 请先登记退费, records the refund from that page: the typed reply comes back
    into the reply form (carried in the other forms' hidden fields) — nothing typed is lost, on refusal of the
    refund too."""
    import re
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "publish_consent": False, "received_on": "2026-11-02",
                                            "department": "mzj"}, now=noon(date(2026, 11, 2)))
    rid = r.get_json()["id"]
    staff.post(f"/disclosure-requests/{rid}/fee-notice", {"method": "pages", "quantity": 43, "on": "2026-11-04"},
               now=noon(date(2026, 11, 4)))
    staff.post(f"/disclosure-requests/{rid}/payment", {"on": "2026-11-09"}, now=noon(date(2026, 11, 9)))
    req = db.session.get(DisclosureRequest, rid)
    client = staff_client(app)
    typed = "经检索，本机关没有您所申请公开的信息。详细说明如下：……"
    with pinned(app, noon(date(2026, 11, 10))):
        refused = post(client, req, "reply", outcome="unavailable_not_held", not_held_basis="not_exist", text=typed,
                       on="2026-11-10")
        html = refused.get_data(as_text=True)
        assert refused.status_code == 409 and "请先登记退费" in html
        carried = dict(re.findall(r'name="(kept_reply_[a-z_]+)" value="([^"]*)"', html))
        assert carried["kept_reply_text"] == typed and carried["kept_reply_outcome"] == "unavailable_not_held"
        wrong = post(client, req, "fee_refund", amount="100", method="original", on="2026-11-10", **carried)
        assert wrong.status_code == 409 and typed in wrong.get_data(as_text=True)
        done = post(client, req, "fee_refund", amount="130", method="original", on="2026-11-10", **carried)
    page = Page(done.get_data(as_text=True))
    assert done.status_code == 200 and "之前填写的答复内容（含已上传的附件）已保留" in done.get_data(as_text=True)
    assert page.text["reply-text"].strip() == typed
    assert req.fee_refunded_on == date(2026, 11, 10)


def test_withholding_for_a_third_party_needs_its_consultation_first(seeded):
    """条例 Art. 32: "行政机关应当书面征求第三方的意见" — withholding on the third party's interest (Art. 15) without having
    consulted any third party is refused."""
    head = make_user("supervisor", "sup.consult@x.cn")
    req = received(date(2026, 11, 2))
    with pytest.raises(TransitionError, match="应当书面征求第三方的意见"):
        _reply(req, "withheld_third_party", date(2026, 11, 10), head)
    assert req.status == "assigned"


def test_after_a_partial_refund_the_rest_can_be_refunded_so_nothing_is_stuck(seeded):
    """109号 Art. 3, 5: 120 pages paid, 43 were to be provided (partial refund), then the organ provides nothing
    after all: the rest of the fee is refunded (exactly the rest, no page count), and the reply goes through."""
    from requests_module import fees
    head = make_user("supervisor", "sup.topup@x.cn")
    req = _paid_pages(120)
    paid, due = req.fee_amount, fees.calculate("pages", 43).amount
    refunds.record_refund(req, amount=str(paid - due), method="original", note="", pages_provided=43,
                          on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    with pytest.raises(TransitionError, match=f"请先登记退还其余的{due}元"):
        _reply(req, "withheld_process", date(2026, 11, 11), head)
    with pytest.raises(FieldConflict, match=f"其余应退还{due}元"):
        refunds.record_refund(req, amount="1", method="original", note="", on=date(2026, 11, 11),
                              now=noon(date(2026, 11, 11)), actor="t")
    refunds.record_refund(req, amount=str(due), method="original", note="", on=date(2026, 11, 11),
                          now=noon(date(2026, 11, 11)), actor="t")
    assert req.fee_refund_amount == paid and req.fee_refunded_on == date(2026, 11, 11)
    with pytest.raises(TransitionError, match="全额退费，不能重复登记"):
        refunds.record_refund(req, amount="1", method="original", note="", on=date(2026, 11, 11),
                              now=noon(date(2026, 11, 11)), actor="t")
    _reply(req, "withheld_process", date(2026, 11, 11), head)
    assert req.status == "closed"
