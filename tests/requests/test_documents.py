"""Documents that start a period, their delivery (送达), periods from delivery and closure only when the law
allows it (issue 15 item 3): 《政府信息公开条例》Art. 30 (补正 period from receipt of the notice), Art. 32 (the
third party's 15 working days from its receipt), Art. 33 para. 2 (延期告知), Art. 42 and 国办函〔2020〕109号 (fee:
20 working days from the day after receipt); 视为放弃 only when delivered, run out, on an official calendar."""
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from core.errors import DomainError, ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module import documents, handling, lapses, notices, reply
from requests_module.common import clock
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, GUIDANCE, api_consulted, deliver, noon, received


def pdf_text(data):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def test_correction_period_runs_from_delivery_and_is_pending_until_then(seeded):
    """Art. 30: the applicant's 补正期限 runs from receipt of the notice; until delivery no end date, the answer
    clock stays paused, and no automatic 视为放弃 happens — the case goes to the decision list instead."""
    req = received(date(2026, 9, 28))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 10, 8), now=noon(date(2026, 10, 8)),
                                    actor="t")
    doc = documents.latest(req, "correction_notice")
    assert doc.number == "亭政依申补〔2026〕1号" and doc.addressee == "张三" and doc.period_workdays == 10
    assert req.correction_due_on is None and doc.due_on is None and clock(req, "correction") is None
    assert documents.period_text(doc) == "10个工作日，待送达后起算"
    assert clock(req).state == "paused"
    # Long after ten working days would have run from the notice: nothing closes without delivery.
    assert lapses.expire_unanswered(at(2026, 11, 2, 9)) == 0
    db.session.refresh(req)
    assert req.status == "awaiting_correction"
    [lapse] = lapses.decision_list(type(req).query, at(2026, 11, 2, 9))
    assert lapse.req.id == req.id and not lapse.delivered and "未登记补正告知书的送达" in lapse.reason
    with pytest.raises(DomainError, match="尚未登记送达"):
        lapses.decide_abandoned(req, reason="未补正", now=at(2026, 11, 2, 9), actor="t")

    # Delivered by registered mail on Monday 10/12: 10 working days from then (the day itself not counted).
    deliver(req, "correction_notice", date(2026, 10, 12), method="registered_mail", tracking_number="XA123456789CN",
            now=noon(date(2026, 10, 12)))
    assert doc.delivered_on == date(2026, 10, 12) and doc.tracking_number == "XA123456789CN"
    assert doc.delivery_recorded_by == "test"
    # 10/13–16, 10/19–23, 10/26
    assert req.correction_due_on == doc.due_on == clock(req, "correction").due_on == date(2026, 10, 26)
    assert clock(req).state == "paused"  # the answer clock waits for the correction as before
    assert lapses.expire_unanswered(at(2026, 10, 26, 23)) == 0
    assert lapses.expire_unanswered(at(2026, 10, 27, 0, 1)) == 1  # delivered, ran out, official 2026 calendar
    db.session.refresh(req)
    # Closed on the day of the closure, not on the period's last day (when the applicant could still correct).
    assert req.outcome == "other_no_correction" and req.replied_on == date(2026, 10, 27)
    assert "且无正当理由，根据《中华人民共和国政府信息公开条例》第三十条的规定，视为放弃申请" in req.reply_text


def test_a_delivery_entered_after_the_period_would_have_ended_never_closes_by_itself(seeded):
    """Art. 30: the period runs from the applicant's receipt. A delivery typed in afterwards (补录) with a date
    that makes the period already over goes to the staff decision list, never to the sweep."""
    req = received(date(2026, 10, 8))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 10, 9), now=noon(date(2026, 10, 9)), actor="t")
    deliver(req, "correction_notice", date(2026, 10, 9), now=noon(date(2026, 10, 27)))  # entered 10/27
    assert req.correction_due_on == date(2026, 10, 22)  # 10 working days (Saturday 10/10 is a 2026 调休 workday)
    lapse = lapses.lapse_of(req, at(2026, 10, 27, 13))
    assert lapse is not None and not lapse.automatic and "补录" in lapse.reason
    assert lapses.expire_unanswered(at(2026, 10, 28, 0, 1)) == 0
    assert db.session.get(type(req), req.id).status == "awaiting_correction"


