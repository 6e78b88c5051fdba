"""Two-level dispatch of a city-wide 12345 (issue 20 item 3, hotline/tiers.py): the centre dispatches to a district
sub-centre, which signs for it and re-dispatches to one of its departments; each level has its own clocks, returns
and verdicts; a district's staff never see another district's tickets. Explicit times throughout (a Monday and the
days after, Asia/Shanghai)."""
import pytest

from core.audit import AuditEvent
from core.clocks.models import Clock
from core.departments.models import Department
from core.extensions import db
from hotline import access, handling, intake, live, queries, reply, returns, tiers
from hotline.common import clock
from hotline.models import Ticket
from tests.access_matrix import Visitor, check, make_people
from tests.conftest import at, pinned

MON = (2026, 11, 16)


def _add(code, name, kind, parent=None):
    d = Department(code=code, name=name, full_name=f"盐城市{name}", kind=kind, parent_id=parent.id if parent else None)
    db.session.add(d)
    db.session.flush()
    return d


@pytest.fixture
def city(hot):
    """市 12345 centre → 亭湖分中心 (民政局, 住建局 below it) and 盐都分中心 (盐都民政局 below it)."""
    centre = _add("c12345", "市12345中心", "centre")
    a = _add("sub_th", "亭湖分中心", "subcentre", centre)
    b = _add("sub_yd", "盐都分中心", "subcentre", centre)
    for code in ("mzj", "zjj"):
        Department.query.filter_by(code=code).one().parent_id = a.id
    _add("yd_mzj", "盐都民政局", "organ", b)
    db.session.commit()
    return {"a": a, "b": b}


def dep(code):
    return Department.query.filter_by(code=code).one()


def new_ticket(when=at(*MON, 9), content="小区路灯损坏", **data):
    return intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13900001111",
                                 "content": content, "address": "某路 1 号", **data}, channel="phone",
                                received_at=when, now=when, actor="op")


def at_level2(code="mzj", sub="sub_th"):
    """A ticket the centre dispatched to `sub` (Mon 09:10), signed (09:20) and re-dispatched to `code` (09:30)."""
    t = new_ticket()
    intake.dispatch(t, dep(sub), now=at(*MON, 9, 10), actor="op")
    handling.sign(t, now=at(*MON, 9, 20), actor="sub")
    return tiers.redispatch(t, dep(code), now=at(*MON, 9, 30), actor="sub")


def test_end_to_end_each_level_has_its_clocks_and_verdicts(city):
    t = new_ticket()
    intake.dispatch(t, city["a"], now=at(*MON, 9, 10), actor="op")
    assert (t.status, t.status_label, t.subcentre_id, t.department_id) == ("dispatched", "分中心待签收",
                                                                            city["a"].id, city["a"].id)
    sub_sign = clock(t, "sub_sign_for")
    # 2 working hours from 09:10 (DESIGN §3), the sub-centre's own clock; the department's do not run yet
    assert sub_sign.due_at == at(*MON, 11, 10) and sub_sign.department_id == city["a"].id
    assert clock(t, "sign_for") is None and clock(t, "handling") is None
    assert queries.current_clock(t).name == "sub_sign_for"

    handling.sign(t, now=at(*MON, 10), actor="sub")  # on time at level 1
    assert (t.status, t.status_label) == ("signed", "待二次派单")
    assert clock(t, "sub_sign_for").on_time is True and queries.current_clock(t).name == "sub_handling"
    assert t.sign_verdicts == 0  # the department's counters are the department's alone

    tiers.redispatch(t, dep("mzj"), now=at(*MON, 10, 30), actor="sub")
    assert (t.status, t.department.code, t.subcentre.code) == ("dispatched", "mzj", "sub_th")
    # the department's sign-for: 2 working hours from 10:30 = 10:30–12:00 + 13:30–14:00
    assert clock(t, "sign_for").due_at == at(*MON, 14) and clock(t, "sign_for").department_id == dep("mzj").id
    handling.sign(t, now=at(*MON, 14, 30), actor="mzj")  # late at level 2
    assert clock(t, "sign_for").on_time is False and (t.sign_verdicts, t.sign_in_time) == (1, 0)

    reply.reply(t, text="已修复路灯。", now=at(2026, 11, 18, 10), actor="mzj")
    assert (t.status, t.status_label) == ("subcentre_review", "答复待分中心审核")
    assert clock(t, "handling").on_time is True and clock(t, "callback") is None  # not yet the centre's
    assert queries.current_clock(t).name == "sub_handling"

    tiers.review_reply(t, approve=True, note="", now=at(2026, 11, 18, 11), actor="sub")
    assert t.status == "replied"
    assert clock(t, "sub_handling").on_time is True and clock(t, "sub_handling").stop_reason == "replied"
    assert clock(t, "callback") is not None and clock(t, "callback").state == "running"
    # every level's verdict is frozen once: the late sign-for of the department stays late, the sub-centre's on
    # time; no first contact within 1 working day (the reply two days later is the first contact): late
    verdicts = {c.name: c.on_time for c in Clock.query.filter_by(entity_kind="ticket", entity_id=str(t.id))
                if c.state == "stopped"}
    assert verdicts == {"dispatch": True, "sub_sign_for": True, "sign_for": False, "handling": True,
                        "first_contact": False, "sub_handling": True}


