"""CTI (issue 20 item 1): POST /api/v1/cti takes a PBX's token only; bad events are 400s naming the field, never
500s; newCall → answer → hangup make the call log's states, repeated and out-of-order events have one answer
each; a call pops up only for the operator signed in at its extension (through the real stream too); answering
fills the console, and saving links the ticket to the call (page and API)."""
import json

import pytest
from sqlalchemy import event as sa_event

from config import TestingConfig
from core.audit import history
from core.extensions import db
from core.wellformed import NUL_MESSAGE, SURROGATE_MESSAGE
from hotline import cti, cti_console, intake
from hotline.access import user_channel
from hotline.cti_models import Agent, Call
from hotline.models import Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.hotline.helpers import log_call

TOKEN = TestingConfig.CTI_TOKENS.split("=", 1)[1]
PBX = {"X-CTI-Token": TOKEN}
T0 = at(2026, 11, 20, 10, 0)


def event(name, call_id="call-1", **extra):
    return {"event": name, "callId": call_id, "from": "+8613800001111", "to": "12345", "direction": "in", **extra}


def post(client, body, *, form=False, headers=PBX, when=T0, **options):
    with pinned(client.application, when):
        if form:
            return client.post("/api/v1/cti", data=body, headers=headers, **options)
        return client.post("/api/v1/cti", json=body, headers=headers, **options)


def the_call(call_id="call-1"):
    db.session.expire_all()
    return Call.query.filter_by(call_id=call_id).one()


@pytest.fixture
def operators(hot):
    """Two operators, signed in at extensions 8001 and 8002."""
    one, two = make_user("operator", "op1@x.cn"), make_user("operator", "op2@x.cn")
    cti_console.sign_in(one, "8001", now=T0)
    cti_console.sign_in(two, "8002", now=T0)
    return one, two


def test_only_a_pbx_token_is_accepted(app, client, hot):
    from core.auth.service import create_token
    sup = make_user("supervisor", "sup@x.cn")
    bearer = {"Authorization": "Bearer " + create_token(sup, now=T0)[0]}
    for headers in ({}, {"X-CTI-Token": "wrong"}, {"X-CTI-Token": TOKEN[:-1]}, {"X-CTI-Token": TOKEN + "x"}, bearer):
        resp = post(client, event("newCall"), headers=headers)
        assert resp.status_code == 401 and resp.get_json()["error"] == "unauthorized", headers
    login(client, sup.login_id)  # a staff session counts for nothing either
    assert post(client, event("newCall"), headers={}).status_code == 401
    assert Call.query.count() == 0
    assert post(client, event("newCall"), headers={}, query_string={"token": TOKEN}).status_code == 200
    app.config["CTI_TOKENS"] = ""  # not configured: nobody
    try:
        assert post(client, event("hangup")).status_code == 401
    finally:
        app.config["CTI_TOKENS"] = TestingConfig.CTI_TOKENS


def test_each_pbx_has_its_own_token_and_call_ids(app, client, hot):
    app.config["CTI_TOKENS"] = "north=north-token-0123456789, south=south-token-0123456789"
    try:
        for token in ("north-token-0123456789", "south-token-0123456789"):
            assert post(client, event("newCall", "same-id"), headers={"X-CTI-Token": token}).status_code == 200
    finally:
        app.config["CTI_TOKENS"] = TestingConfig.CTI_TOKENS
    assert sorted(c.pbx for c in Call.query.filter_by(call_id="same-id")) == ["north", "south"]
    assert cti.configured_pbxs("bare-token-0123456789") == {"pbx": "bare-token-0123456789"}
    assert cti.pbx_for_token("", "=") is None and cti.pbx_for_token(None, "a=") is None