def test_fee_period_runs_from_the_day_after_receipt_of_the_fee_notice(seeded, cal):
    """国办函〔2020〕109号: payment within 20 working days from the day after the applicant received the notice."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    assert req.fee_due_on is None and documents.latest(req, "fee_notice").due_on is None
    deliver(req, "fee_notice", date(2026, 11, 6), method="email", now=noon(date(2026, 11, 6)))
    # 11/9–13, 11/16–20, 11/23–27, 11/30–12/4
    assert req.fee_due_on == date(2026, 12, 4) == cal.add_workdays(date(2026, 11, 6), 20)
    assert lapses.expire_unanswered(at(2026, 12, 4, 23)) == 0
    assert lapses.expire_unanswered(at(2026, 12, 5, 0, 1)) == 1
    db.session.refresh(req)
    assert req.outcome == "other_no_payment"


def test_third_party_period_runs_from_its_receipt_of_the_letter(seeded):
    """Art. 32: 第三方应当自收到征求意见书之日起15个工作日内提出意见; Art. 34: another organ likewise, its silence
    being consent. Before delivery no silence can be recorded."""
    req = received(date(2026, 11, 2))
    c = handling.add_consultation(req, kind="third_party", party="某科技有限公司", party_type="org", sent_on=date(2026, 11, 4),
                                  now=noon(date(2026, 11, 4)), actor="t")
    doc = documents.latest(req, "consultation_letter")
    assert doc.consultation_id == c.id and doc.addressee == "某科技有限公司" and c.deadline_on is None
    with pytest.raises(TransitionError, match="尚未登记送达"):
        handling.answer_consultation(req, c, answer="silent", now=noon(date(2026, 11, 9)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 9), method="in_person", now=noon(date(2026, 11, 9)))
    assert c.deadline_on == doc.due_on == date(2026, 11, 30)  # 11/10–13, 11/16–20, 11/23–27, 11/30
    # Another organ (Art. 34): its own 征求意见书, 15 working days "自收到征求意见书之日起", silence is consent.
    o = handling.add_consultation(req, kind="organ", party="市住建局", sent_on=date(2026, 11, 10),
                                  now=noon(date(2026, 11, 10)), actor="t")
    letter_to_organ = documents.latest(req, "consultation_letter")
    assert o.deadline_on is None and letter_to_organ.consultation_id == o.id
    text = "".join(notices.document_text(req, letter_to_organ)[2])
    assert "第三十四条" in text and "逾期未提出意见的，视为同意公开" in text and "第三十二条" not in text
    with pytest.raises(TransitionError, match="第三十四条"):
        handling.answer_consultation(req, o, answer="silent", now=noon(date(2026, 11, 12)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 12), method="registered_mail", tracking_number="XA123456789CN")
    assert o.deadline_on == date(2026, 12, 3)  # 15 working days after the organ's receipt on 11/12


def test_no_automatic_closure_on_a_provisional_due_date_and_the_staff_decide(seeded):
    """Issue 15 item 3/8: a due date in a year without the State Council's holiday notice (2027) is provisional;
    the sweep leaves it to the decision list, where 公开办 closes it with a recorded decision (Art. 30)."""
    req = received(date(2026, 12, 1))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份", on=date(2026, 12, 2), now=noon(date(2026, 12, 2)), actor="t")
    deliver(req, "correction_notice", date(2026, 12, 21), now=noon(date(2026, 12, 21)))
    period = clock(req, "correction")
    assert period.provisional and period.due_on.year == 2027
    later = at(2027, 2, 1, 9)
    assert lapses.expire_unanswered(later) == 0
    db.session.refresh(req)
    assert req.status == "awaiting_correction"
    [lapse] = lapses.decision_list(type(req).query, later)
    assert lapse.delivered and "暂定" in lapse.reason and not lapse.automatic
    supervisor = make_user("supervisor", "gkb@x.cn")
    with pytest.raises(ValidationError, match="决定理由"):
        lapses.decide_abandoned(req, reason=" ", now=later, actor=supervisor)
    lapses.decide_abandoned(req, reason="已电话核实，申请人无正当理由未补正", now=later, actor=supervisor)
    doc = documents.latest(req, "correction_notice")
    assert req.status == "closed" and req.outcome == "other_no_correction" and req.replied_on == date(2027, 2, 1)
    assert doc.lapse_decision == "abandoned" and doc.lapse_reason.startswith("已电话核实")
    assert lapses.decision_list(type(req).query, later) == []


def test_late_payment_accepted_only_with_a_recorded_good_reason(seeded):
    """Art. 30 (无正当理由逾期) / 国办函〔2020〕109号: after the period staff may accept a late payment when they
    record the applicant's good reason (正当理由) — also after a closure was proposed on the decision list."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "fee_notice", date(2026, 11, 4))
    # The period (to 12/2) lies in 2026 but the answer is still open; proposed on the list only while the
    # sweep has not yet run: here the decision list is asked before the sweep.
    with pytest.raises(ValidationError, match="正当理由"):
        handling.record_payment(req, on=date(2026, 12, 3), now=noon(date(2026, 12, 3)), actor="t")
    handling.record_payment(req, on=date(2026, 12, 3), now=noon(date(2026, 12, 3)), actor="t",
                            late_reason="申请人住院，提供了住院证明")
    doc = documents.latest(req, "fee_notice")
    assert req.status == "assigned" and doc.lapse_decision == "late_accepted" and "住院" in doc.lapse_reason


