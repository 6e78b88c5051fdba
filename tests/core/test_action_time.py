"""The time of an action (issue 14, core/action_time.py), through both workflows' API and pages: never
in the future, never before the item's previous step, a late entry (补录) is flagged with who entered
it and when, only within BACKFILL_DAYS, and it never turns an overdue verdict into an on-time one."""
import pytest

from core.audit import AuditEvent
from core.clocks.models import Clock
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.helpers import APPLICATION as FORM_APPLICATION
from tests.requests.helpers import DISCLOSED, GUIDANCE, date, noon

APPLICATION = {**FORM_APPLICATION, "publish_consent": True}  # the API takes JSON booleans

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "夜间施工噪声", "received_at": "2026-11-02T09:00:00+08:00"}


@pytest.fixture
def production_window(app):
    app.config["BACKFILL_DAYS"] = 30
    yield 30
    app.config["BACKFILL_DAYS"] = 3650


@pytest.fixture
def hotline(api_as, production_window):
    from hotline.seed import seed_categories
    seed_categories()
    op, staff = api_as("operator", login="op@x.cn"), api_as("staff", "sthjj", login="s@x.cn")
    tid = op.post("/tickets", CALL, now=at(2026, 11, 2, 9, 1)).get_json()["id"]
    r = op.post(f"/tickets/{tid}/dispatch", {"department": "sthjj", "at": "2026-11-02T09:30:00+08:00"},
                now=at(2026, 11, 2, 9, 31))
    assert r.status_code == 200, r.get_json()
    return op, staff, tid


def _sign_clock(tid):
    return Clock.query.filter_by(entity_kind="ticket", entity_id=str(tid), name="sign_for").one()


def test_an_action_cannot_happen_in_the_future(hotline):
    op, staff, tid = hotline
    r = staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T11:00:00+08:00"}, now=at(2026, 11, 2, 10))
    assert r.status_code == 400 and r.get_json()["fields"] == {"at": "时间不能晚于现在"}


def test_an_action_cannot_happen_before_the_previous_step(hotline):
    op, staff, tid = hotline
    for when in ("2020-01-01T00:00:00+08:00", "2026-11-02T09:29:00+08:00"):  # before the dispatch at 09:30
        r = staff.post(f"/tickets/{tid}/sign", {"at": when}, now=at(2026, 11, 2, 10))
        assert r.status_code == 400 and "不能早于上一步（2026-11-02 09:30）" in r.get_json()["fields"]["at"], when
    assert _sign_clock(tid).state == "running"


def test_a_late_entry_is_flagged_with_who_entered_it_and_when(hotline):
    op, staff, tid = hotline
    r = staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T10:00:00+08:00"}, now=at(2026, 11, 2, 15))
    assert r.status_code == 200
    row = AuditEvent.query.filter_by(entity_kind="ticket", entity_id=str(tid), action="sign").one()
    assert row.at == at(2026, 11, 2, 10) and row.entered_at == at(2026, 11, 2, 15)
    assert row.actor_label == "测试staff"  # who entered it: the token's user
    timeline = r.get_json()["timeline"]
    sign = [e for e in timeline if e["action"] == "sign"][0]
    assert sign["entered_at"] == "2026-11-02T07:00:00+00:00"
    live = AuditEvent.query.filter_by(entity_kind="ticket", entity_id=str(tid), action="dispatch").one()
    assert live.entered_at is None  # entered a minute after it happened: not a 补录


def test_a_late_entry_never_turns_an_overdue_verdict_into_an_on_time_one(hotline):
    op, staff, tid = hotline
    due = _sign_clock(tid).due_at
    # Signed (it is claimed) before the due moment, but entered after it: late, and it stays late.
    assert due == at(2026, 11, 2, 11, 30)
    r = staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T10:00:00+08:00"}, now=at(2026, 11, 2, 11, 45))
    assert r.status_code == 200
    clock = _sign_clock(tid)
    assert clock.stopped_at == at(2026, 11, 2, 10) and clock.stopped_at < due and clock.on_time is False
    assert [c["on_time"] for c in r.get_json()["clocks"] if c["name"] == "sign_for"] == [False]


