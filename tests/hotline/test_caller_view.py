"""The caller's view of a 12345 ticket (issue 16, item 7): a merged duplicate shows the master's progress
and its reply — published after review or masked, never raw; a request without a phone says so before
and after submitting and can be closed by the desk without fake attempts; the status page's timeline
holds only citizen-safe steps. Both databases, explicit times."""
import pytest

from core.departments.models import Department
from core.extensions import db
from core.formats import local_datetime as local_dt
from hotline import callback, extensions, handling, intake, reply
from hotline.common import clock
from hotline.models import CallbackAttempt, Ticket
from public_log import review
from public_log.models import PublicRecord
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.test_status_lookup import code_from

MASTER_NAME, MASTER_PHONE = "欧阳明远", "13912345678"
MASTER_CONTENT = f"我是{MASTER_NAME}，住幸福小区 3 栋，工地每晚施工到两点"
MASTER_REPLY = f"{MASTER_NAME}先生：经核查，施工单位已停止夜间施工。如再发生请致电 {MASTER_PHONE} 联系您的网格员。"


def _ticket(day, hour=9, **changes):
    data = {"type": "complaint", "category_code": "030101", "caller_phone": MASTER_PHONE, "caller_name": MASTER_NAME,
            "content": MASTER_CONTENT, "address": "亭湖区幸福路 8 号", **changes}
    return intake.create_ticket(data, channel="phone", received_at=at(2026, 11, day, hour),
                                now=at(2026, 11, day, hour), actor="op")


def _dep(code="sthjj"):
    return Department.query.filter_by(code=code).one()


def _open(client, t, code=None):
    """Follow the ticket as its caller does: number + access code."""
    token = csrf_from(client.get("/hotline/new").get_data(as_text=True))
    client.post("/hotline/lookup", data={"number": t.number, "code": code or t.access_code, "csrf_token": token})
    resp = client.get(f"/hotline/my/{t.id}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _reply(t, day, text=MASTER_REPLY):
    intake.dispatch(t, _dep(), now=at(2026, 11, day, 9, 30), actor="op")
    handling.sign(t, now=at(2026, 11, day, 10), actor="s")
    reply.reply(t, text=text, now=at(2026, 11, day, 15), actor=make_user("staff", f"s{t.id}@x.cn",
                                                                           department="sthjj"))


@pytest.fixture
def merged(hot):
    master = _ticket(16)
    dup = _ticket(16, 10, caller_phone="13800007777", caller_name="赵六", content="幸福路工地夜间施工噪声")
    intake.dispatch(master, _dep(), now=at(2026, 11, 16, 9, 30), actor="op")
    callback.merge(master, [dup], now=at(2026, 11, 16, 11), actor=make_user("operator", "op@x.cn"))
    return master, dup


def test_a_merged_callers_page_follows_the_master_and_never_says_plainly_closed(client, merged):
    master, dup = merged
    page = _open(client, dup)
    assert f"已并入 {master.number} 办理" in page and ">已办结<" not in page
    assert "2026-11-16 11:00" in page  # when it was merged
    assert "待签收" in page  # the master's progress
    due = clock(master, "handling").due_at
    assert f"{local_dt(due)} 前答复" in page and "尚未答复" in page
    assert MASTER_NAME not in page and MASTER_PHONE not in page and "幸福小区 3 栋" not in page
    assert f"与工单 {master.number} 为同一事项，并入该工单办理" in page  # its own timeline


def test_the_masters_reply_reaches_the_merged_caller_masked_then_as_published(client, merged):
    master, dup = merged
    handling.sign(master, now=at(2026, 11, 16, 10), actor="s")
    reply.reply(master, text=MASTER_REPLY, now=at(2026, 11, 17, 15),
                   actor=make_user("staff", "s@x.cn", department="sthjj"))
    page = _open(client, dup)
    assert "施工单位已停止夜间施工" in page and 'data-reply-source="masked"' in page
    assert "尚未经人工审查" in page
    assert MASTER_NAME not in page and MASTER_PHONE not in page  # masked, not raw
    assert "待回访" in page and "前答复" not in page  # answered: no expected date

    record = PublicRecord.query.filter_by(kind="hotline", source_id=master.id).one()
    review.approve_publication(record, now=at(2026, 11, 18, 9), actor=make_user("supervisor", "sup@x.cn"), confirmed=True,
                   reply_text="经核查，施工单位已停止夜间施工，已对其立案调查。")
    page = client.get(f"/hotline/my/{dup.id}").get_data(as_text=True)
    assert "已对其立案调查" in page and 'data-reply-source="published"' in page and "经保密审查" in page
    assert MASTER_NAME not in page and MASTER_PHONE not in page


def test_a_confidential_master_is_masked_too(client, hot):
    master = _ticket(16, confidential="y")
    dup = _ticket(16, 10, caller_phone="13800007777", caller_name="赵六", content="幸福路工地噪声")
    callback.merge(master, [dup], now=at(2026, 11, 16, 11), actor=make_user("operator", "op@x.cn"))
    _reply(master, 17)
    assert PublicRecord.query.count() == 0  # 保密: never published
    page = _open(client, dup)
    assert "施工单位已停止夜间施工" in page and 'data-reply-source="masked"' in page
    assert MASTER_NAME not in page and MASTER_PHONE not in page


def _submit(client, now, **changes):
    page = client.get("/hotline/new").get_data(as_text=True)
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "csrf_token": csrf_from(page),
            **changes}
    with pinned(client.application, now):
        resp = client.post("/hotline/new", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return client.get(resp.headers["Location"]).get_data(as_text=True)


def test_the_form_and_the_receipt_say_what_leaving_no_phone_means(app, client, hot):
    form = client.get("/hotline/new").get_data(as_text=True)
    assert "不填手机号意味着" in form and "不会有电话回访" in form and "无法重新获取" in form

    receipt = _submit(client, at(2026, 11, 16, 9))
    assert "您没有填写手机号：不会收到短信，也无法电话回访" in receipt and "查询码遗失后无法重新获取" in receipt
    assert "查询码已同时发送到您填写的手机" not in receipt and "尾号" not in receipt
    assert "本诉求没有留联系电话" in receipt
    assert code_from(receipt)

    other = app.test_client()
    receipt = _submit(other, at(2026, 11, 16, 9, 5), caller_phone="13800003333")
    assert "以短信发送到尾号 3333 的手机" in receipt and "查询码已同时发送到您填写的手机" in receipt
    assert "本诉求没有留联系电话" not in receipt

    citizen = app.test_client()
    make_user("citizen", "c@x.cn")
    assert login(citizen, "c@x.cn").status_code == 302
    assert "您已登录" in citizen.get("/hotline/new").get_data(as_text=True)
    receipt = _submit(citizen, at(2026, 11, 16, 9, 10))
    assert "登录后可在“我的诉求”中查看" in receipt and "不会有电话回访" in receipt


def _no_phone_answered():
    t = intake.create_ticket({"type": "help", "category_code": "020201", "content": "想了解低保申请条件"},
                             channel="web", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="公众")
    intake.dispatch(t, _dep("mzj"), now=at(2026, 11, 16, 9, 30), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 10), actor="s")
    reply.reply(t, text="低保申请条件如下……", now=at(2026, 11, 16, 15), actor="s")
    return t