def test_late_correction_after_the_decision_list_proposed_closure(seeded):
    """A provisional due date put the case on the list; the correction then arrives late with a good reason."""
    req = received(date(2026, 12, 1))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份", on=date(2026, 12, 2), now=noon(date(2026, 12, 2)), actor="t")
    deliver(req, "correction_notice", date(2026, 12, 21), now=noon(date(2026, 12, 21)))
    due = clock(req, "correction").due_on
    assert lapses.decision_list(type(req).query, at(2027, 1, 20, 9))
    handling.receive_correction(req, text="2025 年", on=date(2027, 1, 20), now=at(2027, 1, 20, 9), actor="t",
                                late_reason="邮件退回后重新寄送")
    assert req.status == "assigned" and date(2027, 1, 20) > due
    assert documents.latest(req, "correction_notice").lapse_decision == "late_accepted"
    req2 = received(date(2026, 11, 2))
    handling.send_correction_notice(req2, guidance=GUIDANCE, items="x", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor="t")
    deliver(req2, "correction_notice", date(2026, 11, 3))
    with pytest.raises(TransitionError, match="请联系承办部门"):  # the applicant's own late answer goes to the organ
        handling.receive_correction(req2, text="x", on=date(2026, 12, 1), now=noon(date(2026, 12, 1)), actor="t",
                                    by_applicant=True)