def test_the_same_entry_in_time_is_on_time(hotline):
    op, staff, tid = hotline
    assert _sign_clock(tid).due_at == at(2026, 11, 2, 11, 30)  # two working hours after the dispatch
    r = staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T10:00:00+08:00"}, now=at(2026, 11, 2, 10, 20))
    assert [c["on_time"] for c in r.get_json()["clocks"] if c["name"] == "sign_for"] == [True]
    assert [e["entered_at"] for e in r.get_json()["timeline"] if e["action"] == "sign"] == ["2026-11-02T02:20:00+00:00"]


def test_backfill_only_within_the_configured_window(hotline, app):
    op, staff, tid = hotline
    r = staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T10:00:00+08:00"}, now=at(2026, 12, 3, 10))
    assert r.status_code == 400 and "超出补录期限" in r.get_json()["fields"]["at"]
    r = op.post("/tickets", {**CALL, "received_at": "2026-09-01T09:00:00+08:00"}, now=at(2026, 11, 2, 9))
    assert r.status_code == 400 and "超出补录期限" in r.get_json()["fields"]["received_at"]


# --- disclosure applications: actions are dated by day --------------------------------------------------

def _registered(api_as):
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "received_on": "2026-09-28", "department": "mzj"},
                   now=noon(date(2026, 9, 28)))
    assert r.status_code == 201, r.get_json()
    return staff, r.get_json()["id"]  # answer due 2026-10-30


def _answer(rid):
    return Clock.query.filter_by(entity_kind="disclosure_request", entity_id=str(rid), name="answer").one()


def test_a_reply_dated_inside_the_period_but_entered_weeks_after_it_is_late(api_as):
    staff, rid = _registered(api_as)
    r = staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                          "on": "2026-10-29", "paper_number": "亭民政依申复〔2026〕7号"},
                   now=noon(date(2026, 11, 20)))  # the 补录 of a paper letter (no 倒签: numbering.paper_number)
    assert r.status_code == 200, r.get_json()
    assert _answer(rid).on_time is False
    row = AuditEvent.query.filter_by(entity_kind="disclosure_request", entity_id=str(rid), action="reply").one()
    assert row.entered_at == noon(date(2026, 11, 20))  # flagged 补录


def test_a_reply_entered_in_time_is_on_time(api_as):
    staff, rid = _registered(api_as)
    staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                   "on": "2026-10-29", "paper_number": "亭民政依申复〔2026〕7号"},
               now=noon(date(2026, 10, 30)))
    assert _answer(rid).on_time is True


def test_a_reply_signed_off_after_the_period_is_late_whatever_its_date(app, api_as):
    from core.departments.models import Department
    from core.extensions import db
    Department.query.filter_by(code="mzj").one().requires_signoff = True
    db.session.commit()
    staff, rid = _registered(api_as)
    approver = api_as("approver", "mzj", login="head@x.cn")
    r = staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                          "on": "2026-10-29"}, now=noon(date(2026, 10, 29)))
    assert r.get_json()["status"] == "awaiting_signoff"
    # the sign-off is dated the day it is made: a day sent along is refused, not silently dropped
    r = approver.post(f"/disclosure-requests/{rid}/sign-off", {"approve": True, "on": "2026-10-29"},
                      now=noon(date(2026, 11, 5)))
    assert r.status_code == 400 and "on" in r.get_json()["fields"]
    r = approver.post(f"/disclosure-requests/{rid}/sign-off", {"approve": True}, now=noon(date(2026, 11, 5)))
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    assert _answer(rid).on_time is False


def test_no_pause_or_extension_entered_after_the_period_ran_out(api_as):
    staff, rid = _registered(api_as)
    approver = api_as("approver", "mzj", login="head@x.cn")
    r = approver.post(f"/disclosure-requests/{rid}/extension", {"days": 10, "reason": "档案调取", "on": "2026-10-20"},
                      now=noon(date(2026, 11, 3)))
    assert r.status_code == 409 and "届满" in r.get_json()["message"]
    r = staff.post(f"/disclosure-requests/{rid}/fee-notice", {"method": "pages", "quantity": 33, "on": "2026-11-03"},
                   now=noon(date(2026, 11, 3)))
    assert r.status_code == 409 and "届满" in r.get_json()["message"]
    assert _answer(rid).due_on == date(2026, 10, 30)


