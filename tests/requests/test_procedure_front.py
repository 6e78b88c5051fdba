"""The front of the procedure (issue 15 item 7): the 公开办's correction notice before assignment (Art. 30),
the confirmation clock of online applications (Art. 31) and the Art. 35 说明理由 step."""
from datetime import date

import pytest

from core.errors import ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module import handling
from requests_module.common import clock
from requests_module.models import DisclosureRequest
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, GUIDANCE, deliver, noon, received


def test_intake_sends_the_correction_notice_before_assigning_and_it_returns_to_intake(seeded):
    """Art. 30: the notice is due within 7 working days of receipt, whoever holds the application; the 公开办
    sends it while the application is unassigned (已收到，待分办), and the correction brings it back there."""
    req = received(date(2026, 9, 28), dep=None)
    assert req.status == "received"
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 10, 8), now=noon(date(2026, 10, 8)),
                                    actor="t")
    assert req.status == "awaiting_correction" and clock(req).state == "paused"
    assert req.correction_due_on is None  # the applicant's period runs from receipt of the notice
    deliver(req, "correction_notice", date(2026, 10, 8))
    assert req.correction_due_on == date(2026, 10, 21)
    handling.receive_correction(req, text="文件名称为……", on=date(2026, 10, 20), now=noon(date(2026, 10, 20)),
                                actor="t")
    # Back to intake, unassigned; the 20 working days run again from the correction (10/20 → 11/17).
    assert req.status == "received" and req.department_id is None and clock(req).due_on == date(2026, 11, 17)
    with pytest.raises(TransitionError, match="一次性"):
        handling.send_correction_notice(req, guidance=GUIDANCE, items="again", on=date(2026, 10, 21), now=noon(date(2026, 10, 21)),
                                        actor="t")


def test_intake_correction_notice_still_within_seven_working_days(seeded):
    """Art. 30: day 7 after a receipt on 9/28 is 10/13, also for an unassigned application."""
    req = received(date(2026, 9, 28), dep=None)
    with pytest.raises(TransitionError, match="7 个工作日内（2026年10月13日前）"):
        handling.send_correction_notice(req, guidance=GUIDANCE, items="x", on=date(2026, 10, 14), now=noon(date(2026, 10, 14)),
                                        actor="t")


def test_correction_notice_from_the_intake_page(app, client, seeded):
    """Art. 30 through the handling page: a supervisor (公开办) sends it on an unassigned application; a
    department's staff cannot see the application at all."""
    req = received(date(2026, 9, 28), dep=None)
    make_user("supervisor", "sup@x.cn")
    login(client, "sup@x.cn")
    with pinned(app, noon(date(2026, 10, 8))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "一次性补正告知" in page
        resp = client.post(f"/requests/staff/{req.id}/correction_notice",
                           data={"items": "请写明所需年份", "guidance": "请写明文件标题或文号", "on": "2026-10-08", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    db.session.remove()
    assert db.session.get(DisclosureRequest, req.id).status == "awaiting_correction"
    other = app.test_client()
    make_user("staff", "s@x.cn", department="mzj")
    login(other, "s@x.cn")
    assert other.get(f"/requests/staff/{req.id}").status_code == 404


def test_correction_notice_before_assignment_through_the_api(api_as):
    """Art. 30 through the API: 200 from 已收到，待分办; a second notice is a 409 with a Chinese message."""
    sup = api_as("supervisor")
    body = {**APPLICATION, "publish_consent": True, "received_on": "2026-09-28"}
    r = sup.post("/disclosure-requests", body, now=noon(date(2026, 9, 28)))
    assert r.status_code == 201 and r.get_json()["status"] == "received"
    rid = r.get_json()["id"]
    r = sup.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-10-08"},
                 now=noon(date(2026, 10, 8)))
    assert r.status_code == 200 and r.get_json()["status"] == "awaiting_correction"
    r = sup.post(f"/disclosure-requests/{rid}/correction", {"text": "2025 年", "on": "2026-10-20"},
                 now=noon(date(2026, 10, 20)))
    assert r.status_code == 200 and r.get_json()["status"] == "received" and r.get_json()["due_on"] == "2026-11-17"
    r = sup.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "再次", "on": "2026-10-21"},
                 now=noon(date(2026, 10, 21)))
    assert r.status_code == 409 and r.get_json()["error"] == "conflict" and "一次性" in r.get_json()["message"]