def test_delivery_is_refused_before_issue_in_the_future_and_twice(seeded):
    """A delivery date decides when a period starts: never before the document, never in the future, once."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    doc = documents.latest(req, "fee_notice")
    now = noon(date(2026, 11, 6))
    for day, message in ((date(2026, 11, 3), "不能早于收费通知书的发出日期"), (date(2026, 11, 7), "不能晚于今天")):
        with pytest.raises(DomainError, match=message) as err:
            documents.record_delivery(req, doc, method="sms", delivered_on=day, now=now, actor="t")
        assert err.value.status == 409
    with pytest.raises(ValidationError, match="邮件号码"):
        documents.record_delivery(req, doc, method="registered_mail", delivered_on=date(2026, 11, 5), now=now,
                                  actor="t")
    documents.record_delivery(req, doc, method="sms", delivered_on=date(2026, 11, 5), now=now, actor="t")
    with pytest.raises(DomainError, match="不能重复登记") as err:
        documents.record_delivery(req, doc, method="sms", delivered_on=date(2026, 11, 6), now=now, actor="t")
    assert err.value.status == 409


def _issued(seeded):
    approver = make_user("approver", "head@x.cn", department="zfb")  # the government received it: 区政府办's head
    req = received(date(2026, 11, 2))
    handling.add_consultation(req, kind="third_party", party="某科技有限公司", party_type="org", sent_on=date(2026, 11, 3),
                              now=noon(date(2026, 11, 3)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 4))
    handling.answer_consultation(req, req.consultations[0], answer="agreed", answered_on=date(2026, 11, 5), opinion="同意",
                                 now=noon(date(2026, 11, 5)), actor="t")
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明所需名单的年份", on=date(2026, 11, 6), now=noon(date(2026, 11, 6)),
                                    actor="t")
    handling.receive_correction(req, text="2025 年", on=date(2026, 11, 9), now=noon(date(2026, 11, 9)), actor="t")
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 10), now=noon(date(2026, 11, 10)), actor="t")
    deliver(req, "fee_notice", date(2026, 11, 10))
    handling.record_payment(req, on=date(2026, 11, 11), now=noon(date(2026, 11, 11)), actor="t")
    handling.extend(req, days=10, reason="需调取历年档案", on=date(2026, 11, 12), now=noon(date(2026, 11, 12)),
                    actor=approver)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开，名单见附件。", on=date(2026, 11, 13),
                now=noon(date(2026, 11, 13)), actor=make_user("staff", "s@x.cn", department="mzj"))
    reply.sign_off(req, approve=True, now=noon(date(2026, 11, 13)), actor=approver)  # the government's letter
    return req


def test_each_document_prints_organ_addressee_subject_period_basis_and_number(seeded):
    """The text of each document (Art. 30, 32, 33 para. 2, 42; 国办函〔2020〕109号), checked in the PDF."""
    req = _issued(seeded)
    kinds = [d.kind for d in req.documents]
    assert kinds == ["consultation_letter", "correction_notice", "fee_notice", "extension_notice", "reply"]
    by_kind = {d.kind: d for d in req.documents}
    expect = {
        "correction_notice": ["政府信息公开申请补正告知书", "张三：", "第三十条", "请写明所需名单的年份",
                              "请自收到本告知书之日起10个工作日内补正", "视为放弃申请", req.title, req.number],
        "consultation_letter": ["政府信息公开第三方意见征求书", "某科技有限公司：", "第三十二条",
                                "请自收到本征求意见书之日起15个工作日内", "提出意见的期限自收到本文书之日起算",
                                req.title],
        "fee_notice": ["政府信息公开信息处理费收费通知书", "第四十二条", "国办函〔2020〕109号", "人民币130.00元", "计算方法：",
                       "请自收到本通知次日起20个工作日内缴纳", "缴费期限自收到本文书之日起算", "逾期未缴纳的，视为放弃申请"],
        "extension_notice": ["政府信息公开申请延期答复告知书", "因需调取历年档案", "第三十三条第二款",
                             "答复期限延长10个工作日", f"延长后的答复期限至{by_kind['extension_notice'].answer_due_on.year}年"],
        "reply": ["政府信息公开申请答复书", "予以公开，名单见附件。", req.reply_doc_number],
    }
    # The served text is frozen at issue (Art. 45): the delivery and the period's end are in the record only.
    assert by_kind["consultation_letter"].due_on == date(2026, 11, 25) and by_kind["fee_notice"].due_on == date(2026, 12, 8)
    for kind, needles in expect.items():
        doc = by_kind[kind]
        assert "送达" not in "".join(notices.document_text(req, doc)[2]) or kind == "reply", kind
        organ, title, paras = notices.document_text(req, doc)
        assert organ == "盐城市亭湖区人民政府"  # registered by the 公开办: the district government received it and signs (Art. 27)
        text = pdf_text(notices.render_document(req, doc))
        assert text.startswith("盐城市亭湖区人民政府")
        assert doc.number in text and ("2026年11月" in text)
        for needle in needles:
            assert needle in text, (kind, needle)
            assert any(needle in p for p in [title, *paras]) or needle == doc.number, (kind, needle)



def test_the_extension_notice_names_the_approving_head(seeded):
    """Art. 33 para. 2 (issue 15 item 5): the 延期告知书 prints the name of the approver who approved the extension
    — the head of the issuing organ's disclosure work (Art. 4: 区政府办 for the district government)."""
    req = _issued(seeded)  # extended by the 区政府办 approver make_user named 测试approver
    paras = notices.document_text(req, documents.latest(req, "extension_notice"))[2]
    assert paras[-1] == "批准人：测试approver。"


def _staff_page_client(app):
    make_user("staff", "clerk@x.cn", department="mzj")
    client = app.test_client()
    assert login(client, "clerk@x.cn").status_code == 302
    return client