def test_a_late_sign_for_at_the_sub_centre_stays_late(city):
    t = new_ticket()
    intake.dispatch(t, city["a"], now=at(*MON, 9, 10), actor="op")
    handling.sign(t, now=at(*MON, 15), actor="sub")  # due 11:10
    tiers.redispatch(t, dep("mzj"), now=at(*MON, 15, 10), actor="sub")
    handling.sign(t, now=at(*MON, 15, 20), actor="mzj")
    reply.reply(t, text="已处理。", now=at(*MON, 16), actor="mzj")
    tiers.review_reply(t, approve=True, note="", now=at(*MON, 16, 30), actor="sub")
    assert clock(t, "sub_sign_for").on_time is False and clock(t, "sign_for").on_time is True


def test_the_sub_centre_sends_a_reply_back_to_its_department(city):
    t = at_level2()
    handling.sign(t, now=at(*MON, 10), actor="mzj")
    reply.reply(t, text="已知悉。", now=at(*MON, 11), actor="mzj")
    with pytest.raises(Exception) as refused:
        tiers.review_reply(t, approve=False, note="", now=at(*MON, 11, 30), actor="sub")
    assert "理由" in str(refused.value.message)
    tiers.review_reply(t, approve=False, note="答复未说明修复时间", now=at(*MON, 11, 30), actor="sub")
    assert (t.status, t.department.code) == ("signed", "mzj") and clock(t, "sub_handling").state == "running"


def test_a_return_at_level_2_goes_back_to_the_sub_centre_not_the_centre(city):
    t = at_level2()
    returns.request_return(t, reason="不属本部门职责", now=at(*MON, 10), actor="mzj")
    assert t.status == "return_review" and clock(t, "handling").state == "paused"
    assert clock(t, "sub_handling").state == "running"  # the sub-centre's own time runs on
    assert returns.pending_list() == []  # not in the centre's review queue
    supervisor, operator = make("supervisor", "sup@x.cn"), make("operator", "op@x.cn")
    staff_a = make("staff", "s@sub-th.cn", "sub_th")
    assert access.can_act(staff_a, t, "return_review") and not access.can_act(operator, t, "return_review")
    assert access.can_act(supervisor, t, "return_review")
    assert t in queries.in_queue(queries.DEPARTMENT_QUEUE, staff_a).all()
    returns.review_return(t, upheld=True, note="", now=at(*MON, 10, 30), actor=staff_a)
    assert (t.status, t.status_label, t.department.code) == ("signed", "待二次派单", "sub_th")
    assert t.return_count == 1 and clock(t, "handling").stop_reason == "returned"
    assert t.signed_at == at(*MON, 9, 20) and tiers.held_by_subcentre(t)
    tiers.redispatch(t, dep("zjj"), now=at(*MON, 11), actor=staff_a)
    assert (t.status, t.department.code) == ("dispatched", "zjj")


