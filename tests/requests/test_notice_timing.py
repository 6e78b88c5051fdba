"""Notices that must reach the applicant in time, and the online receipt date (issue 15, lawyer findings 3, 5):
《政府信息公开条例》Art. 33 para. 2 (an extension is approved AND told: its 延期告知书 must be delivered by the original
due date, else the extension does not take effect), Art. 30 (the 补正告知书 within 7 working days of receipt),
Art. 31 (3) (an online application is received on 双方确认之日, never later than the confirmation period).
Calendar: 2026-11-02 is a Monday; 20 working days from it end on 2026-11-30."""
from datetime import date

from core.audit import history
from core.extensions import db
from requests_module import documents, handling, intake, lapses, reply
from requests_module.common import ENTITY, clock
from requests_module.queries import represent
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, deliver, noon, received

VOID = "延期告知书未在原答复期限内送达，延期不生效"


def _extended(on, days=10):
    approver = make_user("approver", "head@x.cn", department="zfb")  # 区政府办's head: the government received it
    req = received(date(2026, 11, 2))
    assert clock(req).due_on == date(2026, 11, 30)
    handling.extend(req, days=days, reason="需调取历年档案", on=on, now=noon(on), actor=approver)
    return req


def _reply(req, on):
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=on, now=noon(on),
                actor=make_user("staff", "s@x.cn", department="zfb"))  # the 公开办's clerk issues the government's reply


def _actions(req):
    return [e.action for e in history(ENTITY, req.id)]


def test_extension_notice_delivered_after_the_original_due_date_voids_the_extension(seeded):
    """Art. 33 para. 2: approved on the last day (11-30), delivered 8 working days later (12-10): the extension
    never took effect, the answer was due 11-30 and the reply of 12-11 is late."""
    req = _extended(date(2026, 11, 30))
    assert clock(req).due_on == date(2026, 12, 14)
    shown = represent(req, noon(date(2026, 11, 30)))["documents"][-1]
    assert shown["extension_effect"]["state"] == "pending" and shown["extension_effect"]["original_due_on"] == "2026-11-30"
    deliver(req, "extension_notice", date(2026, 12, 10))
    assert clock(req).due_on == date(2026, 11, 30)  # the answer clock gives the extension back
    assert "extension_void" in _actions(req)
    void = [e for e in history(ENTITY, req.id) if e.action == "extension_void"][0].after_data
    assert void["original_due_on"] == "2026-11-30" and void["delivered_on"] == "2026-12-10" and VOID in void["reason"]
    _reply(req, date(2026, 12, 11))
    assert clock(req).on_time is False
    shown = represent(req, noon(date(2026, 12, 11)))
    doc = [d for d in shown["documents"] if d["kind"] == "extension_notice"][0]
    assert doc["extension_effect"]["state"] == "void" and VOID in doc["timing"]
    assert req.extension_days == 10  # the one extension Art. 33 allows was used


def test_extension_notice_delivered_in_time_keeps_the_extension(seeded):
    """Art. 33 para. 2: approved 11-20, delivered 11-25 (before 11-30): the answer is due 12-14; a reply on 12-10
    is on time."""
    req = _extended(date(2026, 11, 20))
    deliver(req, "extension_notice", date(2026, 11, 25))
    assert clock(req).due_on == date(2026, 12, 14) and "extension_void" not in _actions(req)
    doc = documents.represent(documents.latest(req, "extension_notice"))
    assert doc["extension_effect"]["state"] == "effective" and doc["timing"] is None
    _reply(req, date(2026, 12, 10))
    assert clock(req).on_time is True


def test_a_reply_after_the_original_due_date_with_the_notice_undelivered_is_late(seeded):
    """Art. 33 para. 2: the notice was never delivered and the reply came on 12-03, after the original 11-30: the
    extension did not take effect and the verdict is late; a delivery recorded afterwards changes nothing."""
    req = _extended(date(2026, 11, 27))
    _reply(req, date(2026, 12, 3))
    answer = clock(req)
    assert answer.due_on == date(2026, 11, 30) and answer.on_time is False
    assert "extension_void" in _actions(req)
    deliver(req, "extension_notice", date(2026, 12, 4))
    db.session.refresh(answer)
    assert answer.on_time is False and _actions(req).count("extension_void") == 1