def test_the_staff_page_lists_documents_and_refuses_a_bad_delivery_keeping_the_values(app, seeded):
    """The handling page: each document with its delivery state and a PDF link; a refused delivery (before
    the document was issued) answers 409 in Chinese with the typed values kept; a good one is recorded."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    doc = documents.latest(req, "fee_notice")
    client = _staff_page_client(app)
    with pinned(app, noon(date(2026, 11, 6))):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "收费通知书" in html and "未登记送达" in html and "待送达后起算" in html
        assert f"/requests/staff/{req.id}/documents/{doc.id}.pdf" in html
        pdf = client.get(f"/requests/staff/{req.id}/documents/{doc.id}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert "国办函〔2020〕109号" in pdf_text(pdf.data)
        token = csrf_from(html)
        form = {"csrf_token": token, "document": str(doc.id), "method": "registered_mail",
                "tracking_number": "XA987654321CN", "delivered_on": "2026-11-03"}
        resp = client.post(f"/requests/staff/{req.id}/delivery", data=form)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 409 and "不能早于收费通知书的发出日期" in page
        assert 'value="XA987654321CN"' in page and 'value="2026-11-03"' in page
        resp = client.post(f"/requests/staff/{req.id}/delivery", data={**form, "delivered_on": "2026-11-05"})
        assert resp.status_code == 302
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "已送达" in html and "XA987654321CN" in html and "2026年12月3日" in html
        resp = client.post(f"/requests/staff/{req.id}/delivery", data={**form, "delivered_on": "2026-11-05"})
        assert resp.status_code == 409 and "不能重复登记" in resp.get_data(as_text=True)
    other = make_user("staff", "other@x.cn", department="sthjj")
    client2 = app.test_client()
    login(client2, other.login_id)
    assert client2.get(f"/requests/staff/{req.id}/documents/{doc.id}.pdf").status_code == 404


def test_delivery_and_decision_through_the_api(api_as):
    """The API records a delivery (409 in Chinese when refused), lists the decision list for supervisors,
    and closes as 视为放弃 only after a delivered notice's period ran out."""
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "publish_consent": False, "received_on": "2026-11-02", "department": "mzj"},
                   now=noon(date(2026, 11, 2)))
    assert r.status_code == 201, r.get_json()
    rid = r.get_json()["id"]
    r = staff.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-11-03"},
                   now=noon(date(2026, 11, 3)))
    [doc] = r.get_json()["documents"]
    assert doc["kind"] == "correction_notice" and doc["due_on"] is None and doc["delivery"] is None
    assert doc["period"] == "10个工作日，待送达后起算" and r.get_json()["correction"]["due_on"] is None
    url = f"/disclosure-requests/{rid}/documents/{doc['id']}/delivery"
    r = staff.post(url, {"method": "sms", "delivered_on": "2026-11-04"}, now=noon(date(2026, 11, 3)))
    assert r.status_code == 409 and "不能晚于今天" in r.get_json()["message"]
    r = staff.post(url, {"method": "registered_mail", "delivered_on": "2026-11-04"}, now=noon(date(2026, 11, 5)))
    assert r.status_code == 400
    r = staff.post(url, {"method": "sms", "delivered_on": "2026-11-04"}, now=noon(date(2026, 11, 5)))
    assert r.status_code == 200
    body = r.get_json()
    assert body["documents"][0]["delivery"]["delivered_on"] == "2026-11-04"
    assert body["correction"]["due_on"] == "2026-11-18"  # 11/5–6, 11/9–13, 11/16–18
    r = staff.post(url, {"method": "sms", "delivered_on": "2026-11-05"}, now=noon(date(2026, 11, 5)))
    assert r.status_code == 409 and "不能重复登记" in r.get_json()["message"]
    assert staff.post(f"/disclosure-requests/{rid}/documents/999999/delivery",
                      {"method": "sms", "delivered_on": "2026-11-05"}, now=noon(date(2026, 11, 5))).status_code == 404
    r = staff.post(f"/disclosure-requests/{rid}/lapse-decision", {"reason": "逾期"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 403  # department staff do not decide it
    # closing as 视为放弃 issues 民政局's letter (民政局 received it): its head decides, not the 公开办 (Art. 4, 36)
    assert api_as("supervisor").post(f"/disclosure-requests/{rid}/lapse-decision", {"reason": "逾期"},
                                     now=noon(date(2026, 11, 20))).status_code == 403
    head = api_as("approver", "mzj", login="mzj.head@x.cn")
    r = head.post(f"/disclosure-requests/{rid}/lapse-decision", {"reason": "逾期"}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 409 and "尚未届满" in r.get_json()["message"]
    assert staff.get("/disclosure-requests/lapsed").status_code == 403
    r = head.post(f"/disclosure-requests/{rid}/lapse-decision", {"reason": "经核实无正当理由"},
                        now=noon(date(2026, 11, 20)))
    assert r.status_code == 200 and r.get_json()["outcome"] == "other_no_correction"
    assert r.get_json()["documents"][0]["lapse_decision"] == "abandoned"


def test_the_decision_list_page(app, seeded):
    """公开办's page lists what the sweep would not close, with the reason; department staff get 403."""
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor="t")
    make_user("supervisor", "gkb@x.cn")
    client = app.test_client()
    login(client, "gkb@x.cn")
    with pinned(app, noon(date(2026, 12, 1))):
        html = client.get("/requests/staff/lapsed").get_data(as_text=True)
        assert req.number in html and "未登记补正告知书的送达" in html
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "按视为放弃办结" in page
    assert _staff_page_client(app).get("/requests/staff/lapsed").status_code == 403


def test_an_official_year_imported_moves_the_period_and_lets_the_sweep_close(seeded):
    """When the State Council's notice for 2027 is imported, a period from delivery that ended on a provisional
    date is recomputed on the official days, and only then may the sweep close it (Art. 30; issue 15 item 8)."""
    from core.calendar import service
    from core.calendar.parsing import parse_csv

    req = received(date(2026, 12, 1))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份", on=date(2026, 12, 2), now=noon(date(2026, 12, 2)), actor="t")
    deliver(req, "correction_notice", date(2026, 12, 21), now=noon(date(2026, 12, 21)))
    doc = documents.latest(req, "correction_notice")
    # 12/22–25, 12/28–31 (8), 2027-01-01 (元旦) off, 1/4, 1/5
    assert doc.due_on == req.correction_due_on == date(2027, 1, 5) and clock(req, "correction").provisional
    service.import_official(parse_csv("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n"),
                            origin="test", now=noon(date(2026, 12, 22)), actor="test")
    db.session.refresh(req)
    period = clock(req, "correction")
    assert not period.provisional and period.due_on == doc.due_on == req.correction_due_on == date(2027, 1, 6)
    assert lapses.expire_unanswered(at(2027, 1, 6, 23)) == 0
    assert lapses.expire_unanswered(at(2027, 1, 7, 0, 1)) == 1


def test_a_third_party_whose_objection_was_overruled_is_told_in_writing(api_as):
    """Art. 32: when the organ discloses over the third party's objection (public interest), it tells the third
    party in writing what will be disclosed and why; refused without an objection, and only once."""
    staff = api_as("staff", "mzj")
    head = api_as("approver", "mzj", login="mzj.head@x.cn")  # 民政局 received it: its head decides (Art. 4, 32)
    rid, cid = api_consulted(staff)
    url = f"/disclosure-requests/{rid}/consultations/{cid}/disclosure-notice"
    body = {"content": "该公司2025年度污染物排放监测数据", "reasons": "涉及周边居民健康，不公开可能对公共利益造成重大影响",
            "on": "2026-11-10"}
    r = head.post(url, body, now=noon(date(2026, 11, 10)))
    assert r.status_code == 409 and "未提出不同意公开的意见" in r.get_json()["message"]
    staff.post(f"/disclosure-requests/{rid}/consultations/{cid}/answer",
               {"answer": "objected", "opinion": "不同意公开，涉及商业秘密", "on": "2026-11-09"}, now=noon(date(2026, 11, 9)))
    r = staff.post(url, body, now=noon(date(2026, 11, 10)))  # a decision, not a procedural notice: 403
    assert r.status_code == 403 and "决定公开告知书" in r.get_json()["message"]
    r = head.post(url, {**body, "reasons": " "}, now=noon(date(2026, 11, 10)))
    assert r.status_code == 400
    r = head.post(url, body, now=noon(date(2026, 11, 10)))
    assert r.status_code == 200, r.get_json()
    doc = r.get_json()["documents"][-1]
    assert doc["kind"] == "disclosure_notice" and doc["addressee"] == "某化工有限公司" and doc["period_workdays"] is None
    assert head.post(url, body, now=noon(date(2026, 11, 10))).status_code == 409  # once
    from requests_module.models import DisclosureRequest, RequestDocument
    req = db.session.get(DisclosureRequest, rid)
    text = pdf_text(notices.render_document(req, db.session.get(RequestDocument, doc["id"])))
    for needle in ("政府信息公开决定告知书", "某化工有限公司：", "第三十二条", "2026年11月9日提出不同意公开的意见",
                   "决定公开的政府信息内容：该公司2025年度污染物排放监测数据", "不公开可能对公共利益造成重大影响",
                   "向盐城市亭湖区人民政府申请行政复议", doc["number"], "2026年11月10日"):
        assert needle in text, needle
    assert "张三" not in text  # the applicant's name is not given to the third party


def test_the_third_party_notice_form_on_the_handling_page(app, seeded):
    """Art. 32 on the handling page: the form appears for a third party that objected; a refused post keeps
    the typed content; the notice is then listed with its PDF."""
    req = received(date(2026, 11, 2))
    c = handling.add_consultation(req, kind="third_party", party="某化工有限公司", party_type="org", sent_on=date(2026, 11, 3),
                                  now=noon(date(2026, 11, 3)), actor="t")
    deliver(req, "consultation_letter", date(2026, 11, 3))
    handling.answer_consultation(req, c, answer="objected", answered_on=date(2026, 11, 4), opinion="不同意公开", now=noon(date(2026, 11, 4)),
                                 actor="t")
    clerk = _staff_page_client(app)  # the handling unit's clerk: neither the form nor the step (Art. 4, 32)
    make_user("approver", "zfb.head@x.cn", department="zfb")
    client = app.test_client()
    assert login(client, "zfb.head@x.cn").status_code == 302
    with pinned(app, noon(date(2026, 11, 5))):
        html = clerk.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert f"act-third_party_notice-{c.id}" not in html
        refused = clerk.post(f"/requests/staff/{req.id}/third_party_notice",
                             data={"csrf_token": csrf_from(html), "consultation": str(c.id), "on": "2026-11-05",
                                   "content": "排放监测数据", "reasons": "公共利益"})
        assert refused.status_code == 403 and "决定公开告知书" in refused.get_data(as_text=True)
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert f"act-third_party_notice-{c.id}" in html
        form = {"csrf_token": csrf_from(html), "consultation": str(c.id), "on": "2026-11-05",
                "content": "排放监测数据", "reasons": ""}
        resp = client.post(f"/requests/staff/{req.id}/third_party_notice", data=form)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "请写明决定公开的理由" in page and "排放监测数据" in page
        resp = client.post(f"/requests/staff/{req.id}/third_party_notice", data={**form, "reasons": "公共利益"})
        assert resp.status_code == 302
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "决定公开告知书（第三方）" in html and f"act-third_party_notice-{c.id}" not in html


def test_the_applicant_acknowledges_a_notice_online_and_its_period_runs_from_that_day(app, seeded):
    """Art. 30: the applicant's 补正期限 runs from receipt; receipt on the applicant's own page (网上签收, a
    POST with the CSRF token) is a delivery "online_read" on that day. Reading the PDF before 签收 leads back
    to the page; another citizen sees nothing."""
    from core.departments.models import Department
    from requests_module import intake

    citizen = make_user("citizen", "13800001111")
    make_user("citizen", "13900002222")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9), citizen=citizen)
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="intake")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 2, 11), actor="intake")
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份", on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                                    actor="t")
    notice = documents.latest(req, "correction_notice")
    client = app.test_client()
    login(client, "13800001111")
    with pinned(app, noon(date(2026, 11, 5))):
        page = client.get(f"/requests/{req.id}").get_data(as_text=True)
        assert "签收并查看" in page and "补正告知书" in page
        early = client.get(f"/requests/{req.id}/documents/{notice.id}.pdf")
        assert early.status_code == 302 and early.headers["Location"].endswith(f"/requests/{req.id}#docs-h")
        assert client.post(f"/requests/{req.id}/documents/{notice.id}/receipt").status_code == 400  # no CSRF token
        signed = client.post(f"/requests/{req.id}/documents/{notice.id}/receipt", data={"csrf_token": csrf_from(page)})
    assert signed.status_code == 302 and signed.headers["Location"].endswith(f"/documents/{notice.id}.pdf")
    notice = db.session.get(type(notice), notice.id)
    assert (notice.delivered_on, notice.delivery_method) == (date(2026, 11, 5), "online_read")
    assert db.session.get(type(req), req.id).correction_due_on == date(2026, 11, 19)  # 10 working days after 11/5
    with pinned(app, noon(date(2026, 11, 6))):
        pdf = client.get(f"/requests/{req.id}/documents/{notice.id}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        again = client.post(f"/requests/{req.id}/documents/{notice.id}/receipt",
                            data={"csrf_token": csrf_from(client.get(f"/requests/{req.id}").get_data(as_text=True))})
    assert again.status_code == 302 and db.session.get(type(notice), notice.id).delivered_on == date(2026, 11, 5)
    other = app.test_client()
    login(other, "13900002222")
    with pinned(app, noon(date(2026, 11, 6))):
        assert other.get(f"/requests/{req.id}/documents/{notice.id}.pdf").status_code == 404
        assert other.get(f"/requests/{req.id}/documents/99999999999999999999.pdf").status_code == 404