# --- Art. 35: 说明理由 -------------------------------------------------------------------------------------

def _api_register(caller, received_on="2026-11-02"):
    body = {**APPLICATION, "publish_consent": True, "received_on": received_on, "department": "mzj"}
    r = caller.post("/disclosure-requests", body, now=noon(date.fromisoformat(received_on)))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _step(caller, url, body, day):
    return caller.post(url, body, now=noon(date.fromisoformat(day)))


def test_art35_reasons_accepted_with_a_delayed_reply_period_through_the_api(api_as, client):
    """Art. 35: reasons asked on 11/04 (the applicant has 10 working days, to 11/18; the Art. 33 period keeps
    running to 11/30); found reasonable on 11/13 with a 延迟答复合理期限 of 12/15, which becomes the due date: on
    12/01 the application is not 超期, and a reply on 12/10 is on time."""
    staff = api_as("staff", "mzj")
    approver = api_as("approver", "mzj", login="approver@x.cn")
    req = _api_register(staff)
    url = f"/disclosure-requests/{req['id']}"
    assert req["due_on"] == "2026-11-30" and req["due_basis"] == "art33"
    r = _step(staff, url + "/reason-request", {"items": "一个月内提出 60 件申请，请说明用途", "on": "2026-11-04"},
              "2026-11-04")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    # The 说明理由告知书 is a document: the applicant's period runs from its delivery (Art. 35 with Art. 30's rule)
    notice = next(d for d in body["documents"] if d["kind"] == "reason_notice")
    assert body["reasons"]["due_on"] is None and notice["number"] == "亭民政依申理〔2026〕1号"
    r = _step(staff, url + f"/documents/{notice['id']}/delivery", {"method": "in_person", "delivered_on": "2026-11-04"},
              "2026-11-04")
    body = r.get_json()
    assert body["reasons"]["due_on"] == "2026-11-18" and body["due_on"] == "2026-11-30"
    assert body["status"] == "assigned" and [c["state"] for c in body["clocks"] if c["name"] == "answer"] == ["running"]
    r = _step(staff, url + "/reason-request", {"items": "再次", "on": "2026-11-05"}, "2026-11-05")
    assert r.status_code == 409 and "已经要求过" in r.get_json()["message"]
    # Not yet explained and the applicant's period still runs: no finding, and no 大量反复 不予处理 either.
    r = _step(approver, url + "/reason-decision", {"accepted": False, "on": "2026-11-10"}, "2026-11-10")
    assert r.status_code == 409 and "尚未届满" in r.get_json()["message"]
    r = _step(staff, url + "/reply", {"outcome": "not_processed_excessive", "text": "不予处理。", "on": "2026-11-10"},
              "2026-11-10")
    assert r.status_code == 409 and "第三十五条" in r.get_json()["message"]
    r = _step(staff, url + "/reasons", {"text": "用于课题研究，需逐月比对", "on": "2026-11-12"}, "2026-11-12")
    assert r.status_code == 200 and r.get_json()["reasons"]["received_on"] == "2026-11-12"
    # The finding is the organ's head's (like an extension): staff are refused.
    r = _step(staff, url + "/reason-decision", {"accepted": True, "on": "2026-11-13"}, "2026-11-13")
    assert r.status_code == 403
    r = _step(approver, url + "/reason-decision", {"accepted": True, "delay_until": "2026-11-30", "on": "2026-11-13"},
              "2026-11-13")
    assert r.status_code == 400 and r.get_json()["fields"].keys() == {"delay_until"}
    r = _step(approver, url + "/reason-decision", {"accepted": True, "delay_until": "2026-12-15", "on": "2026-11-13"},
              "2026-11-13")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["due_on"] == "2026-12-15" and body["due_basis"] == "art35_delay"
    assert body["reasons"]["accepted"] is True and body["reasons"]["delay_due_on"] == "2026-12-15"
    assert [d["kind"] for d in body["documents"]][-1] == "delay_notice"  # told in writing
    with pinned(client.application, noon(date(2026, 12, 1))):  # past the Art. 33 date, inside the delay
        shown = staff.get(url).get_json()
    assert shown["urgency"] != "overdue" and shown["due_basis"] == "art35_delay"
    with pinned(client.application, noon(date(2026, 12, 16))):
        assert staff.get(url).get_json()["urgency"] == "overdue"
    r = _step(staff, url + "/reply", {"outcome": "not_processed_excessive", "text": "不予处理。", "on": "2026-12-10"},
              "2026-12-10")
    assert r.status_code == 409 and "合理" in r.get_json()["message"]
    r = _step(staff, url + "/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。", "on": "2026-12-10"}, "2026-12-10")
    body = r.get_json()
    assert body["status"] == "closed" and [c["on_time"] for c in body["clocks"] if c["name"] == "answer"] == [True]
    assert "reason_decided" in [e["action"] for e in body["timeline"]]


