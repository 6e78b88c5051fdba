"""Live queues (issue 20 item 5): every committed change of a ticket sends one event to the queues it concerns —
the desk's (dispatch, returns, callback) and the lead department's — and to no one else; rolled-back work sends
nothing; the queue pages carry the live list and serve it alone to the live reload."""
import json

import pytest

from config import TestingConfig
from core import live
from core.db import unit_of_work
from core.departments.models import Department
from core.extensions import db
from hotline import handling, intake
from hotline.access import ALL_DEPARTMENTS_CHANNEL, DESK_CHANNEL, department_channel, live_channels
from hotline.live import messages
from tests.conftest import at, login, make_user

T0 = at(2026, 11, 20, 10, 0)
URGENT = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "urgency": "urgent",
          "content": "燃气管道异味（测试）", "address": "亭湖区某路"}


def change(before, after, department=None, now_department=None, urgent=False):
    return {"status": before, "department": department, "now_status": after, "now_department": now_department,
            "urgent": urgent}


@pytest.mark.parametrize("what, queues, channels", [
    (change(None, "new", urgent=True), {"dispatch": "arrived"}, [DESK_CHANNEL]),
    (change("new", "dispatched", None, 5), {"dispatch": "left", "department": "arrived"},
     [DESK_CHANNEL, department_channel(5), ALL_DEPARTMENTS_CHANNEL]),
    (change("dispatched", "signed", 5, 5), {"department": "changed"}, [department_channel(5), ALL_DEPARTMENTS_CHANNEL]),
    (change("signed", "return_review", 5, 5), {"returns": "arrived", "department": "changed"},
     [DESK_CHANNEL, department_channel(5), ALL_DEPARTMENTS_CHANNEL]),
    (change("return_review", "new", 5, None), {"dispatch": "arrived", "returns": "left", "department": "left"},
     [DESK_CHANNEL, department_channel(5), ALL_DEPARTMENTS_CHANNEL]),
    (change("new", "dispatched", 5, 7), {"dispatch": "left", "department": "arrived"},
     [DESK_CHANNEL, department_channel(5), department_channel(7), ALL_DEPARTMENTS_CHANNEL]),
    (change("signed", "replied", 5, 5), {"department": "left", "callback": "arrived"},
     [DESK_CHANNEL, department_channel(5), ALL_DEPARTMENTS_CHANNEL]),
    (change("replied", "replied", 5, 5), {"callback": "changed"}, [DESK_CHANNEL]),
    (change("closed", "closed", 5, 5), {}, []),
])
def test_each_change_goes_to_the_queues_it_concerns(what, queues, channels):
    sent = messages(42, what)
    assert [channel for channel, _, _ in sent] == channels
    assert all(data == {"ticket": 42, "queues": queues, "urgent": what["urgent"]} for _, _, data in sent)


def _listen(*users):
    """A stream (core/live.py) for each user on their channels; heard() = what each got since, as its queues."""
    streams = {u.id: live.stream(live_channels(u), redis_url="", lifetime=60, heartbeat=0.02,
                                 max_streams=live.active_streams() + len(users)) for u in users}
    for stream in streams.values():
        next(stream)  # subscribed

    def heard():
        out = {}
        for user_id, stream in streams.items():
            got = []
            while (chunk := next(stream)) != ": keepalive\n\n":
                got.append(json.loads(chunk.split("data: ", 1)[1])["queues"])
            out[user_id] = got
        return out
    return streams, heard


def test_use_cases_reach_the_desk_and_the_lead_department_only(hot):
    operator, supervisor = make_user("operator", "op@x.cn"), make_user("supervisor", "sup@x.cn")
    mzj, zjj = make_user("staff", "mzj@x.cn", department="mzj"), make_user("staff", "zjj@x.cn", department="zjj")
    streams, heard = _listen(operator, supervisor, mzj, zjj)
    try:
        ticket = intake.create_ticket(URGENT, channel="phone", received_at=T0, now=T0, actor="op")
        arrived = [{"dispatch": "arrived"}]
        assert heard() == {operator.id: arrived, supervisor.id: arrived, mzj.id: [], zjj.id: []}
        intake.dispatch(ticket, Department.query.filter_by(code="mzj").one(), now=T0, actor="op")
        moved = [{"dispatch": "left", "department": "arrived"}]  # once, though the supervisor hears two channels
        assert heard() == {operator.id: moved, supervisor.id: moved, mzj.id: moved, zjj.id: []}
        handling.sign(ticket, now=at(2026, 11, 20, 10, 5), actor=mzj)
        signed = [{"department": "changed"}]
        assert heard() == {operator.id: [], supervisor.id: signed, mzj.id: signed, zjj.id: []}
        with pytest.raises(RuntimeError), unit_of_work():  # work that rolls back is never announced
            ticket.status = "closed"
            db.session.flush()
            raise RuntimeError("undone")
        assert heard() == {operator.id: [], supervisor.id: [], mzj.id: [], zjj.id: []}
    finally:
        for stream in streams.values():
            stream.close()


