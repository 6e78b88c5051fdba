"""Issue 16 item 1: the 12345 ⇄ 110/119/120/122 linkage — 122 as a target, transfers from every state before an
answer (page and API), Transfer rows with the service's feedback, 110 hand-overs and the linkage page."""
import pytest

from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from core.workflow import TransitionError
from hotline import callback, extensions, handling, intake, linkage, reply, returns, suggest
from hotline.common import clock
from hotline.models import Ticket, Transfer
from tests.conftest import at, csrf_from, login, make_user, pinned

CALL = {"type": "help", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "路口两车相撞", "address": "亭湖区某路口"}
API_CALL = {**CALL, "received_at": "2026-11-16T09:00:00+08:00"}


def dep(code):
    return Department.query.filter_by(code=code).one()


def new_ticket(received=None, **changes):
    received = received or at(2026, 11, 16, 9, 0)
    return intake.create_ticket({**CALL, **changes}, channel="phone", received_at=received, now=received,
                                actor="operator")


def ticket_in(state):
    """A ticket in `state`: new (brand-new, returned or reopened after 重办), dispatched, signed, or with
    the department's return under the centre's review."""
    t = new_ticket()
    if state in ("dispatched", "signed", "returned", "reopened", "return_review"):
        intake.dispatch(t, dep("sthjj"), now=at(2026, 11, 16, 9, 10), actor="op")
    if state in ("signed", "reopened"):
        handling.sign(t, now=at(2026, 11, 16, 9, 20), actor="s")
    if state in ("returned", "return_review"):
        returns.request_return(t, reason="非本部门职责", now=at(2026, 11, 16, 9, 30), actor="s")
    if state == "returned":  # the centre upholds the return: the ticket waits for dispatch again
        returns.review_return(t, upheld=True, note="", now=at(2026, 11, 16, 9, 40), actor="op")
    if state == "reopened":
        reply.reply(t, text="已处理", now=at(2026, 11, 16, 10), actor="s")
        callback.record_callback(t, reached=True, satisfaction="unsatisfied", now=at(2026, 11, 16, 11), actor="op")
        sup = make_user("supervisor", "sup.reopen@x.cn")
        callback.review(t, reopen=True, reason="确未解决", now=at(2026, 11, 16, 11, 30), actor=sup)
    return t


STATES = ["new", "returned", "reopened", "dispatched", "signed", "return_review"]


def test_122_is_a_target_and_the_transfer_is_recorded(hot):
    t = new_ticket()
    with pytest.raises(ValidationError) as err:
        intake.transfer_emergency(t, to="911", now=at(2026, 11, 16, 9, 1), actor="op")
    assert err.value.fields == {"to": "请选择 110、119、120 或 122"}
    intake.transfer_emergency(t, to="122", now=at(2026, 11, 16, 9, 1), actor="op", reference="JQ20261116-0007",
                              counterpart="王警官 0231", note="两车相撞无人受伤")
    assert t.status == "closed" and t.transferred_to == "122" and t.close_reason == "transferred"
    row = Transfer.query.one()
    assert (row.direction, row.service, row.at, row.reference, row.counterpart, row.note, row.feedback) == (
        "out", "122", at(2026, 11, 16, 9, 1), "JQ20261116-0007", "王警官 0231", "两车相撞无人受伤", None)


@pytest.mark.parametrize("state", STATES)
def test_transfer_from_every_state_before_an_answer(hot, state):
    t = ticket_in(state)
    before = (t.sign_verdicts, t.done_verdicts)
    intake.transfer_emergency(t, to="110", now=at(2026, 11, 16, 14, 0), actor="op")
    assert t.status == "closed" and t.transferred_to == "110"
    for name in ("dispatch", "sign_for", "handling"):
        c = clock(t, name)
        assert c is None or c.state == "stopped"
    if state in ("dispatched", "signed"):
        assert clock(t, "handling").stopped_at == at(2026, 11, 16, 14, 0)
    # a transfer is no verdict on the department — unless a step had already run out: dispatched at 09:10 and
    # still unsigned at 14:00, the sign-for (due 11:10) was late and stays late (hotline.common.stop)
    late = 1 if state == "dispatched" else 0
    assert (t.sign_verdicts, t.done_verdicts) == (before[0] + late, before[1])
    assert t.sign_in_time == (1 if state in ("signed", "reopened") else 0)
    assert Transfer.query.filter_by(ticket_id=t.id, direction="out").count() == 1