def test_a_return_at_level_1_goes_back_to_the_centre(city):
    t = new_ticket()
    intake.dispatch(t, city["a"], now=at(*MON, 9, 10), actor="op")
    returns.request_return(t, reason="属盐都区", now=at(*MON, 9, 30), actor="sub")
    assert clock(t, "sub_sign_for").state == "paused"
    assert [r.id for r, _t in returns.pending_list()] == [returns.pending(t).id]
    returns.review_return(t, upheld=True, note="", now=at(*MON, 10), actor="op")
    assert (t.status, t.department_id, t.subcentre_id) == ("new", None, None)
    assert clock(t, "sub_sign_for").stop_reason == "returned" and clock(t, "dispatch").state == "running"
    intake.dispatch(t, city["b"], now=at(*MON, 10, 10), actor="op")
    assert t.subcentre.code == "sub_yd"


def test_re_dispatch_only_to_the_sub_centres_own_departments(city):
    t = new_ticket()
    intake.dispatch(t, city["a"], now=at(*MON, 9, 10), actor="op")
    with pytest.raises(Exception):
        tiers.redispatch(t, dep("mzj"), now=at(*MON, 9, 20), actor="sub")  # not signed for yet
    handling.sign(t, now=at(*MON, 9, 20), actor="sub")
    for other in ("yd_mzj", "sthjj", "sub_yd"):
        with pytest.raises(Exception) as refused:
            tiers.redispatch(t, dep(other), now=at(*MON, 9, 30), actor="sub")
        assert refused.value.message == "请选择本分中心所辖的承办部门"
    with pytest.raises(Exception) as refused:
        reply.reply(t, text="分中心自己答复", now=at(*MON, 9, 30), actor="sub")
    assert "二次派单" in refused.value.message
    assert [d.code for d in tiers.departments_of(city["a"])] == ["mzj", "zjj"]


def test_a_district_deployment_stays_one_level(hot):
    t = new_ticket()
    intake.dispatch(t, dep("mzj"), now=at(*MON, 9, 10), actor="op")
    handling.sign(t, now=at(*MON, 9, 20), actor="mzj")
    reply.reply(t, text="已处理。", now=at(*MON, 10), actor="mzj")
    assert t.status == "replied" and t.subcentre_id is None and clock(t, "sub_sign_for") is None
    assert tiers.subcentres() == []


def make(role, login, department=None):
    from tests.conftest import make_user
    return make_user(role, login, department=department)


# ---- pages and API: each action, isolation of the districts --------------------------------------------------