def test_the_desk_sees_no_phone_and_closes_after_the_callback_period_through_the_page(app, client, hot):
    t = _no_phone_answered()
    due = clock(t, "callback").due_at
    desk = app.test_client()
    make_user("operator", "op@x.cn")
    login(desk, "op@x.cn")
    queue = desk.get("/hotline/callbacks").get_data(as_text=True)
    assert t.number in queue and "无联系电话" in queue
    page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "无联系电话" in page and "按无联系电话办结" in page

    with pinned(app, at(2026, 11, 17, 9)):  # the caller may still rate online
        early = desk.post(f"/hotline/tickets/{t.id}/close_no_contact", data={"csrf_token": csrf_from(page)})
    db.session.remove()
    assert db.session.get(Ticket, t.id).status == "replied"
    assert early.status_code == 400 and "届满后" in early.get_data(as_text=True)  # the page again, with why

    with pinned(app, due):
        resp = desk.post(f"/hotline/tickets/{t.id}/close_no_contact", data={"csrf_token": csrf_from(page),
                                                                           "note": "很" * 600})
    assert resp.status_code == 400
    db.session.remove()
    assert db.session.get(Ticket, t.id).status == "replied"  # too long: refused with a message, no 500
    refused = resp.get_data(as_text=True)
    assert "不能超过 500 字" in refused and "很" * 600 in refused  # and the typed note comes back (kept_form.js)

    with pinned(app, due):
        resp = desk.post(f"/hotline/tickets/{t.id}/close_no_contact", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    db.session.remove()
    t = db.session.get(Ticket, t.id)
    assert t.status == "closed" and t.close_reason == "no_contact" and CallbackAttempt.query.count() == 0
    assert "已按无联系电话办结" in desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "队列为空" in desk.get("/hotline/callbacks").get_data(as_text=True)
    staff = app.test_client()
    make_user("staff", "mz@x.cn", department="mzj")
    login(staff, "mz@x.cn")
    page = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "无联系电话" in page and 'action="/hotline/tickets/%d/close_no_contact"' % t.id not in page


def test_closing_without_a_phone_through_the_api_same_rule(app, api_as, hot):
    t = _no_phone_answered()
    due = clock(t, "callback").due_at
    staff = api_as("staff", "mzj")
    assert staff.post(f"/tickets/{t.id}/close-no-contact", {}, now=due).status_code == 403
    desk = api_as("operator")
    early = desk.post(f"/tickets/{t.id}/close-no-contact", {}, now=at(2026, 11, 17, 9))
    assert early.status_code == 409 and "届满后" in early.get_json()["message"]
    assert desk.post(f"/tickets/{t.id}/close-no-contact", {"note": 12}, now=due).status_code == 400
    assert desk.post(f"/tickets/{t.id}/close-no-contact", {"note": "a\x00b"}, now=due).status_code == 400
    done = desk.post(f"/tickets/{t.id}/close-no-contact", {"note": "未在线评价"}, now=due)
    assert done.status_code == 200 and done.get_json()["close_reason"] == "no_contact"

    with_phone = _ticket(16)
    _reply(with_phone, 16)
    refused = desk.post(f"/tickets/{with_phone.id}/close-no-contact", {}, now=at(2026, 11, 30, 9))
    assert refused.status_code == 409 and "留有联系电话" in refused.get_json()["message"]


def test_the_caller_can_still_rate_online_without_a_phone(client, hot):
    t = _no_phone_answered()
    page = _open(client, t)
    assert "请评价本次办理" in page and "本诉求没有留联系电话" in page
    with pinned(client.application, at(2026, 11, 17, 9)):
        client.post(f"/hotline/my/{t.id}/rate", data={"resolved": "1", "satisfaction": "satisfied",
                                                      "csrf_token": csrf_from(page)})
    db.session.remove()
    assert db.session.get(Ticket, t.id).close_reason == "callback"


def test_the_timeline_shows_citizen_safe_steps_only(client, hot):
    t = _ticket(16)
    page = _open(client, t)
    dispatch_due = clock(t, "dispatch").due_at
    assert f"{local_dt(dispatch_due)} 前派单" in page and "亭湖区幸福路 8 号" in page

    staff = make_user("staff", "s@x.cn", department="sthjj")
    supervisor = make_user("supervisor", "sup@x.cn")
    intake.dispatch(t, _dep(), now=at(2026, 11, 16, 9, 30), actor=make_user("operator", "op@x.cn"),
                    note="内部派单备注")
    handling.sign(t, now=at(2026, 11, 16, 10), actor=staff)
    extensions.request_extension(t, hours=8, reason="需现场夜查取证", now=at(2026, 11, 17, 9), actor=staff)
    extensions.decide_extension(t, approve=True, note="同意延期备注", now=at(2026, 11, 17, 10), actor=supervisor)
    extended = clock(t, "handling").due_at
    handling.urge(t, kind="remind", note="内部催办备注", now=at(2026, 11, 18, 9), actor=supervisor)
    page = client.get(f"/hotline/my/{t.id}").get_data(as_text=True)
    assert f"{local_dt(extended)} 前答复" in page

    reply.reply(t, text="已责令停工", now=at(2026, 11, 19, 15), actor=staff)
    callback.record_callback(t, reached=False, now=at(2026, 11, 20, 9), actor=make_user("operator", "op2@x.cn"))
    callback.record_callback(t, reached=True, satisfaction="unsatisfied", resolved=False, comment="仍有噪声",
                             now=at(2026, 11, 20, 10), actor="op")
    callback.review(t, reopen=True, reason="研判理由：确未解决", now=at(2026, 11, 20, 11), actor=supervisor)
    page = client.get(f"/hotline/my/{t.id}").get_data(as_text=True)
    for shown in ("2026-11-16 09:00", "受理", "派单至生态环境局", "签收", f"经批准延期至 {local_dt(extended)}",
                  "2026-11-19 15:00", "答复", "回访电话未接通", "回访评价：不满意", "重办", "已安排重新办理"):
        assert shown in page, shown
    for hidden in ("测试staff", "测试supervisor", "测试operator", "内部派单备注", "需现场夜查取证", "同意延期备注",
                   "内部催办备注", "催办", "研判理由", "仍有噪声"):
        assert hidden not in page, hidden

    intake.dispatch(t, _dep(), now=at(2026, 11, 20, 14), actor="op")
    handling.sign(t, now=at(2026, 11, 20, 15), actor=staff)
    reply.reply(t, text="已再次核查并停工", now=at(2026, 11, 23, 15), actor=staff)
    callback.record_callback(t, reached=True, satisfaction="basic", resolved=True, now=at(2026, 11, 24, 9), actor="op")
    page = client.get(f"/hotline/my/{t.id}").get_data(as_text=True)
    assert "回访评价：基本满意" in page and "回访后办结" in page and "预计" not in page