@pytest.mark.parametrize("state", ["replied", "callback_review"])
def test_no_transfer_after_an_answer(hot, state):
    t = ticket_in("signed")
    reply.reply(t, text="已处理", now=at(2026, 11, 16, 10), actor="s")
    if state == "callback_review":
        callback.record_callback(t, reached=True, satisfaction="unsatisfied", now=at(2026, 11, 16, 11), actor="op")
    with pytest.raises(TransitionError):
        intake.transfer_emergency(t, to="110", now=at(2026, 11, 16, 14), actor="op")
    db.session.rollback()
    assert Transfer.query.count() == 0


def test_road_accidents_suggest_122_and_120_when_someone_is_hurt():
    assert suggest.emergency("路口发生车祸")[1] == ["122"]
    assert suggest.emergency("车祸，有人受伤流血")[1] == ["122", "120"]
    assert suggest.emergency("车祸，伤者骨折")[1] == ["122", "120"]
    assert suggest.emergency("楼道起火")[1] == ["119"]
    assert suggest.emergency("有人持刀")[1] == ["110"]
    assert suggest.emergency("噪声扰民") is None


def test_feedback_of_an_outgoing_transfer(hot):
    t = new_ticket()
    intake.transfer_emergency(t, to="120", now=at(2026, 11, 16, 9, 1), actor="op")
    with pytest.raises(ValidationError):
        linkage.record_service_feedback(t, feedback="  ", now=at(2026, 11, 16, 10), actor="op")
    linkage.record_service_feedback(t, feedback="已出车送医", now=at(2026, 11, 16, 10), actor="op")
    row = Transfer.query.one()
    assert row.feedback == "已出车送医" and row.feedback_at == at(2026, 11, 16, 10)
    with pytest.raises(TransitionError):
        linkage.record_service_feedback(t, feedback="again", now=at(2026, 11, 16, 11), actor="op")


def test_incoming_110_hand_over_and_its_feedback(hot):
    with pytest.raises(ValidationError) as err:
        intake.create_ticket(CALL, channel="110", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                             actor="op")
    assert err.value.fields == {"handover_ref": "请填写 110 接警编号"}
    t = intake.create_ticket({**CALL, "content": "邻居装修噪声", "handover_ref": "110-20261116-0042"}, channel="110",
                             received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="op")
    assert t.channel == "110" and t.handover_ref == "110-20261116-0042"
    row = Transfer.query.one()
    assert (row.direction, row.service, row.reference, row.at) == ("in", "110", "110-20261116-0042",
                                                                   at(2026, 11, 16, 9))
    out, incoming = linkage.awaiting()
    assert out == [] and [r.id for r, _ in incoming] == [row.id]
    with pytest.raises(TransitionError):  # not answered yet
        linkage.feed_back_to_110(t, feedback="已处理", now=at(2026, 11, 16, 10), actor="op")
    intake.direct_close(t, answer="已告知物业劝导", now=at(2026, 11, 16, 9, 30), actor="op")
    linkage.feed_back_to_110(t, feedback="已告知物业劝导，来电人认可", now=at(2026, 11, 16, 10), actor="op")
    assert row.feedback_at == at(2026, 11, 16, 10) and linkage.awaiting() == ([], [])
    ordinary = new_ticket()
    with pytest.raises(ValidationError):
        linkage.feed_back_to_110(ordinary, feedback="x", now=at(2026, 11, 16, 10), actor="op")


# ---- pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
def test_transfer_through_the_page_from_every_state(app, desk, state):
    t = ticket_in(state)
    with pinned(app, at(2026, 11, 16, 14, 0)):
        page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "122 交通事故" in page and 'name="reference"' in page
        desk.post(f"/hotline/tickets/{t.id}/transfer", data={"to": "122", "reference": "JQ-1", "counterpart": "0231",
                                                              "csrf_token": csrf_from(page)})
    t = db.session.get(Ticket, t.id)
    assert t.status == "closed" and t.transferred_to == "122"
    assert Transfer.query.filter_by(ticket_id=t.id).one().reference == "JQ-1"


def test_department_staff_cannot_transfer_or_record_feedback(app, client, hot):
    t = ticket_in("signed")
    make_user("staff", "s@x.cn", department="sthjj")
    login(client, "s@x.cn")
    page = client.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "转接紧急热线" not in page
    resp = client.post(f"/hotline/tickets/{t.id}/transfer", data={"to": "110", "csrf_token": csrf_from(page)})
    assert resp.status_code == 403 and db.session.get(Ticket, t.id).status == "signed"
    assert client.get("/hotline/linkage").status_code in (302, 403)