def test_a_date_before_the_previous_step_is_refused(api_as):
    staff, rid = _registered(api_as)
    r = staff.post(f"/disclosure-requests/{rid}/consultations", {"kind": "organ", "party": "市民政局",
                                                                 "on": "2026-10-12"}, now=noon(date(2026, 10, 12)))
    cid = r.get_json()["consultations"][0]["id"]
    staff.post(f"/disclosure-requests/{rid}/consultations/{cid}/answer", {"answer": "agreed", "opinion": "同意", "on": "2026-10-13"},
               now=noon(date(2026, 10, 13)))
    r = staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                          "on": "2026-10-12"}, now=noon(date(2026, 10, 14)))
    assert r.status_code == 400 and r.get_json()["fields"] == {"on": "日期不能早于上一步（2026年10月13日）"}


def test_the_handling_page_applies_the_same_rule(app, seeded):
    """The page posts a date too: the same refusal, shown to the user, and nothing changes."""
    from tests.requests.helpers import received
    req = received(date(2026, 9, 28))
    make_user("staff", "p@x.cn", department="mzj")
    client = app.test_client()
    login(client, "p@x.cn")
    token = csrf_from(client.get("/requests/staff/").get_data(as_text=True))
    with pinned(app, noon(date(2026, 10, 10))):
        r = client.post(f"/requests/staff/{req.id}/reply", data={"csrf_token": token, "outcome": "disclosed", **DISCLOSED,
                                                                 "text": "予以公开。", "on": "2026-10-11"},
                        follow_redirects=True)
    assert "日期不能晚于今天" in r.get_data(as_text=True)
    assert _answer(req.id).state == "running"


def test_dashboards_never_show_negative_durations(app, seeded):
    """Rows written before the rule (a reply stamped before the receipt) count as zero, not below."""
    from core.extensions import db
    from hotline import intake
    from hotline.models import Ticket
    from hotline.seed import seed_categories
    from reports.hotline_measures import measures
    seed_categories()
    t = intake.create_ticket({**CALL}, channel="phone", received_at=at(2026, 11, 2, 9), now=at(2026, 11, 2, 9),
                             actor="op")
    db.session.execute(db.update(Ticket).where(Ticket.id == t.id).values(replied_at=at(2020, 1, 1),
                                                                        reply_text="x"))
    db.session.commit()
    m = measures(date(2026, 11, 1), date(2026, 11, 30), now=at(2026, 11, 29))
    assert m.avg_handling_hours == 0


# --- what a legal review of the rule asked for (issue 14) ------------------------------------------------

def test_steps_that_pause_the_period_are_entered_on_their_day(api_as):
    """A correction notice, consultation or fee notice dated before its entry would decide how long the organ
    had (and a back-dated correction notice could close the case as 视为放弃 at once): refused."""
    staff, rid = _registered(api_as)
    for path, body in [("correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-09-30"}),
                       ("consultations", {"kind": "organ", "party": "市民政局", "on": "2026-09-30"}),
                       ("fee-notice", {"method": "pages", "quantity": 33, "on": "2026-09-30"})]:
        r = staff.post(f"/disclosure-requests/{rid}/{path}", body, now=noon(date(2026, 10, 9)))
        assert r.status_code == 400, path
        assert "须为登记当日（2026年10月9日）" in "".join(r.get_json()["fields"].values()), path
    r = staff.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-10-09"},
                   now=noon(date(2026, 10, 9)))
    assert r.status_code == 200


def test_parallel_consultations_are_separate_threads(api_as):
    staff, rid = _registered(api_as)
    first = staff.post(f"/disclosure-requests/{rid}/consultations", {"kind": "organ", "party": "市民政局",
                                                                      "on": "2026-09-29"}, now=noon(date(2026, 9, 29)))
    staff.post(f"/disclosure-requests/{rid}/consultations", {"kind": "third_party", "party": "某公司", "party_type": "org",
                                                             "on": "2026-09-30"}, now=noon(date(2026, 9, 30)))
    cid = first.get_json()["consultations"][0]["id"]
    r = staff.post(f"/disclosure-requests/{rid}/consultations/{cid}/answer", {"answer": "agreed", "opinion": "同意", "on": "2026-09-29"},
                   now=noon(date(2026, 10, 9)))
    assert r.status_code == 200, r.get_json()  # after its own consultation, though before the other one