def test_art35_delayed_reply_period_is_not_extended_again_under_art33(seeded):
    """Art. 35 sets a 延迟答复合理期限 instead of the Art. 33 period; an Art. 33 extension on top of it is refused
    with a message naming Art. 35 (not a confusing total-extension limit)."""
    from requests_module import reasons

    req = received(date(2026, 11, 2))  # received by the district government: 区政府办's head decides (Art. 4)
    approver = make_user("approver", "ap@x.cn", department="zfb")
    staff = make_user("staff", "st@x.cn", department="mzj")
    reasons.request_reasons(req, items="本月第 40 件申请", on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor=staff)
    reasons.receive_reasons(req, text="为诉讼取证所需", on=date(2026, 11, 6), now=noon(date(2026, 11, 6)), actor=staff)
    reasons.decide_reasons(req, accepted=True, delay_until=date(2027, 1, 29), on=date(2026, 11, 9),
                           now=noon(date(2026, 11, 9)), actor=approver)
    assert req.reason_delay_due_on == date(2027, 1, 29)
    with pytest.raises(TransitionError, match="第三十五条.*至2027年1月29日"):
        handling.extend(req, days=5, reason="需调档", on=date(2026, 11, 10), now=noon(date(2026, 11, 10)),
                        actor=approver)
    assert req.extension_days == 0


def test_art35_no_explanation_in_time_then_unreasonable_then_not_processed(seeded):
    """Art. 35: reasons asked on 11/04 with a period to 11/18; none came, so on 11/19 the organ finds no good
    reason and may close the application as 不予处理：无正当理由大量反复申请 (and only then)."""
    from requests_module import intake, reasons, reply

    req = received(date(2026, 11, 2))  # received by the district government: 区政府办's head decides (Art. 4)
    approver = make_user("approver", "ap@x.cn", department="zfb")
    staff = make_user("staff", "st@x.cn", department="mzj")
    with pytest.raises(TransitionError, match="第三十五条"):
        reasons.decide_reasons(req, accepted=False, on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=approver)
    reasons.request_reasons(req, items="本月第 40 件相同内容的申请", on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                            actor=staff)
    assert req.reason_due_on is None  # from receipt: unknown until delivery is recorded
    with pytest.raises(TransitionError, match="尚未登记送达"):  # never "no reasons given" before it reached them
        reasons.decide_reasons(req, accepted=False, on=date(2026, 12, 1), now=noon(date(2026, 12, 1)), actor=approver)
    deliver(req, "reason_notice", date(2026, 11, 4))
    assert req.reason_due_on == date(2026, 11, 18)
    with pytest.raises(TransitionError, match="尚未届满"):
        reasons.decide_reasons(req, accepted=False, on=date(2026, 11, 18), now=noon(date(2026, 11, 18)),
                               actor=approver)
    with pytest.raises(ValidationError, match="不确定延迟答复期限"):
        reasons.decide_reasons(req, accepted=False, delay_until=date(2026, 12, 15), on=date(2026, 11, 19),
                               now=noon(date(2026, 11, 19)), actor=approver)
    reasons.decide_reasons(req, accepted=False, on=date(2026, 11, 19), now=noon(date(2026, 11, 19)), actor=approver)
    assert req.reason_accepted is False and clock(req, "reason").state == "stopped"
    assert clock(req, "reason").on_time is False  # the applicant's period ran out unanswered
    reply.reply(req, outcome="not_processed_excessive", text="经审查，您的申请理由不合理，不予处理。",
                on=date(2026, 11, 19), now=noon(date(2026, 11, 19)), actor=staff)
    assert req.status == "awaiting_signoff"  # 民政局 drafts the government's letter; its head issues it (Art. 36)
    reply.sign_off(req, approve=True, now=noon(date(2026, 11, 19)), actor=approver)
    assert req.status == "closed" and req.outcome == "not_processed_excessive"
    # Without the step, the intake's direct 不予处理 as 大量反复申请 is refused too.
    other = received(date(2026, 11, 2), dep=None)
    with pytest.raises(TransitionError, match="第三十五条"):
        intake.reject(other, outcome="not_processed_excessive", message="大量反复申请", on=date(2026, 11, 3),
                      now=noon(date(2026, 11, 3)), actor="t")


