"""延期 (issue 16 item 4): asked for and approved before the handling clock expires — also against a
back-dated API `at` — the caller told the new date by SMS and the audit keeping it; page and API."""
import json

import pytest

from core.audit import history
from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.workflow import TransitionError
from hotline import extensions, handling, intake, reply
from hotline.common import clock
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "inquiry", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def signed(**changes):
    """An inquiry dispatched 2026-11-16 09:00 to 生态环境局, signed 09:30: handling due 11-19 09:00."""
    t = intake.create_ticket({**CALL, **changes}, channel="phone", received_at=at(2026, 11, 16, 9),
                             now=at(2026, 11, 16, 9), actor="op")
    intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=at(2026, 11, 16, 9), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 30), actor="s")
    assert clock(t, "handling").due_at == at(2026, 11, 19, 9, 0)  # 3 working days
    return t


def test_approved_before_expiry_moves_the_due_date_and_tells_the_caller(hot):
    sup = make_user("supervisor", "sup@x.cn")
    t = signed()
    extensions.request_extension(t, hours=15, reason="需现场核查", now=at(2026, 11, 17, 9), actor="s")
    with pytest.raises(DomainError, match="督办"):
        extensions.decide_extension(t, approve=True, now=at(2026, 11, 17, 10), actor=make_user("staff", "s@x.cn",
                                                                                                department="sthjj"))
    extensions.decide_extension(t, approve=True, now=at(2026, 11, 18, 17, 0), actor=sup)
    assert clock(t, "handling").due_at == at(2026, 11, 23, 9, 0)  # + 2 working days
    assert t.extension_used and t.extension_request_hours is None
    sms = Notification.query.filter_by(event="ticket_extended").one()
    assert (sms.channel, sms.address) == ("sms", "13800001111") and "2026-11-23 09:00" in sms.body
    approved = [e for e in history("ticket", t.id) if e.action == "extension_approved"][0]
    assert json.loads(approved.after)["due_at"] == at(2026, 11, 23, 9).isoformat()


def test_no_sms_without_a_phone(hot):
    t = signed(caller_phone="")
    extensions.request_extension(t, hours=7.5, reason="需现场核查", now=at(2026, 11, 17, 9), actor="s")
    extensions.decide_extension(t, approve=True, now=at(2026, 11, 17, 10), actor=make_user("supervisor", "sup@x.cn"))
    assert clock(t, "handling").due_at == at(2026, 11, 20, 9, 0)
    assert Notification.query.filter_by(event="ticket_extended").count() == 0


def test_request_after_expiry_is_refused(hot):
    t = signed()
    with pytest.raises(TransitionError, match="办理期限已于 2026-11-19 09:00 届满，不能再申请延期"):
        extensions.request_extension(t, hours=15, reason="需现场核查", now=at(2026, 11, 19, 9, 1), actor="s")
    with pytest.raises(ValidationError, match="应为文字"):
        extensions.request_extension(t, hours=15, reason=["x"], now=at(2026, 11, 18, 9), actor="s")
    assert t.extension_request_hours is None


def test_a_request_pending_at_expiry_can_no_longer_be_approved(hot):
    sup = make_user("supervisor", "sup@x.cn")
    t = signed()
    extensions.request_extension(t, hours=15, reason="需现场核查", now=at(2026, 11, 18, 16), actor="s")
    with pytest.raises(TransitionError, match="延期申请未在期限内获批准，已不能批准"):
        extensions.decide_extension(t, approve=True, now=at(2026, 11, 19, 9, 30), actor=sup)
    assert clock(t, "handling").due_at == at(2026, 11, 19, 9, 0) and not t.extension_used
    extensions.decide_extension(t, approve=False, note="已超期", now=at(2026, 11, 19, 9, 30), actor=sup)
    assert t.extension_request_hours is None
    reply.reply(t, text="已处理", now=at(2026, 11, 19, 10), actor="s")
    assert clock(t, "handling").on_time is False  # the late reply stays late


def test_back_dated_api_entries_do_not_dodge_expiry(api):
    staff = api("staff", "sthjj", login="s@x.cn")
    sup = api("supervisor", login="sup@x.cn")
    tid = signed().id
    # done "at 11-18 16:00" but entered the next morning after the due moment: refused
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": "需现场核查",
                                                         "at": "2026-11-18T16:00:00+08:00"}, now=at(2026, 11, 19, 10))
    assert r.status_code == 409 and "不能再申请延期" in r.get_json()["message"]
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": "需现场核查",
                                                         "at": "2026-11-18T16:00:00+08:00"}, now=at(2026, 11, 18, 16, 1))
    assert r.status_code == 200 and r.get_json()["extension_request_hours"] == 15
    r = sup.post(f"/tickets/{tid}/extension-decision", {"approve": True, "at": "2026-11-18T17:00:00+08:00"},
                 now=at(2026, 11, 19, 10))
    assert r.status_code == 409 and "已不能批准" in r.get_json()["message"]
    assert r.get_json() is not None and db.session.get(Ticket, tid).extension_used is False