def test_console_110_hand_over_feedback_and_linkage_page(app, desk):
    with pinned(app, at(2026, 11, 16, 9, 0)):
        page = desk.get("/hotline/console").get_data(as_text=True)
        data = {"caller_phone": "13800001111", "type": "complaint", "category": "030101 噪声扰民",
                "urgency": "normal", "content": "邻居装修噪声", "channel": "110", "csrf_token": csrf_from(page)}
        resp = desk.post("/hotline/console", data=data)
        assert resp.status_code == 400 and "请填写 110 接警编号" in resp.get_data(as_text=True)
        assert Ticket.query.count() == 0
        desk.post("/hotline/console", data={**data, "handover_ref": "110-0042"})
    t = Ticket.query.one()
    assert t.channel == "110" and t.handover_ref == "110-0042"
    other = new_ticket(content="路口车祸")
    intake.transfer_emergency(other, to="122", now=at(2026, 11, 16, 9, 5), actor="op", reference="JQ-9")
    with pinned(app, at(2026, 11, 16, 9, 30)):
        listing = desk.get("/hotline/linkage").get_data(as_text=True)
        assert t.number in listing and other.number in listing and "JQ-9" in listing and "待答复" in listing
        tp = desk.get(f"/hotline/tickets/{other.id}").get_data(as_text=True)
        row = Transfer.query.filter_by(ticket_id=other.id).one()
        desk.post(f"/hotline/tickets/{other.id}/transfer_feedback",
                  data={"transfer": str(row.id), "feedback": "已处理完毕", "csrf_token": csrf_from(tp)})
        desk.post(f"/hotline/tickets/{t.id}/direct_close", data={"answer": "已劝导", "csrf_token": csrf_from(tp)})
        tp = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "向 110 反馈的办理结果" in tp
        desk.post(f"/hotline/tickets/{t.id}/handover_feedback", data={"feedback": "已劝导", "csrf_token": csrf_from(tp)})
        listing = desk.get("/hotline/linkage").get_data(as_text=True)
    assert "转出待对方反馈（0）" in listing and "110 转来待反馈结果（0）" in listing
    assert Transfer.query.filter(Transfer.feedback_at.is_(None)).count() == 0


def test_bad_page_input_never_breaks(app, desk):
    t = new_ticket()
    with pinned(app, at(2026, 11, 16, 9, 30)):
        page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        resp = desk.post(f"/hotline/tickets/{t.id}/transfer", data={"to": "122", "reference": "x" * 41,
                                                                     "csrf_token": csrf_from(page)},
                         follow_redirects=True)
        assert resp.status_code == 400 and "接警编号最多 40 字" in resp.get_data(as_text=True)
        resp = desk.post(f"/hotline/tickets/{t.id}/transfer_feedback",
                         data={"transfer": "99999999999999999999", "feedback": "x", "csrf_token": csrf_from(page)},
                         follow_redirects=True)
        assert resp.status_code == 400 and "请选择转接记录" in resp.get_data(as_text=True)
    assert db.session.get(Ticket, t.id).status == "new"


# ---- API ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
def test_transfer_through_the_api_from_every_state(api, state):
    t = ticket_in(state)
    op = api("operator", login="op@x.cn")
    r = op.post(f"/tickets/{t.id}/transfer", {"to": "122", "reference": "JQ-7", "counterpart": "0231",
                                              "at": "2026-11-16T14:00:00+08:00"}, now=at(2026, 11, 16, 14, 1))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "closed" and body["transferred_to"] == "122"
    assert [(x["direction"], x["service"], x["reference"]) for x in body["transfers"]] == [("out", "122", "JQ-7")]