def test_art35_on_the_staff_and_citizen_pages(app, client, seeded):
    """Art. 35 through the pages: staff send the notice, the applicant explains on their page (an empty
    explanation is refused with the typed page kept), the approver finds it reasonable with a delayed period,
    which the handling page and the applicant's page show as the due date."""
    citizen = app.test_client()
    make_user("citizen", "13800001111")
    login(citizen, "13800001111")
    with pinned(app, noon(date(2026, 11, 2))):
        page = citizen.get("/requests/new").get_data(as_text=True)
        data = {**APPLICATION, "csrf_token": csrf_from(page)}
        assert citizen.post("/requests/new", data=data, content_type="multipart/form-data").status_code == 302
    req = DisclosureRequest.query.one()
    from core.departments.models import Department
    from requests_module import intake
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=noon(date(2026, 11, 2)), actor="t")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=noon(date(2026, 11, 2)), actor="t")
    make_user("staff", "s@x.cn", department="mzj")
    make_user("approver", "a@x.cn", department="zfb")  # online: the district government's 公开办 head decides
    login(client, "s@x.cn")
    with pinned(app, noon(date(2026, 11, 4))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "要求说明理由" in page and "认定申请理由" not in page  # the finding is the approver's
        resp = client.post(f"/requests/staff/{req.id}/reason_request",
                           data={"items": "一个月内提出 60 件申请", "on": "2026-11-04", "csrf_token": csrf_from(page)})
        assert resp.status_code == 302
        shown = citizen.get(f"/requests/{req.id}").get_data(as_text=True)
        assert "需要您说明理由" in shown and "说明理由告知书" in shown and "签收并查看" in shown
        notice = db.session.get(DisclosureRequest, req.id).documents[-1]
        assert notice.kind == "reason_notice"
        citizen.post(f"/requests/{req.id}/documents/{notice.id}/receipt", data={"csrf_token": csrf_from(shown)})
        shown = citizen.get(f"/requests/{req.id}").get_data(as_text=True)
        assert "2026年11月18日" in shown  # 10 working days from the day the applicant acknowledged it
    with pinned(app, noon(date(2026, 11, 12))):
        token = csrf_from(citizen.get(f"/requests/{req.id}").get_data(as_text=True))
        refused = citizen.post(f"/requests/{req.id}/reasons", data={"text": "  ", "csrf_token": token})
        assert refused.status_code == 400 and "请填写申请人说明的理由" in refused.get_data(as_text=True)
        ok = citizen.post(f"/requests/{req.id}/reasons", data={"text": "用于课题研究", "csrf_token": token})
        assert ok.status_code == 302
    db.session.remove()
    assert db.session.get(DisclosureRequest, req.id).reason_text == "用于课题研究"
    approver = app.test_client()
    login(approver, "a@x.cn")
    with pinned(app, noon(date(2026, 11, 13))):
        page = approver.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "认定申请理由" in page
        bad = approver.post(f"/requests/staff/{req.id}/reason_decision",
                            data={"accepted": "yes", "delay_until": "2026-11-20", "on": "2026-11-13",
                                  "csrf_token": csrf_from(page)})
        body = bad.get_data(as_text=True)
        assert bad.status_code == 400 and "延迟答复期限应晚于现答复期限" in body and 'value="2026-11-20"' in body
        resp = approver.post(f"/requests/staff/{req.id}/reason_decision",
                             data={"accepted": "yes", "delay_until": "2026-12-15", "on": "2026-11-13",
                                   "csrf_token": csrf_from(page)})
        assert resp.status_code == 302
    with pinned(app, noon(date(2026, 12, 1))):
        page = approver.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "2026年12月15日（条例第三十五条确定的延迟答复期限）" in page and "超期" not in page
        shown = citizen.get(f"/requests/{req.id}").get_data(as_text=True)
        assert "答复期限延迟至 2026年12月15日" in shown


# --- Art. 31: the confirmation clock of online applications -------------------------------------------------

def test_online_application_waits_at_most_one_working_day_unseen(app, client, seeded):
    """Art. 31: an online application is received when both sides confirm. Submitted on Friday 2026-11-20,
    the 公开办 has one working day (RECEIPT_CONFIRM_WORKDAYS) — to Monday 11/23: the intake queue shows the
    clock with its urgency, the sweep warns the supervisors (公开办) on 11/23 and marks it overdue on 11/24; a
    confirmation on 11/24 stops it late."""
    from core.clocks.sweep import run_sweep
    from core.notifications.models import Notification
    from requests_module import intake
    from tests.conftest import at

    sup = make_user("supervisor", "sup@x.cn")
    make_user("staff", "s@x.cn", department="mzj")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 20, 10))
    receipt = clock(req, "receipt")
    assert receipt.due_on == date(2026, 11, 23) and receipt.department_id is None and not receipt.provisional
    login(client, "sup@x.cn")
    with pinned(app, at(2026, 11, 20, 11)):
        page = client.get("/requests/staff/intake").get_data(as_text=True)
        assert "确认收到时限 2026年11月23日" in page and "正常" in page
    with pinned(app, at(2026, 11, 23, 9)):
        assert "临期" in client.get("/requests/staff/intake").get_data(as_text=True)
    assert run_sweep(at(2026, 11, 23, 9))["clock_due_soon"] == 1
    assert [n.user_id for n in Notification.query.filter_by(event="clock_due_soon")] == [sup.id]
    assert "确认收到时限" in Notification.query.filter_by(event="clock_due_soon").one().body
    assert run_sweep(at(2026, 11, 24, 9))["clock_overdue"] == 1
    assert [n.user_id for n in Notification.query.filter_by(event="clock_overdue")] == [sup.id]
    with pinned(app, at(2026, 11, 24, 9)):
        page = client.get("/requests/staff/intake").get_data(as_text=True)
        assert "超期" in page
    intake.confirm_receipt(req, received_on=date(2026, 11, 24), now=at(2026, 11, 24, 10), actor=sup)
    receipt = clock(req, "receipt")
    assert receipt.state == "stopped" and receipt.on_time is False
    # Art. 31 (3): confirmed a day late, the receipt date is the last day of the confirmation period (11-23), so
    # the organ's delay does not lengthen the answer period (Art. 33)
    assert req.received_on == date(2026, 11, 23) and clock(req).due_on == date(2026, 12, 21)