def test_each_action_through_page_and_api(app, city):
    staff_a, mzj = make("staff", "s@sub-th.cn", "sub_th"), make("staff", "s@mzj.cn", "mzj")
    sub, dept, op = Visitor(app, staff_a), Visitor(app, mzj), Visitor(app, make("operator", "op@x.cn"))
    t1, t2 = new_ticket(), new_ticket(content="第二件")
    when = at(*MON, 9, 10)
    with pinned(app, when):
        page = op.page.post(f"/hotline/tickets/{t1.id}/dispatch", data={"csrf_token": op.token,
                                                                         "department": "sub_th"})
    assert page.status_code == 302
    assert op.api.post(f"/api/v1/tickets/{t2.id}/dispatch", json={"department": "sub_th", "at": when.isoformat()},
                       headers=op.headers).status_code == 200
    for step, page_data, api_body, state in [
            ("sign", {}, {}, "signed"),
            ("redispatch", {"department": "mzj"}, {"department": "mzj"}, "dispatched")]:
        with pinned(app, at(*MON, 9, 30)):
            assert sub.page.post(f"/hotline/tickets/{t1.id}/{step}",
                                 data={"csrf_token": sub.token, **page_data}).status_code == 302
        assert sub.api.post(f"/api/v1/tickets/{t2.id}/{step}", json={**api_body, "at": at(*MON, 9, 30).isoformat()},
                            headers=sub.headers).status_code == 200
        db.session.expire_all()
        assert db.session.get(Ticket, t1.id).status == db.session.get(Ticket, t2.id).status == state
    for t in (t1, t2):
        handling.sign(db.session.get(Ticket, t.id), now=at(*MON, 10), actor="mzj")
        reply.reply(db.session.get(Ticket, t.id), text="已修复。", now=at(*MON, 11), actor="mzj")
    # the department's page offers no review; the sub-centre's does, and its queue lists both
    assert "审核部门答复" not in dept.page.get(f"/hotline/tickets/{t1.id}").get_data(as_text=True)
    assert "审核部门答复" in sub.page.get(f"/hotline/tickets/{t1.id}").get_data(as_text=True)
    listed = sub.page.get("/hotline/queue").get_data(as_text=True)
    assert t1.number in listed and t2.number in listed
    assert t1.number not in dept.page.get("/hotline/queue").get_data(as_text=True)
    # refused input: the page comes back (400) with the message, the API answers 400 on the field
    with pinned(app, at(*MON, 11, 30)):
        refused = sub.page.post(f"/hotline/tickets/{t1.id}/subcentre_review",
                                data={"csrf_token": sub.token, "approve": "0", "note": ""})
        assert refused.status_code == 400 and "退回部门时请写明理由" in refused.get_data(as_text=True)
        assert sub.page.post(f"/hotline/tickets/{t1.id}/subcentre_review",
                             data={"csrf_token": sub.token, "approve": "1"}).status_code == 302
    bad = sub.api.post(f"/api/v1/tickets/{t2.id}/subcentre-review", json={"approve": "yes"}, headers=sub.headers)
    assert bad.status_code == 400 and bad.get_json()["fields"].keys() == {"approve"}
    assert sub.api.post(f"/api/v1/tickets/{t2.id}/subcentre-review", json={"approve": True,
                        "at": at(*MON, 11, 30).isoformat()}, headers=sub.headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(Ticket, t1.id).status == db.session.get(Ticket, t2.id).status == "replied"
    shown = sub.api.get(f"/api/v1/tickets/{t2.id}", headers=sub.headers).get_json()
    assert shown["subcentre"] == "sub_th" and {"sub_sign_for", "sub_handling"} <= {c["name"] for c in shown["clocks"]}


DISTRICT_USERS = {  # label: (role, department)
    "staff of sub-centre A": ("staff", "sub_th"), "approver of sub-centre A": ("approver", "sub_th"),
    "staff of a department of A": ("staff", "mzj"), "approver of a department of A": ("approver", "mzj"),
    "staff of sub-centre B": ("staff", "sub_yd"), "approver of sub-centre B": ("approver", "sub_yd"),
    "staff of a department of B": ("staff", "yd_mzj"),
}
SEES = {"A": {"staff of sub-centre A", "approver of sub-centre A", "staff of a department of A",
              "approver of a department of A"},
        "B": {"staff of sub-centre B", "approver of sub-centre B", "staff of a department of B"}}


@pytest.mark.parametrize("label", list(DISTRICT_USERS))
def test_a_district_never_sees_another_districts_tickets(app, city, label):
    user = make_people({label: DISTRICT_USERS[label]})[label]
    tickets = {"A": at_level2("mzj", "sub_th"), "B": at_level2("yd_mzj", "sub_yd")}
    db.session.commit()
    visitor = Visitor(app, user)
    queue = visitor.page.get("/hotline/queue").get_data(as_text=True)
    listed = {i["id"] for i in visitor.api.get("/api/v1/tickets", headers=visitor.headers).get_json()["items"]}
    channels = set(access.live_channels(user))
    for district, t in tickets.items():
        sees = label in SEES[district]
        assert access.can_view(user, t) is sees
        assert (visitor.page.get(f"/hotline/tickets/{t.id}").status_code == 200) is sees
        assert visitor.reads_in_api("/api/v1/tickets", t.id) is sees and (t.id in listed) is sees
        assert sees or t.number not in queue  # (a sub-centre's queue lists what it must act on: its reviews)
        # live events: a change of the ticket reaches this user's stream only if the user may see it
        change = {"status": "dispatched", "now_status": "signed", "department": t.department_id,
                  "now_department": t.department_id, "subcentre": t.subcentre_id, "urgent": False}
        heard = {channel for channel, _kind, _data in live.messages(t.id, change)} & channels
        assert bool(heard) is sees, (district, heard)


EXPECTED = {  # who may do what on a ticket a department of sub-centre A (mzj) has after the 二次派单
    "operator": {"dispatch", "direct_close", "transfer", "urge", "callback", "merge"},
    "staff of sub-centre A": {"redispatch", "subcentre_review", "return_review"},
    "approver of sub-centre A": {"redispatch", "subcentre_review", "return_review"},
    "staff of the department": {"sign", "return", "extension_request", "reply", "contact"},
    "approver of the department": {"sign", "return", "extension_request", "reply", "contact", "sign_off"},
    "staff of sub-centre B": set(), "staff of a department of B": set(),
    "supervisor": {"dispatch", "direct_close", "transfer", "urge", "callback", "merge", "return_review", "sign",
                   "return", "extension_request", "reply", "sign_off", "extension_decision", "review",
                   "redispatch", "subcentre_review"},
    "admin": {"dispatch", "direct_close", "transfer", "urge", "callback", "merge", "return_review", "sign",
              "return", "extension_request", "reply", "extension_decision", "review", "redispatch",
              "subcentre_review"},
    "citizen": set(),
}
MATRIX_USERS = {
    "operator": ("operator", None), "staff of sub-centre A": ("staff", "sub_th"),
    "approver of sub-centre A": ("approver", "sub_th"), "staff of the department": ("staff", "mzj"),
    "approver of the department": ("approver", "mzj"), "staff of sub-centre B": ("staff", "sub_yd"),
    "staff of a department of B": ("staff", "yd_mzj"), "supervisor": ("supervisor", None),
    "admin": ("admin", None), "citizen": ("citizen", None),
}
ACTIONS = sorted(set().union(*EXPECTED.values()))


@pytest.mark.parametrize("label", list(MATRIX_USERS))
def test_every_action_as_every_role_of_both_districts(app, city, label):
    visitor = Visitor(app, make_people({label: MATRIX_USERS[label]})[label])
    check(label, EXPECTED[label], [
        (action, visitor.post_page(f"/hotline/tickets/{at_level2().id}/{action}"),
         visitor.post_api(f"/api/v1/tickets/{at_level2().id}/{action.replace('_', '-')}", {}))
        for action in ACTIONS])


def test_the_centre_sees_what_each_sub_centre_holds(app, city):
    held = new_ticket()
    intake.dispatch(held, city["a"], now=at(*MON, 9, 10), actor="op")
    at_level2("yd_mzj", "sub_yd")
    rows = {r["subcentre"].code: r for r in tiers.holdings(at(*MON, 12))}
    assert rows["sub_th"]["count"] == 1 and rows["sub_th"]["overdue"] == 1  # sign-for due 11:10
    assert rows["sub_yd"]["count"] == 1 and rows["sub_yd"]["overdue"] == 0
    client = Visitor(app, make("supervisor", "sup@x.cn")).page
    with pinned(app, at(*MON, 12)):
        page = client.get("/hotline/subcentres").get_data(as_text=True)
    assert "亭湖分中心" in page and "盐都分中心" in page and held.number in page
    assert "分中心在办" in client.get("/hotline/dispatch").get_data(as_text=True)
    staff = Visitor(app, make("staff", "s@mzj.cn", "mzj")).page
    assert staff.get("/hotline/subcentres").status_code == 403


def test_the_audit_names_each_level(city):
    t = at_level2()
    actions = [e.action for e in AuditEvent.query.filter_by(entity_kind="ticket", entity_id=str(t.id))
               .order_by(AuditEvent.id)]
    assert actions[-3:] == ["dispatch", "sign", "redispatch"]


def test_admins_build_the_tree_on_the_department_form(app, hot):
    from core.departments import service
    from tests.conftest import csrf_from, login
    make("admin", "admin@x.cn")
    client = app.test_client()
    login(client, "admin@x.cn")
    token = csrf_from(client.get("/admin/departments/new").get_data(as_text=True))
    form = {"csrf_token": token, "code": "sub_th", "name": "亭湖分中心", "full_name": "盐城市12345亭湖区分中心",
            "kind": "subcentre", "reconsideration_body": "盐城市亭湖区人民政府", "parent": "", "active": "y"}
    assert client.post("/admin/departments/new", data=form).status_code == 302
    sub = dep("sub_th")
    assert sub.kind == "subcentre" and sub.parent_id is None
    edit = client.get("/admin/departments/mzj/edit").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(edit), "code": "mzj", "name": "民政局", "full_name": "盐城市亭湖区民政局",
              "kind": "organ", "reconsideration_body": "盐城市亭湖区人民政府", "active": "y"}
    refused = client.post("/admin/departments/mzj/edit", data={**fields, "parent": "nosuch\x00"})
    assert refused.status_code == 200 and "没有代码为" in refused.get_data(as_text=True)
    assert client.post("/admin/departments/mzj/edit", data={**fields, "parent": "sub_th"}).status_code == 302
    assert dep("mzj").parent_id == sub.id and [d.code for d in tiers.departments_of(sub)] == ["mzj"]
    with pytest.raises(Exception) as cycle:
        service.update_department(sub, {"parent": "mzj"}, now=at(*MON, 9), actor="admin")
    assert cycle.value.message == "上级机构不能是本部门或其下级"