def test_approval_through_the_api(api):
    staff = api("staff", "sthjj", login="s@x.cn")
    sup = api("supervisor", login="sup@x.cn")
    tid = signed().id
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": "15", "reason": "需现场核查"}, now=at(2026, 11, 17, 9))
    assert r.status_code == 400 and "hours" in r.get_json()["fields"]
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": 7}, now=at(2026, 11, 17, 9))
    assert r.status_code == 400 and "reason" in r.get_json()["fields"]
    staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": "需现场核查"}, now=at(2026, 11, 17, 9))
    assert staff.post(f"/tickets/{tid}/extension-decision", {"approve": True},
                      now=at(2026, 11, 17, 10)).status_code == 403
    r = sup.post(f"/tickets/{tid}/extension-decision", {"approve": True, "note": {"x": 1}}, now=at(2026, 11, 17, 10))
    assert r.status_code == 400 and "note" in r.get_json()["fields"]
    r = sup.post(f"/tickets/{tid}/extension-decision", {"approve": True}, now=at(2026, 11, 17, 10))
    assert r.status_code == 200 and r.get_json()["due_at"] == "2026-11-23T01:00:00+00:00"  # 09:00 Shanghai
    assert Notification.query.filter_by(event="ticket_extended", address="13800001111").count() == 1


def test_pages(app, client, hot):
    make_user("staff", "s@x.cn", department="sthjj")
    make_user("supervisor", "sup@x.cn")
    first, second, third = signed(), signed(), signed()
    login(client, "s@x.cn")
    with pinned(app, at(2026, 11, 17, 9)):
        for t in (first, second):
            page = client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
            assert "申请延期（最多 10 个工作日 = 75 工作小时）" in page  # sla.MAX_EXTENSION_WORKDAYS / _HOURS
            client.post(f"/hotline/tickets/{t.id}/extension_request",
                        data={"hours": "15", "reason": "需现场核查", "csrf_token": csrf_from(page)})
    with pinned(app, at(2026, 11, 19, 9, 30)):  # the third asks too late
        page = client.get(f"/hotline/tickets/{third.id}").get_data(as_text=True)
        r = client.post(f"/hotline/tickets/{third.id}/extension_request",
                        data={"hours": "15", "reason": "x", "csrf_token": csrf_from(page)}, follow_redirects=True)
        assert "办理期限已于 2026-11-19 09:00 届满，不能再申请延期" in r.get_data(as_text=True)
    sup = app.test_client()
    login(sup, "sup@x.cn")
    with pinned(app, at(2026, 11, 18, 10)):
        page = sup.get(f"/hotline/tickets/{first.id}").get_data(as_text=True)
        sup.post(f"/hotline/tickets/{first.id}/extension_decision", data={"approve": "1", "csrf_token": csrf_from(page)})
    with pinned(app, at(2026, 11, 19, 9, 30)):
        page = sup.get(f"/hotline/tickets/{second.id}").get_data(as_text=True)
        r = sup.post(f"/hotline/tickets/{second.id}/extension_decision",
                     data={"approve": "1", "csrf_token": csrf_from(page)}, follow_redirects=True)
        assert "延期申请未在期限内获批准，已不能批准" in r.get_data(as_text=True)
    db.session.remove()
    assert clock(db.session.get(Ticket, first.id), "handling").due_at == at(2026, 11, 23, 9, 0)
    assert clock(db.session.get(Ticket, second.id), "handling").due_at == at(2026, 11, 19, 9, 0)
    assert db.session.get(Ticket, third.id).extension_request_hours is None


def test_no_grace_at_expiry_for_a_minutes_back_dated_entry(api):
    """The due moment is 11-19 09:00. Entered at 09:02 with `at` 08:59 — inside the 10-minute grace of a live
    entry, but after expiry — the request and the approval are both refused (core.action_time.entered)."""
    staff = api("staff", "sthjj", login="s@x.cn")
    sup = api("supervisor", login="sup@x.cn")
    tid = signed().id
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": "需现场核查",
                                                         "at": "2026-11-19T08:59:00+08:00"}, now=at(2026, 11, 19, 9, 2))
    assert r.status_code == 409
    r = staff.post(f"/tickets/{tid}/extension-request", {"hours": 15, "reason": "需现场核查"},
                   now=at(2026, 11, 19, 8, 50))
    assert r.status_code == 200
    r = sup.post(f"/tickets/{tid}/extension-decision", {"approve": True, "at": "2026-11-19T08:59:00+08:00"},
                 now=at(2026, 11, 19, 9, 2))
    assert r.status_code == 409 and db.session.get(Ticket, tid).extension_used is False