def test_confirmation_in_time_and_rejection_stop_the_clock_through_the_api(api_as, client):
    """Art. 31 through the API: receipt_confirmation shows the clock; confirming the next working day stops it
    on time; rejecting (不予处理) an unconfirmed one stops it too."""
    from requests_module import intake
    from tests.conftest import at

    sup = api_as("supervisor")
    first = intake.submit_online(APPLICATION, now=at(2026, 11, 20, 10))
    second = intake.submit_online({**APPLICATION, "title": "另一项信息"}, now=at(2026, 11, 20, 10))
    with pinned(client.application, at(2026, 11, 20, 11)):
        shown = sup.get(f"/disclosure-requests/{first.id}").get_json()
    assert shown["receipt_confirmation"] == {"due_on": "2026-11-23", "state": "running", "on_time": None,
                                             "urgency": "normal", "latest_received_on": "2026-11-23",
                                             "receipt_rule": None}
    r = sup.post(f"/disclosure-requests/{first.id}/confirm-receipt", {"received_on": "2026-11-23"},
                 now=at(2026, 11, 23, 9))
    assert r.status_code == 200 and r.get_json()["receipt_confirmation"]["on_time"] is True
    r = sup.post(f"/disclosure-requests/{second.id}/reject",
                 {"outcome": "not_processed_petition", "message": "属投诉事项，请拨打 12345", "on": "2026-11-23"},
                 now=at(2026, 11, 23, 9))
    assert r.status_code == 200 and r.get_json()["receipt_confirmation"]["state"] == "stopped"