@pytest.mark.parametrize("setting", ["short", "a=0123456789abcdef,b=tiny", "a=0123456789abcdef,a=fedcba9876543210"])
def test_a_guessable_or_ambiguous_token_setting_refuses_to_start(setting):
    from app import create_app
    with pytest.raises(RuntimeError, match="CTI_TOKENS"):
        create_app(type("Cfg", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", "CTI_TOKENS": setting}))


@pytest.mark.parametrize("body, fields", [
    ({}, {"event", "callId"}),
    ({"event": "ring", "callId": "c"}, {"event"}),
    ({"event": "newCall", "callId": "x" * 251}, {"callId"}),
    ({"event": "newCall", "callId": ["a", "b"]}, {"callId"}),
    ({"event": "newCall", "callId": {"a": 1}}, {"callId"}),
    ({"event": "newCall", "callId": True}, {"callId"}),
    ({"event": "newCall", "callId": "c\x07"}, {"callId"}),
    ({"event": "newCall", "callId": "c", "direction": "sideways"}, {"direction"}),
    ({"event": "newCall", "callId": "c", "from": "1" * 41}, {"from"}),
    ({"event": "newCall", "callId": "c", "to": 1.5}, {"to"}),
    ({"event": "newCall", "callId": "c", "user": {"ext": "8001"}}, {"user"}),
    ({"event": "newCall", "callId": "c", "user": ["8001; DROP TABLE"]}, {"user"}),
    ({"event": "newCall", "callId": "c", "user": [str(n) for n in range(21)]}, {"user"}),
    ({"event": "answer", "callId": "c", "answeringNumber": "<b>1</b>"}, {"answeringNumber"}),
    ({"event": "hangup", "callId": "c", "cause": "x" * 31}, {"cause"}),
])
def test_a_bad_event_is_a_400_naming_its_fields(client, hot, body, fields):
    resp = post(client, body)
    answer = resp.get_json()
    assert resp.status_code == 400 and answer["error"] == "invalid", answer
    assert set(answer["fields"]) == fields and answer["message"].startswith("来电事件有误")
    assert Call.query.count() == 0


def test_bodies_that_are_no_event_are_400s(client, hot):
    for options in ({"data": "[1, 2]", "content_type": "application/json"},
                    {"data": "{not json", "content_type": "application/json"},
                    {"data": '"newCall"', "content_type": "application/json"},
                    {"data": b"\xff\xfe", "content_type": "application/json"},
                    {"data": {}}):
        with pinned(client.application, T0):
            resp = client.post("/api/v1/cti", headers=PBX, **options)
        assert resp.status_code == 400 and resp.get_json()["error"] == "invalid", options
    with pinned(client.application, T0):  # a lone surrogate, as JSON may escape it: PostgreSQL could not store it
        resp = client.post("/api/v1/cti", data='{"event": "newCall", "callId": "c\\ud800"}', headers=PBX,
                           content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["message"] == SURROGATE_MESSAGE  # core/wellformed.py
    resp = post(client, event("newCall", "c\x00"))
    assert resp.status_code == 400 and resp.get_json()["message"] == NUL_MESSAGE
    # big numbers are just text: a PBX may number its calls
    assert post(client, event("newCall", 10**30, **{"from": 8613800001111})).status_code == 200
    assert the_call(str(10**30)).phone == "13800001111"


def test_newcall_answer_hangup_form_and_json(client, operators):
    one, _ = operators
    form = {**event("newCall"), "user[]": ["8001", "8002"], "queue": "12345"}
    resp = post(client, form, form=True)
    assert resp.status_code == 200 and resp.get_json() == {"call": the_call().id, "status": "ringing", "changed": True}
    call = the_call()
    assert (call.status, call.rung, call.phone, call.queue, call.ringing_at) == ("ringing", "8001,8002", "13800001111",
                                                                                "12345", T0)
    assert cti.label(call) == "振铃中"
    assert post(client, event("answer", answeringNumber="8001")).status_code == 200
    assert post(client, event("hangup", cause="normalClearing"), when=at(2026, 11, 20, 10, 5)).status_code == 200
    call = the_call()
    assert (call.status, call.extension, call.user_id, call.cause) == ("ended", "8001", one.id, "normalClearing")
    assert (call.answered_at, call.ended_at) == (T0, at(2026, 11, 20, 10, 5))
    assert cti.label(call) == "已接听，已挂断"
    assert [e.action for e in history(cti.ENTITY, call.id)] == ["newCall", "answer", "hangup"]


def test_repeated_and_out_of_order_events_have_one_answer_each(client, operators):
    _, two = operators
    answer = post(client, event("answer", user=["8001"]))  # its newCall never came
    assert answer.get_json() == {"call": the_call().id, "status": "answered", "changed": True}
    assert the_call().ringing_at is None and the_call().extension == "8001"
    late = post(client, event("newCall", user=["8001"]))  # late: changes nothing
    assert late.status_code == 200 and late.get_json()["changed"] is False and the_call().status == "answered"
    assert post(client, event("answer", user=["8001"])).get_json()["changed"] is False  # repeated
    moved = post(client, event("answer", answeringNumber="8002"))  # put through to 8002
    assert moved.get_json()["changed"] is True and (the_call().extension, the_call().user_id) == ("8002", two.id)
    assert post(client, event("hangup")).get_json() == {"call": the_call().id, "status": "ended", "changed": True}
    assert post(client, event("hangup")).get_json()["changed"] is False
    refused = post(client, event("answer", user=["8001"]))  # after the hangup: the one refusal
    assert refused.status_code == 409 and refused.get_json()["message"] == "来电当前状态为“已结束”，不能接听"
    assert the_call().status == "ended"
    missed = post(client, event("hangup", "call-2", cause="noAnswer"))  # nothing before it
    assert missed.get_json()["status"] == "ended" and cti.label(the_call("call-2")) == "未接听（无人接听）"


@pytest.mark.parametrize("raw, phone", [
    ("13800001111", "13800001111"), ("+8613800001111", "13800001111"), ("008613800001111", "13800001111"),
    ("8613800001111", "13800001111"), ("013800001111", "13800001111"), ("138 0000 1111", "13800001111"),
    ("0515-88886666", "051588886666"), ("+86 515 8888 6666", "051588886666"), ("anonymous", None), ("", None),
    ("12345", None), ("+4930123456", None), ("8001", None),
])
def test_the_citizen_number_as_tickets_hold_it(raw, phone):
    assert cti.citizen_number(raw) == phone


def test_a_call_reaches_only_the_operators_of_its_extensions(client, operators):
    from core import live
    one, two = operators
    other = make_user("operator", "op3@x.cn")  # signed in nowhere
    subscriptions = {u.id: live.LOCAL.subscribe([user_channel(u.id)]) for u in (one, two, other)}
    try:
        def got():
            out = {}
            for user_id, sub in subscriptions.items():
                message = sub.get(0.05)
                out[user_id] = json.loads(message.split("data: ", 1)[1]) if message else None
            return out
        post(client, {**event("newCall"), "user[]": ["8001"]}, form=True)
        call = the_call()
        assert got() == {one.id: {"call": call.id, "event": "newCall", "mine": False}, two.id: None, other.id: None}
        post(client, event("answer", answeringNumber="8001"))
        assert got() == {one.id: {"call": call.id, "event": "answer", "mine": True}, two.id: None, other.id: None}
        post(client, event("answer", answeringNumber="8001"))  # repeated: no second pop
        assert got() == {one.id: None, two.id: None, other.id: None}
        post(client, event("hangup"))
        assert got()[one.id] == {"call": call.id, "event": "hangup", "mine": True}
        post(client, {**event("newCall", "out-1", direction="out"), "user[]": ["8001"]}, form=True)
        assert got()[one.id] is None  # an outgoing call (a callback) pops nothing
    finally:
        for sub in subscriptions.values():
            sub.close()


def _stream(client):
    response = client.get("/hotline/live")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Accel-Buffering"] == "no"
    chunks = iter(response.response)
    assert next(chunks).startswith(b"retry: 3000")  # subscribed
    return response, chunks


def test_through_the_stream_only_the_operator_at_the_extension_hears_the_call(app, operators):
    one, two = operators
    make_user("staff", "mzj@x.cn", department="mzj")
    app.config["LIVE_HEARTBEAT_SECONDS"] = 0.2
    streams = {}
    try:
        for login_id in ("op1@x.cn", "op2@x.cn", "mzj@x.cn"):
            client = app.test_client()
            login(client, login_id)
            streams[login_id] = _stream(client)
        post(app.test_client(), {**event("newCall"), "user[]": ["8001"]}, form=True)
        _, chunks = streams["op1@x.cn"]
        heard = next(chunks).decode()
        assert heard.startswith("id: ") and heard.endswith(
            f'\nevent: call\ndata: {{"call":{the_call().id},"event":"newCall","mine":false}}\n\n')
        for other in ("op2@x.cn", "mzj@x.cn"):
            assert next(streams[other][1]) == b": keepalive\n\n"
    finally:
        app.config["LIVE_HEARTBEAT_SECONDS"] = TestingConfig.LIVE_HEARTBEAT_SECONDS
        for response, _ in streams.values():
            response.close()


def test_the_stream_is_for_signed_in_staff_only(client, hot):
    assert client.get("/hotline/live").status_code == 302  # to the login page
    login(client, make_user("citizen", "13800007777").login_id)
    assert client.get("/hotline/live").status_code == 403


def _console(client):
    return csrf_from(client.get("/hotline/console").get_data(as_text=True))


def test_signing_in_at_an_extension_on_the_console(app, client, hot):
    first, second = make_user("operator", "op1@x.cn"), make_user("operator", "op2@x.cn")
    login(client, first.login_id)
    for typed in ("", "80 01", "<b>1</b>", "8" * 21):
        resp = client.post("/hotline/console/extension", data={"csrf_token": _console(client), "extension": typed})
        page = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "分机号应为 1–20 位数字或字母" in page and "<b>1</b>" not in page, typed
    resp = client.post("/hotline/console/extension", data={"csrf_token": _console(client), "extension": "8001"},
                       follow_redirects=True)
    assert "已签入分机 8001" in resp.get_data(as_text=True)
    assert cti_console.extension_of(first) == "8001"
    other = app.test_client()
    login(other, second.login_id)
    resp = other.post("/hotline/console/extension", data={"csrf_token": _console(other), "extension": "8001"},
                      follow_redirects=True)
    assert "该分机原由 测试operator 签入，已转给您" in resp.get_data(as_text=True)  # a new shift at the seat
    db.session.expire_all()
    assert cti_console.extension_of(first) is None and cti_console.extension_of(second) == "8001"
    resp = other.post("/hotline/console/extension", data={"csrf_token": _console(other), "leave": "1"},
                      follow_redirects=True)
    assert "已签出分机" in resp.get_data(as_text=True) and Agent.query.count() == 0
    assert [e.action for e in history("cti_agent", "8001")] == ["sign_in", "sign_in", "sign_out"]


def test_only_the_desk_takes_calls(hot):
    from core.errors import NotTheirs
    for role, dep in (("staff", "mzj"), ("approver", "mzj"), ("citizen", None)):
        with pytest.raises(NotTheirs):
            cti_console.sign_in(make_user(role, department=dep), "8009", now=T0)
    for role in ("supervisor", "admin"):
        cti_console.sign_in(make_user(role), f"9{role[:3]}", now=T0)


def test_saving_the_answered_call_links_the_ticket_page_and_api(app, client, api, operators):
    login(client, "op1@x.cn")
    post(client, {**event("newCall"), "user[]": ["8001"]}, form=True)
    post(client, event("answer", answeringNumber="8001"))
    call = the_call()
    resp = log_call(client, caller_phone="13800001111", call_id=str(call.id))
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    assert the_call().ticket_id == ticket.id
    page = client.get(f"/hotline/tickets/{ticket.id}").get_data(as_text=True)
    assert "来电记录" in page and "呼叫标识 call-1" in page and "分机 8001" in page and "关联来电" in page
    # the same call again: refused, nothing saved, everything typed kept
    again = log_call(client, content="同一来电再登记一次", call_id=str(call.id))
    assert again.status_code == 400 and f"该来电已登记为工单 {ticket.number}" in again.get_data(as_text=True)
    assert "同一来电再登记一次" in again.get_data(as_text=True) and Ticket.query.count() == 1
    for wrong in ("abc", "99999999999999999999", "-1", "999999"):
        resp = log_call(client, call_id=wrong)
        assert resp.status_code == 400 and "关联的来电记录不存在" in resp.get_data(as_text=True), wrong
    assert Ticket.query.count() == 1
    # the API links the same way
    post(client, event("newCall", "call-2"))
    second = the_call("call-2")
    desk = api("operator", login="api-op@x.cn")
    body = {"type": "complaint", "category_code": "030101", "content": "API 登记的来电", "caller_phone": "13800001111"}
    created = desk.post("/tickets", {**body, "call_id": second.id}, now=T0)
    assert created.status_code == 201, created.get_json()
    shown = desk.get(f"/tickets/{created.get_json()['id']}").get_json()
    assert [c["call_id"] for c in shown["calls"]] == ["call-2"]
    refused = desk.post("/tickets", {**body, "call_id": second.id}, now=T0)
    assert refused.status_code == 400 and "call_id" in refused.get_json()["fields"]
    assert desk.post("/tickets", {**body, "call_id": "x"}, now=T0).status_code == 400


def test_the_screen_pop_shows_the_callers_tickets_as_the_user_may_see_them(app, client, operators):
    from core.departments.models import Department

    def ticket(phone, content, **extra):
        return intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": phone,
                                     "content": content, **extra}, channel="phone", received_at=T0, now=T0, actor="op")
    open_one = ticket("13800001111", "未办结的噪声投诉")
    closed = ticket("13800001111", "已转 110 的求助")
    intake.transfer_emergency(closed, to="110", now=T0, actor="op")
    secret = ticket("13800001111", "保密的举报", confidential="y")
    landline = ticket("0515-88886666", "固定电话来电的诉求")
    ticket("13900009999", "别人的诉求")
    intake.dispatch(open_one, Department.query.filter_by(code="mzj").one(), now=T0, actor="op")
    post(client, event("newCall"))
    login(client, "op1@x.cn")
    page = client.get(f"/hotline/console/calls/{the_call().id}").get_data(as_text=True)
    assert '<span class="call-number">13800001111</span>' in page and "振铃中" in page and "接听（填入受理单）" in page
    opened, past = page.split("历史工单")
    assert open_one.number in opened and secret.number in opened and closed.number in past
    assert "别人的诉求" not in page and landline.number not in page
    post(client, event("newCall", "land", **{"from": "051588886666"}))
    assert landline.number in client.get(f"/hotline/console/calls/{the_call('land').id}").get_data(as_text=True)
    assert client.get("/hotline/console/calls/999999").status_code == 404
    # a department sees only its own, never a confidential caller's (hotline/access.py)
    staff = make_user("staff", "mzj@x.cn", department="mzj")
    seen = cti_console.caller_tickets(staff, "13800001111")
    assert [t.id for t in seen["open"]] == [open_one.id] and seen["history"] == []


def test_the_call_log_page(client, operators):
    post(client, {**event("newCall"), "user[]": ["8001"]}, form=True)
    post(client, event("answer", answeringNumber="8001"))
    post(client, event("hangup", cause="normalClearing"), when=at(2026, 11, 20, 10, 2))
    post(client, event("hangup", "missed", cause="busy", **{"from": "13900002222"}))
    login(client, "op1@x.cn")
    page = client.get("/hotline/calls").get_data(as_text=True)
    assert "已接听，已挂断" in page and "120 秒" in page and "未接听（占线）" in page and "测试operator" in page
    mine = client.get("/hotline/calls", query_string={"phone": "+86 139 0000 2222"}).get_data(as_text=True)
    assert "未接听（占线）" in mine and "已接听，已挂断" not in mine


def test_the_call_log_leaves_no_half_read_ticket_in_the_session(client, operators):
    """The call log shows each linked call's ticket number only: it reads that column, never a ticket row of one
    column — such a row stays in the session, and a later read of the ticket there (db.session.get, as the ticket
    page does) would raise on any other attribute (a 500). Nor the tickets' departments, category, co-handlers and
    callbacks, which the log does not show."""
    login(client, "op1@x.cn")
    post(client, {**event("newCall"), "user[]": ["8001"]}, form=True)
    post(client, event("answer", answeringNumber="8001"))
    assert log_call(client, caller_phone="13800001111", call_id=str(the_call().id)).status_code == 302
    db.session.expire_all()
    ticket_id, number = db.session.query(Ticket.id, Ticket.number).one()
    statements = []

    def on_sql(conn, cursor, statement, *args):
        statements.append(statement)
    sa_event.listen(db.engine, "before_cursor_execute", on_sql)
    try:
        page = client.get("/hotline/calls")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", on_sql)
    assert page.status_code == 200 and f">{number}</a>" in page.get_data(as_text=True)
    log = [s for s in statements if "cti_calls" in s]
    assert len(log) == 1 and "hotline_categories" not in log[0] and "tickets.number" in log[0], log
    assert not [s for s in statements if "FROM ticket_co_handlers" in s or "FROM callback_attempts" in s], statements
    assert db.session.get(Ticket, ticket_id).content  # the session holds no ticket row read in part
    assert client.get(f"/hotline/tickets/{ticket_id}").status_code == 200  # the tests' client shares the session