def test_a_reply_within_the_original_period_stays_on_time_whatever_the_delivery(seeded):
    """Replied 11-25 within the original period with the notice undelivered: on time; the notice delivered on
    12-01 voids the extension, but a verdict is only ever taken again to turn late, and 11-25 was in time."""
    req = _extended(date(2026, 11, 20))
    _reply(req, date(2026, 11, 25))
    doc = documents.latest(req, "extension_notice")
    assert documents.represent(doc)["extension_effect"]["state"] == "not_needed"
    deliver(req, "extension_notice", date(2026, 12, 1))
    assert clock(req).on_time is True and clock(req).due_on == date(2026, 11, 30)


def test_handling_page_shows_the_void_extension(app, seeded):
    req = _extended(date(2026, 11, 30))
    deliver(req, "extension_notice", date(2026, 12, 10))
    make_user("supervisor", "gkb@x.cn")
    client = app.test_client()
    login(client, "gkb@x.cn")
    with pinned(app, noon(date(2026, 12, 10))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert VOID in page and "延期不生效" in page


def test_correction_notice_delivered_after_seven_working_days_is_flagged_but_the_restart_stands(seeded):
    """Art. 30: received 11-02, the notice had to reach the applicant by 11-11 (7 working days); delivered 11-13 it
    is flagged. The answer period still runs anew from the correction (Art. 30: "答复期限自行政机关收到补正的申请之日
    起计算" — the text sets no condition on the notice's timing): corrected 11-16, due 12-14."""
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance="请写明文件标题或文号", items="请写明年份", on=date(2026, 11, 10),
                                    now=noon(date(2026, 11, 10)), actor="t")
    deliver(req, "correction_notice", date(2026, 11, 13))
    doc = documents.latest(req, "correction_notice")
    flag = documents.represent(doc)["timing"]
    assert flag.startswith("补正告知书未在收到申请之日起7个工作日内送达（条例第三十条）") and "2026年11月11日" in flag
    delivered = [e for e in history(ENTITY, req.id) if e.action == "document_delivered"][0].after_data
    assert delivered["timing"] == flag
    handling.receive_correction(req, text="2025年", on=date(2026, 11, 16), now=noon(date(2026, 11, 16)), actor="t")
    assert clock(req).due_on == date(2026, 12, 14)


def test_correction_notice_in_time_is_not_flagged(seeded):
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance="请写明文件标题或文号", items="请写明年份", on=date(2026, 11, 10),
                                    now=noon(date(2026, 11, 10)), actor="t")
    deliver(req, "correction_notice", date(2026, 11, 11))
    assert documents.represent(documents.latest(req, "correction_notice"))["timing"] is None


def test_an_undelivered_correction_notice_goes_to_the_decision_list_after_its_delivery_date(seeded):
    """Art. 30: the notice issued 11-10 pauses the answer period; undelivered after 11-11 (7 working days from
    receipt) it is listed for staff, long before the 10-day correction period could have run out (11-24)."""
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance="请写明文件标题或文号", items="请写明年份", on=date(2026, 11, 10),
                                    now=noon(date(2026, 11, 10)), actor="t")
    assert lapses.decision_list(type(req).query, noon(date(2026, 11, 11))) == []
    [lp] = lapses.decision_list(type(req).query, noon(date(2026, 11, 12)))
    assert lp.req.id == req.id and lp.undelivered_late and lp.due_on == date(2026, 11, 11)
    assert "未登记送达" in lp.reason and "条例第三十条" in lp.reason and not lp.automatic


def test_an_undelivered_fee_notice_goes_to_the_decision_list_after_the_answer_due_date(api_as, seeded):
    """A 收费通知书 issued 11-04 and never delivered pauses the answer period (due 11-30) without limit: listed from
    12-01 (before its 20-day payment period could have ended, 12-02), also in the API."""
    staff = api_as("staff", "mzj")
    sup = api_as("supervisor")
    req = received(date(2026, 11, 2))
    r = staff.post(f"/disclosure-requests/{req.id}/fee-notice", {"method": "pages", "quantity": 33, "on": "2026-11-04"},
                   now=noon(date(2026, 11, 4)))
    assert r.status_code == 200, r.get_json()
    assert lapses.decision_list(type(req).query, noon(date(2026, 11, 30))) == []
    with pinned(seeded, noon(date(2026, 12, 1))):
        r = sup.get("/disclosure-requests/lapsed")
    [item] = r.get_json()["items"]
    assert item["undelivered_late"] is True and item["due_on"] == "2026-11-30" and item["kind"] == "fee"
    assert "收费通知书" in item["reason"] and "未登记送达" in item["reason"]