def test_staff_cannot_record_a_read_online_delivery_nor_a_tracking_number_without_registered_mail(seeded):
    """Art. 30: "read online" is the applicant's own 签收; staff cannot record it for them, and a tracking
    number belongs only to registered mail."""
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor="t")
    doc = documents.latest(req, "correction_notice")
    with pytest.raises(ValidationError, match="申请人在本人申请页面签收"):
        documents.record_delivery(req, doc, method="online_read", delivered_on=date(2026, 11, 3),
                                  now=noon(date(2026, 11, 3)), actor="t")
    with pytest.raises(ValidationError, match="只有挂号信"):
        documents.record_delivery(req, doc, method="sms", tracking_number="XA123456789CN", delivered_on=date(2026, 11, 3),
                                  now=noon(date(2026, 11, 3)), actor="t")
    assert doc.delivered_on is None


def test_a_fee_amount_is_never_rounded_into_agreement(seeded):
    """国办函〔2020〕109号: 50 pages cost 200 元; 199.995 or 2e2 typed on the page are refused, not rounded."""
    for typed in ("199.995", "200.001", "2e2"):
        req = received(date(2026, 11, 2), title=f"件{typed}")
        with pytest.raises(ValidationError, match="最多两位小数"):
            handling.fee_notice(req, method="pages", quantity=50, amount=typed, on=date(2026, 11, 3),
                                now=noon(date(2026, 11, 3)), actor="t")
        db.session.rollback()