def test_an_urgent_arrival_is_flagged_and_the_page_carries_the_live_list(client, hot):
    operator = make_user("operator", "op@x.cn")
    subscriptions = live.LOCAL.subscribe(live_channels(operator))
    try:
        ticket = intake.create_ticket(URGENT, channel="phone", received_at=T0, now=T0, actor="op")
        data = json.loads(subscriptions.get(0.5).split("data: ", 1)[1])
        assert data == {"ticket": ticket.id, "queues": {"dispatch": "arrived"}, "urgent": True}
    finally:
        subscriptions.close()
    login(client, operator.login_id)
    page = client.get("/hotline/dispatch").get_data(as_text=True)
    assert 'id="live"' in page and "js/live.js" in page and "紧急工单到达时提示音" in page
    assert 'data-live-queue="dispatch"' in page and f'data-ticket="{ticket.id}"' in page and "queue-urgent" in page
    part = client.get("/hotline/dispatch?type=complaint", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert part.lstrip().startswith('<div id="queue-list"') and "<html" not in part and ticket.number in part
    assert 'data-live-url="/hotline/dispatch?type=complaint"' in part
    assert 'data-live-queue="callback"' in client.get("/hotline/callbacks").get_data(as_text=True)


def test_a_department_stream_hears_its_own_queue_only(app, hot):
    make_user("staff", "mzj@x.cn", department="mzj")
    make_user("staff", "zjj@x.cn", department="zjj")
    app.config["LIVE_HEARTBEAT_SECONDS"] = 0.2
    streams = {}
    try:
        for login_id in ("mzj@x.cn", "zjj@x.cn"):
            client = app.test_client()
            login(client, login_id)
            response = client.get("/hotline/live")
            chunks = iter(response.response)
            assert next(chunks).startswith(b"retry:")
            streams[login_id] = (response, chunks)
        page = app.test_client()
        login(page, "mzj@x.cn")
        assert 'data-live-queue="department"' in page.get("/hotline/queue").get_data(as_text=True)
        ticket = intake.create_ticket(URGENT, channel="phone", received_at=T0, now=T0, actor="op")
        intake.dispatch(ticket, Department.query.filter_by(code="mzj").one(), now=T0, actor="op")
        heard = next(streams["mzj@x.cn"][1]).decode()
        assert heard.startswith("id: ") and "event: queue" in heard and f'"ticket":{ticket.id}' in heard
        assert next(streams["zjj@x.cn"][1]) == b": keepalive\n\n"
    finally:
        app.config["LIVE_HEARTBEAT_SECONDS"] = TestingConfig.LIVE_HEARTBEAT_SECONDS
        for response, _ in streams.values():
            response.close()


@pytest.mark.parametrize("role, department, hears", [
    ("operator", None, ["desk"]), ("supervisor", None, ["desk", "all"]), ("admin", None, ["desk", "all"]),
    ("staff", "mzj", ["mzj"]), ("approver", "mzj", ["mzj"]), ("citizen", None, None),
])
def test_what_each_role_hears(hot, role, department, hears):
    """hotline/access.py: live_channels — one's own channel (calls), the desk's queues for the desk roles, a
    department's for its staff and approvers, every department's for oversight; a citizen nothing."""
    user = make_user(role, department=department)
    names = {"desk": DESK_CHANNEL, "all": ALL_DEPARTMENTS_CHANNEL}
    if department:
        names[department] = department_channel(Department.query.filter_by(code=department).one().id)
    expected = [] if hears is None else [f"hotline:user:{user.id}", *(names[h] for h in hears)]
    assert live_channels(user) == expected
