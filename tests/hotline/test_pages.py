"""12345 pages: the console (save, suggestions, caller history), queues, the ticket page actions,
confidential caller data and department scope."""

from hotline.models import Ticket
from tests.conftest import csrf_from, login, make_user
from tests.hotline.helpers import log_call


def staff_client(app, login_id, department):
    """A client of its own with a staff member of `department` signed in."""
    client = app.test_client()
    make_user("staff", login_id, department=department)
    login(client, login_id)
    return client


def test_console_saves_and_suggests(desk):
    resp = log_call(desk)
    assert resp.status_code == 302
    t = Ticket.query.one()
    assert t.category_code == "030101" and t.channel == "phone" and t.operator_id is not None
    history = desk.get("/hotline/console/caller?caller_phone=13800001111").get_data(as_text=True)
    assert t.number in history
    hint = desk.get("/hotline/console/suggest", query_string={
        "category": "030101 噪声扰民", "content": "楼下起火了，有人受伤", "caller_phone": "13800001111",
        "address": "亭湖区某路 8 号"}).get_data(as_text=True)
    assert "疑似紧急情况" in hint and "119" in hint
    assert "建议承办部门：生态环境局" in hint and "噪声扰民" in hint
    assert t.number in hint  # same caller within 30 days


def test_console_errors_keep_the_input(desk):
    resp = log_call(desk, content="", category="bogus")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请填写诉求内容" in html and "请选择有效的事项分类" in html
    assert 'value="13800001111"' in html and Ticket.query.count() == 0


def test_dispatch_sign_reply_callback_through_pages(app, desk):
    log_call(desk)
    t = Ticket.query.one()
    page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "事项分类“噪声扰民”默认由生态环境局承办" in page
    desk.post(f"/hotline/tickets/{t.id}/dispatch", data={"department": "sthjj", "csrf_token": csrf_from(page)})
    staff = staff_client(app, "s@x.cn", "sthjj")
    queue = staff.get("/hotline/queue").get_data(as_text=True)
    assert t.number in queue
    staff.post("/hotline/queue/sign", data={"ticket": str(t.id), "csrf_token": csrf_from(queue)})
    tp = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "办理中" in tp
    staff.post(f"/hotline/tickets/{t.id}/reply", data={"text": "已责令停工", "csrf_token": csrf_from(tp)})
    assert staff.post(f"/hotline/tickets/{t.id}/callback", data={"reached": "1", "satisfaction": "satisfied",
                                                                 "csrf_token": csrf_from(tp)}).status_code == 403
    r = staff.post(f"/hotline/tickets/{t.id}/sign_off", data={"approve": "1", "csrf_token": csrf_from(tp)})
    assert r.status_code == 403 and "须由生态环境局的负责人（审批人）或督办人员签发" in r.get_data(as_text=True)
    callbacks = desk.get("/hotline/callbacks").get_data(as_text=True)
    assert t.number in callbacks
    desk.post(f"/hotline/tickets/{t.id}/callback", data={"reached": "1", "resolved": "1", "satisfaction": "satisfied",
                                                        "csrf_token": csrf_from(callbacks)})
    from core.extensions import db
    db.session.remove()
    assert db.session.get(Ticket, t.id).status == "closed"


def test_confidential_caller_and_department_scope(app, desk):
    log_call(desk, confidential="y")
    t = Ticket.query.one()
    page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "13800001111" in page
    desk.post(f"/hotline/tickets/{t.id}/dispatch", data={"department": "sthjj", "csrf_token": csrf_from(page)})
    staff = staff_client(app, "s@x.cn", "sthjj")
    seen = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "13800001111" not in seen and "李四" not in seen and "保密" in seen
    other = staff_client(app, "z@x.cn", "zjj")
    assert other.get(f"/hotline/tickets/{t.id}").status_code == 404
    assert t.number not in other.get("/hotline/queue").get_data(as_text=True)
    token = csrf_from(other.get("/hotline/queue").get_data(as_text=True))
    other.post("/hotline/queue/sign", data={"ticket": str(t.id), "csrf_token": token})
    from core.extensions import db
    db.session.remove()
    assert db.session.get(Ticket, t.id).status == "dispatched"