def test_a_notice_whose_period_will_never_start_does_not_read_pending_delivery(seeded):
    """Art. 30: the 补正期限 runs from receipt; once the applicant has corrected (here before any delivery was
    recorded), nobody waits for that notice's delivery — it must not keep saying 待送达后起算."""
    req = received(date(2026, 9, 28))
    handling.send_correction_notice(req, items="请写明文件名称", guidance="请写明文件标题或文号",
                                    on=date(2026, 10, 8), now=noon(date(2026, 10, 8)), actor="t")
    doc = documents.latest(req, "correction_notice")
    assert documents.period_text(doc) == "10个工作日，待送达后起算"
    handling.receive_correction(req, text="文件名称为《某某通知》", on=date(2026, 10, 9),
                                now=noon(date(2026, 10, 9)), actor="t")
    text = documents.period_text(doc)
    assert "待送达后起算" not in text and text == "10个工作日，已于2026年10月9日答复，期限不再计算"


@pytest.mark.parametrize("party, party_type, you", [("李四", "person", "您"), ("某科技有限公司", "org", "贵单位")])
def test_a_third_party_is_addressed_as_a_person_or_an_organisation(seeded, party, party_type, you):
    """Art. 32: the 征求意见书 addresses the third party as the applicant's letters do — 您 or 贵单位, never 您（单位）;
    Art. 34's letter to another organ speaks of information the two organs made together."""
    req = received(date(2026, 11, 2))
    handling.add_consultation(req, kind="third_party", party=party, party_type=party_type, sent_on=date(2026, 11, 4),
                              now=noon(date(2026, 11, 4)), actor="t")
    text = "".join(notices.document_text(req, documents.latest(req, "consultation_letter"))[2])
    assert f"可能损害{you}的合法权益" in text and f"现书面征求{you}的意见" in text and "您（单位）" not in text
    handling.add_consultation(req, kind="organ", party="市住建局", sent_on=date(2026, 11, 4),
                              now=noon(date(2026, 11, 4)), actor="t")
    text = "".join(notices.document_text(req, documents.latest(req, "consultation_letter"))[2])
    assert "该政府信息由本机关与贵机关共同制作" in text and "第三十四条" in text


def test_consulting_a_third_party_needs_its_type_and_a_name_that_fits(seeded, api_as):
    """The choice is required for a third party (and refused for an organ); a name over 120 characters is refused,
    never cut short — on the page as in the API."""
    req = received(date(2026, 11, 2))
    with pytest.raises(ValidationError, match="个人还是法人或者其他组织") as err:
        handling.add_consultation(req, kind="third_party", party="李四", sent_on=date(2026, 11, 4),
                                  now=noon(date(2026, 11, 4)), actor="t")
    assert err.value.field == "party_type"
    with pytest.raises(ValidationError, match="不超过 120 字"):
        handling.add_consultation(req, kind="third_party", party="某" * 121, party_type="org",
                                  sent_on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    staff = api_as("staff", "mzj")
    r = staff.post(f"/disclosure-requests/{req.id}/consultations", {"kind": "organ", "party": "市住建局",
                                                                    "party_type": "person", "on": "2026-11-04"},
                   now=noon(date(2026, 11, 4)))
    assert r.status_code == 400 and "party_type" in r.get_json()["fields"]
    assert req.consultations == []
