"""A replied ticket keeps its handling limit and says whether it was met (issue 18 item 5): the caller's status
page and the ticket page show "已于…答复，时限…，按期 / 超期N个工作日", decided by hotline.sla.handling_verdict from
the handling clock frozen at the reply. Both databases, explicit times (2026-11-16 is a Monday)."""
from core.departments.models import Department
from core.formats import local_datetime
from hotline import handling, intake, reply, sla
from hotline.common import clock
from tests.conftest import at, csrf_from, login, make_user, pinned


def _ticket():
    return intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13912345678",
                                 "caller_name": "王五", "content": "工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"},
                                channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="op")


def _handled(reply_at):
    t = _ticket()
    intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=at(2026, 11, 16, 9, 30), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 10), actor="s")
    assert sla.handling_verdict(clock(t, "handling")) is None  # running: no verdict yet
    reply.reply(t, text="经核查，施工单位已停止夜间施工。", now=reply_at,
                actor=make_user("staff", "s.v@x.cn", department="sthjj"))
    return t


def _caller_page(app, client, t, now):
    with pinned(app, now):
        token = csrf_from(client.get("/hotline/new").get_data(as_text=True))
        client.post("/hotline/lookup", data={"number": t.number, "code": t.access_code, "csrf_token": token})
        return client.get(f"/hotline/my/{t.id}").get_data(as_text=True)


def test_a_reply_in_time_says_so_on_both_pages(app, client, hot):
    t = _handled(at(2026, 11, 20, 15))
    verdict = sla.handling_verdict(clock(t, "handling"))
    due = clock(t, "handling").due_at
    said = f"已于2026-11-20 15:00答复，时限{local_datetime(due)}，按期"
    assert verdict.on_time and verdict.text == said
    assert said in _caller_page(app, client, t, at(2026, 11, 21, 9))
    make_user("supervisor", "sup.v@x.cn")
    login(client, "sup.v@x.cn")
    with pinned(app, at(2026, 11, 21, 9)):
        assert said in client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)


def test_a_late_reply_counts_the_working_days_past_the_limit(app, client, hot):
    t = _handled(at(2026, 12, 3, 15))
    c = clock(t, "handling")
    verdict = sla.handling_verdict(c)
    assert not verdict.on_time
    from core.calendar.service import get_calendar, local_date
    late = get_calendar().workdays_between(local_date(c.due_at), local_date(at(2026, 12, 3, 15)))
    assert late > 0 and verdict.text.endswith(f"超期{late}个工作日")
    assert verdict.text in _caller_page(app, client, t, at(2026, 12, 4, 9))