def test_a_late_online_confirmation_is_dated_the_last_day_of_the_confirmation_period(seeded):
    """Art. 31 (3): submitted online 11-02, RECEIPT_CONFIRM_WORKDAYS = 1: received at the latest on 11-03. Confirmed
    on 11-20, the receipt date is 11-03 and the answer is due 12-01 (not 12-18), and the audit says why."""
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 10))
    intake.confirm_receipt(req, received_on=date(2026, 11, 20), now=at(2026, 11, 20, 9), actor="t")
    assert req.received_on == date(2026, 11, 3) and clock(req).due_on == date(2026, 12, 1)
    row = [e for e in history(ENTITY, req.id) if e.action == "confirm_receipt"][0].after_data
    assert row["received_on"] == "2026-11-03" and row["confirmed_on"] == "2026-11-20"
    assert row["receipt_rule"].startswith("网上申请应在提交后1个工作日内确认收到，逾期确认的，以第1个工作日为收到申请之日")
    assert clock(req, "receipt").on_time is False


def test_a_confirmation_in_time_keeps_the_typed_date(seeded):
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 10))
    intake.confirm_receipt(req, received_on=date(2026, 11, 3), now=at(2026, 11, 3, 9), actor="t")
    assert req.received_on == date(2026, 11, 3) and intake.receipt_note(req) is None


def test_late_confirmation_through_the_api_and_the_page_agree(app, api_as, seeded):
    """Art. 31 (3): the API and the page both date a late confirmation 11-03 and say so."""
    sup = api_as("supervisor", login="gkb@x.cn")
    first = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 10))
    second = intake.submit_online({**APPLICATION, "title": "另一项信息"}, now=at(2026, 11, 2, 10))
    r = sup.post(f"/disclosure-requests/{first.id}/confirm-receipt", {"received_on": "2026-11-20"},
                 now=at(2026, 11, 20, 9))
    body = r.get_json()
    assert r.status_code == 200 and body["received_on"] == "2026-11-03" and body["due_on"] == "2026-12-01"
    assert body["receipt_confirmation"]["latest_received_on"] == "2026-11-03"
    assert "以第1个工作日为收到申请之日" in body["receipt_confirmation"]["receipt_rule"]
    client = app.test_client()
    login(client, "gkb@x.cn")
    with pinned(app, at(2026, 11, 20, 9)):
        token = csrf_from(client.get(f"/requests/staff/{second.id}").get_data(as_text=True))
        r = client.post(f"/requests/staff/{second.id}/confirm", data={"received_on": "2026-11-20", "csrf_token": token},
                        follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "已确认收到；网上申请应在提交后1个工作日内确认收到，逾期确认的，以第1个工作日为收到申请之日" in page
    db.session.refresh(second)
    assert second.received_on == date(2026, 11, 3)


def test_the_api_shows_the_void_extension(api_as, seeded):
    """Art. 33 para. 2 through the API: extended on 11-30, the notice delivered on 12-10: due_on goes back to 11-30
    and the document says why."""
    approver = api_as("approver", "zfb")
    staff = api_as("staff", "mzj")
    req = received(date(2026, 11, 2))
    r = approver.post(f"/disclosure-requests/{req.id}/extension", {"days": 10, "reason": "需调取历年档案", "on": "2026-11-30"},
                      now=noon(date(2026, 11, 30)))
    assert r.status_code == 200 and r.get_json()["due_on"] == "2026-12-14"
    [notice] = [d for d in r.get_json()["documents"] if d["kind"] == "extension_notice"]
    r = staff.post(f"/disclosure-requests/{req.id}/documents/{notice['id']}/delivery",
                   {"method": "in_person", "delivered_on": "2026-12-10"}, now=noon(date(2026, 12, 10)))
    body = r.get_json()
    assert r.status_code == 200 and body["due_on"] == "2026-11-30"
    [notice] = [d for d in body["documents"] if d["kind"] == "extension_notice"]
    assert notice["extension_effect"]["state"] == "void" and notice["timing"].startswith(VOID)
    assert "extension_void" in [e["action"] for e in body["timeline"]]
