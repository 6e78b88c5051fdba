"""Notifications of the hotline that lead somewhere (issue 18 items 12, 14): the caller told of 受理 and of the
department's period by SMS (and in-app with an account), every 不满意 callback to the supervisors, and every
in-app entry linking to the page where its recipient sees the ticket — the page applies its own access rule."""

from core.departments.models import Department
from hotline import callback, handling, intake, reply
from hotline.common import clock
from tests.conftest import at, login, make_user
from tests.notice_helpers import assert_other_department_refused, links, rows

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}



def dep(code):
    return Department.query.filter_by(code=code).one()


def web_ticket(citizen=None, **changes):
    received = at(2026, 11, 16, 11, 0)  # Monday
    return intake.create_ticket({**CALL, **changes}, channel="web", received_at=received, now=received,
                                actor=citizen or "公众", citizen=citizen)


def test_caller_is_told_of_acceptance_and_of_the_departments_period(hot):
    citizen = make_user("citizen", "c@x.cn")
    t = web_ticket(citizen)
    sms, = rows("ticket_accepted", channel="sms")
    assert sms.address == "13800001111" and sms.entity_kind == "ticket" and sms.entity_id == str(t.id)
    assert clock(t, "dispatch").due_at == at(2026, 11, 16, 14, 30)
    assert sms.subject == f"【12345】您的诉求 {t.number} 已受理"
    assert "将于2026年11月16日 14:30前派至承办单位办理或直接答复" in sms.body and "。。" not in sms.body
    assert rows("ticket_accepted", channel="inapp")[0].user_id == citizen.id

    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 11, 30), actor="op")
    sms, = rows("ticket_dispatched", channel="sms")
    assert clock(t, "handling").due_at == at(2026, 11, 30, 11, 30)  # a complaint: 10 working days
    assert "已交由" in sms.body and "办理期限：2026年11月30日 11:30" in sms.body and "。。" not in sms.body
    assert rows("ticket_dispatched", channel="inapp")[0].user_id == citizen.id


def test_no_phone_no_account_no_notice(hot):
    t = web_ticket(None, caller_phone="")
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 11, 30), actor="op")
    assert rows("ticket_accepted") == [] and rows("ticket_dispatched") == []


def test_citizen_link_leads_to_their_status_page_only(app, client, hot):
    owner = make_user("citizen", "owner@x.cn")
    t = web_ticket(owner)
    login(client, "owner@x.cn")
    assert links(client.get("/notifications/").get_data(as_text=True)) == [f"/hotline/my/{t.id}"]
    page = client.get(f"/hotline/my/{t.id}")
    assert page.status_code == 200 and t.number in page.get_data(as_text=True)
    make_user("citizen", "other@x.cn")
    other = app.test_client()
    login(other, "other@x.cn")
    assert links(other.get("/notifications/").get_data(as_text=True)) == []
    assert other.get(f"/hotline/my/{t.id}").status_code == 404


def _unsatisfied(resolved=False):
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = web_ticket(None)
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 11, 30), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 13, 40), actor=staff)
    reply.reply(t, text="已责令工地停止夜间施工。", now=at(2026, 11, 18, 15, 0), actor=staff)
    callback.record_callback(t, reached=True, resolved=resolved, satisfaction="unsatisfied", comment="仍有噪声",
                             now=at(2026, 11, 19, 9), actor="op")
    return t


def test_every_unsatisfied_callback_tells_the_supervisors_with_a_link(app, client, hot):
    sup1, sup2 = make_user("supervisor", "sup1@x.cn"), make_user("supervisor", "sup2@x.cn")
    make_user("operator", "op@x.cn")
    t = _unsatisfied()
    told = rows("callback_unsatisfied")
    assert [n.user_id for n in told] == [sup1.id, sup2.id] and {n.channel for n in told} == {"inapp"}
    assert told[0].subject == f"【不满意】{t.number} 回访不满意，请研判"
    assert f"工单 {t.number}（承办：{dep('sthjj').name}）回访结果为不满意（问题未解决）" in told[0].body
    assert "。。" not in told[0].body
    login(client, "sup1@x.cn")
    assert links(client.get("/notifications/").get_data(as_text=True)) == [f"/hotline/tickets/{t.id}"]
    assert client.get(f"/hotline/tickets/{t.id}").status_code == 200
    # a department that does not handle it cannot open the ticket through the same URL
    assert_other_department_refused(app, f"/hotline/tickets/{t.id}", "mzj")


def test_satisfied_callback_tells_nobody(hot):
    make_user("supervisor", "sup@x.cn")
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = web_ticket(None)
    intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 11, 30), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 13, 40), actor=staff)
    reply.reply(t, text="已处理。", now=at(2026, 11, 18, 15, 0), actor=staff)
    callback.record_callback(t, reached=True, resolved=True, satisfaction="basic", now=at(2026, 11, 19, 9), actor="op")
    assert rows("callback_unsatisfied") == []


def test_direct_close_unsatisfied_names_the_centre(hot):
    make_user("supervisor", "sup@x.cn")
    t = web_ticket(None)
    intake.direct_close(t, answer="噪声投诉请向生态环境局反映。", now=at(2026, 11, 16, 11, 5), actor="op")
    callback.record_callback(t, reached=True, resolved=None, satisfaction="unsatisfied", now=at(2026, 11, 17, 9),
                             actor="op")
    n, = rows("callback_unsatisfied")
    assert "（承办：12345 中心（直接办结））" in n.body and "问题是否解决未说明" in n.body