def test_the_city_demo_is_optional(app, hot):
    runner = app.test_cli_runner()
    assert tiers.subcentres() == []  # `flask seed --demo` (make run): the district deployment
    out = runner.invoke(args=["seed", "--demo", "--city"])
    assert out.exit_code == 0 and "全市两级派单演示" in out.output and "亭湖分中心承办人" in out.output
    assert [s.code for s in tiers.subcentres()] == ["sub_th", "sub_yd"]
    below = {d.code for d in tiers.departments_of(dep("sub_th"))}
    assert {"mzj", "zjj", "wxjd"} <= below and "yd_zjj" not in below
    assert [d.code for d in tiers.departments_of(dep("sub_yd"))] == ["yd_zjj"]
    assert runner.invoke(args=["seed", "--demo", "--city"]).exit_code == 0  # idempotent
    assert Department.query.filter_by(code="sub_th").count() == 1


def test_live_queue_events_stay_inside_the_district(city):
    """The real event streams (core/live.py, in-process): every step of a district A ticket reaches sub-centre A
    (and its department once it has the ticket), never district B's staff."""
    from tests.hotline.test_live_queues import _listen
    sub_a, mzj = make("staff", "s@sub-th.cn", "sub_th"), make("staff", "s@mzj.cn", "mzj")
    sub_b, yd = make("staff", "s@sub-yd.cn", "sub_yd"), make("staff", "s@yd.cn", "yd_mzj")
    streams, heard = _listen(sub_a, mzj, sub_b, yd)
    try:
        t = new_ticket()
        heard()
        steps = [lambda: intake.dispatch(t, city["a"], now=at(*MON, 9, 10), actor="op"),
                 lambda: handling.sign(t, now=at(*MON, 9, 20), actor=sub_a),
                 lambda: tiers.redispatch(t, dep("mzj"), now=at(*MON, 9, 30), actor=sub_a),
                 lambda: handling.sign(t, now=at(*MON, 9, 40), actor=mzj),
                 lambda: reply.reply(t, text="已修复。", now=at(*MON, 10), actor=mzj),
                 lambda: tiers.review_reply(t, approve=True, note="", now=at(*MON, 10, 30), actor=sub_a)]
        for step in steps:
            step()
            got = heard()
            assert got[sub_a.id] and got[sub_b.id] == [] and got[yd.id] == [], got
    finally:
        for stream in streams.values():
            stream.close()


def test_the_caller_reads_the_answer_once_the_sub_centre_passed_it(city):
    t = at_level2()
    handling.sign(t, now=at(*MON, 10), actor="mzj")
    reply.reply(t, text="已修复。", now=at(*MON, 11), actor="mzj")
    steps = [(s["label"], s["text"]) for s in queries.citizen_steps(t)]
    assert ("派单", "派单至亭湖分中心") in steps and ("派单", "派单至民政局") in steps
    assert "答复" not in [label for label, _text in steps]
    tiers.review_reply(t, approve=True, note="", now=at(*MON, 11, 30), actor="sub")
    assert ("答复", "承办单位已答复") in [(s["label"], s["text"]) for s in queries.citizen_steps(t)]