def test_no_reply_while_a_consultation_is_unanswered(api_as):
    staff, rid = _registered(api_as)
    staff.post(f"/disclosure-requests/{rid}/consultations", {"kind": "third_party", "party": "某公司", "party_type": "org",
                                                             "on": "2026-09-29"}, now=noon(date(2026, 9, 29)))
    r = staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。",
                                                          "on": "2026-10-09"}, now=noon(date(2026, 10, 9)))
    assert r.status_code == 409 and "征求意见未登记答复" in r.get_json()["message"]


def test_the_applicants_own_period_is_judged_by_when_they_acted(api_as):
    """A correction handed in on time but entered late by the clerk does not make the applicant late."""
    staff, rid = _registered(api_as)
    r = staff.post(f"/disclosure-requests/{rid}/correction-notice", {"guidance": GUIDANCE, "items": "请写明年份", "on": "2026-09-29"},
                   now=noon(date(2026, 9, 29)))
    notice = r.get_json()["documents"][-1]
    staff.post(f"/disclosure-requests/{rid}/documents/{notice['id']}/delivery",
               {"method": "sms", "delivered_on": "2026-09-29"}, now=noon(date(2026, 9, 29)))
    correction = Clock.query.filter_by(entity_kind="disclosure_request", entity_id=str(rid), name="correction").one()
    assert correction.due_on < date(2026, 10, 20)
    r = staff.post(f"/disclosure-requests/{rid}/correction", {"text": "2025 年", "on": str(correction.due_on)},
                   now=noon(date(2026, 10, 20)))
    assert r.status_code == 200 and correction.on_time is True


def test_a_paper_application_registered_days_after_it_arrived_is_flagged(api_as):
    staff = api_as("staff", "mzj")
    r = staff.post("/disclosure-requests", {**APPLICATION, "received_on": "2026-09-28", "department": "mzj"},
                   now=noon(date(2026, 10, 5)))
    assert r.status_code == 201
    assert {e["action"]: e["entered_at"] for e in r.get_json()["timeline"]}["submitted"] == "2026-10-05T04:00:00+00:00"


def test_a_signed_off_reply_bears_the_day_it_was_signed(app, api_as):
    from core.departments.models import Department
    from core.extensions import db
    from requests_module.models import DisclosureRequest
    Department.query.filter_by(code="mzj").one().requires_signoff = True
    db.session.commit()
    staff, rid = _registered(api_as)
    approver = api_as("approver", "mzj", login="head@x.cn")
    staff.post(f"/disclosure-requests/{rid}/reply", {"outcome": "disclosed", **DISCLOSED, "text": "予以公开。", "on": "2026-10-20"},
               now=noon(date(2026, 10, 20)))
    approver.post(f"/disclosure-requests/{rid}/sign-off", {"approve": True}, now=noon(date(2026, 10, 22)))
    req = db.session.get(DisclosureRequest, rid)
    assert req.replied_on == date(2026, 10, 22) and req.reply_doc_number.startswith("亭民政依申复〔2026〕")
    assert _answer(rid).on_time is True


def test_a_back_dated_step_does_not_leave_the_next_party_overdue_before_it_could_know(hotline):
    """The department replies 'at' a past moment, entered days later: the callback desk's period starts at
    the entry, not at the claimed time (and the department's own verdict is judged as always)."""
    op, staff, tid = hotline
    staff.post(f"/tickets/{tid}/sign", {"at": "2026-11-02T10:00:00+08:00"}, now=at(2026, 11, 2, 10, 1))
    r = staff.post(f"/tickets/{tid}/reply", {"text": "已处理", "at": "2026-11-03T10:00:00+08:00"},
                   now=at(2026, 11, 9, 10))
    assert r.status_code == 200, r.get_json()
    callback = Clock.query.filter_by(entity_kind="ticket", entity_id=str(tid), name="callback").one()
    assert callback.started_at == at(2026, 11, 9, 10) and callback.due_at > at(2026, 11, 9, 10)