def test_api_linkage_rules_and_bad_input(api):
    op = api("operator", login="op@x.cn")
    staff = api("staff", "sthjj", login="s@x.cn")
    r = op.post("/tickets", {**API_CALL, "channel": "110"}, now=at(2026, 11, 16, 9, 1))
    assert r.status_code == 400 and r.get_json()["fields"] == {"handover_ref": "请填写 110 接警编号"}
    r = op.post("/tickets", {**API_CALL, "channel": "110", "handover_ref": "110-0042"}, now=at(2026, 11, 16, 9, 1))
    assert r.status_code == 201
    t = r.get_json()
    assert t["handover_ref"] == "110-0042" and t["transfers"][0]["direction"] == "in"
    r = op.post(f"/tickets/{t['id']}/handover-feedback", {"feedback": "x"}, now=at(2026, 11, 16, 9, 2))
    assert r.status_code == 409  # not answered yet
    op.post(f"/tickets/{t['id']}/dispatch", {"department": "sthjj", "at": "2026-11-16T09:10:00+08:00"},
            now=at(2026, 11, 16, 9, 11))
    assert staff.post(f"/tickets/{t['id']}/transfer", {"to": "110"}, now=at(2026, 11, 16, 9, 12)).status_code == 403
    for body in ({"to": "911"}, {"to": 110}, {"to": "110", "reference": "x" * 41}, {"to": "110", "note": ["a"]}):
        r = op.post(f"/tickets/{t['id']}/transfer", body, now=at(2026, 11, 16, 9, 12))
        assert r.status_code == 400, (body, r.get_json())
    r = op.post(f"/tickets/{t['id']}/transfer", {"to": "110", "note": "x\u0000y"}, now=at(2026, 11, 16, 9, 12))
    assert r.status_code == 400
    r = op.post(f"/tickets/{t['id']}/transfer", {"to": "110"}, now=at(2026, 11, 16, 9, 12))
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    out = [x for x in r.get_json()["transfers"] if x["direction"] == "out"][0]
    for body in ({}, {"feedback": ""}, {"feedback": "ok", "transfer": 99999999999999}, {"feedback": "ok", "transfer": "a"}):
        r = op.post(f"/tickets/{t['id']}/transfer-feedback", body, now=at(2026, 11, 16, 9, 30))
        assert r.status_code == 400, (body, r.get_json())
    assert staff.post(f"/tickets/{t['id']}/transfer-feedback", {"feedback": "ok"},
                      now=at(2026, 11, 16, 9, 30)).status_code == 403
    r = op.post(f"/tickets/{t['id']}/transfer-feedback", {"feedback": "已处置", "transfer": out["id"]},
                now=at(2026, 11, 16, 9, 30))
    assert r.status_code == 200
    assert [x["feedback"] for x in r.get_json()["transfers"] if x["direction"] == "out"] == ["已处置"]
    r = op.post(f"/tickets/{t['id']}/handover-feedback", {"feedback": "已转 110 处置"}, now=at(2026, 11, 16, 9, 31))
    assert r.status_code == 200


def test_transfer_lets_a_pending_extension_lapse(hot):
    t = ticket_in("signed")
    extensions.request_extension(t, hours=7.5, reason="需现场勘查", now=at(2026, 11, 16, 10), actor="s")
    intake.transfer_emergency(t, to="110", now=at(2026, 11, 16, 11), actor="op")
    assert t.extension_request_hours is None and clock(t, "handling").state == "stopped"


def test_console_hint_names_several_numbers(app, desk):
    with pinned(app, at(2026, 11, 16, 9, 0)):
        hint = desk.get("/hotline/console/suggest", query_string={"content": "门口发生车祸，有人受伤"}).get_data(as_text=True)
    assert "请立即转接 122、120" in hint


def test_a_second_service_for_the_same_call(hot):
    t = new_ticket(content="车祸，有人受伤")
    intake.transfer_emergency(t, to="122", now=at(2026, 11, 16, 9, 1), actor="op", reference="JQ-1")
    intake.transfer_emergency(t, to="120", now=at(2026, 11, 16, 9, 2), actor="op")
    assert t.status == "closed" and t.transferred_to == "122" and t.closed_at == at(2026, 11, 16, 9, 1)
    assert [(r.service, r.at) for r in linkage.transfers(t)] == [("122", at(2026, 11, 16, 9, 1)),
                                                                  ("120", at(2026, 11, 16, 9, 2))]
    with pytest.raises(ValidationError) as err:
        intake.transfer_emergency(t, to="120", now=at(2026, 11, 16, 9, 3), actor="op")
    assert err.value.fields == {"to": "本工单已转接过 120"}
    merged = ticket_in("new")
    callback.merge(new_ticket(), [merged], now=at(2026, 11, 16, 9, 5), actor="op")
    with pytest.raises(TransitionError):  # closed otherwise: no transfer
        intake.transfer_emergency(merged, to="110", now=at(2026, 11, 16, 9, 6), actor="op")


def test_second_service_through_the_page_and_the_api(app, desk, api_as):
    t = new_ticket(content="车祸，有人受伤")
    with pinned(app, at(2026, 11, 16, 9, 30)):
        page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        desk.post(f"/hotline/tickets/{t.id}/transfer", data={"to": "122", "csrf_token": csrf_from(page)})
        page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert "同时转接另一紧急热线" in page and '<option value="120" selected>' in page
        desk.post(f"/hotline/tickets/{t.id}/transfer", data={"to": "120", "csrf_token": csrf_from(page)})
    assert [r.service for r in linkage.transfers(t)] == ["122", "120"]
    r = api_as("operator", login="op2@x.cn").post(f"/tickets/{t.id}/transfer", {"to": "110"},
                                                  now=at(2026, 11, 16, 9, 40))
    assert r.status_code == 200 and [x["service"] for x in r.get_json()["transfers"]] == ["122", "120", "110"]
