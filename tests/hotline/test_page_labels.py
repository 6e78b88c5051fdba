"""The hotline pages take their labels from the code (issue 17 item 4): the 督办单 state badges
(hotline/supervision.py STATES), the knowledge-base entry states (hotline/knowledge.py STATUS_LABELS) and the
紧急 badge of an urgent ticket (hotline/sla.py urgency_badge) — the same text as the inline dicts they replace."""
from core.departments.models import Department
from core.extensions import db
from hotline import intake, knowledge, sla, supervision
from tests.conftest import at, login, make_user, pinned

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def _dispatched(**changes):
    received = at(2026, 11, 16, 9, 0)
    t = intake.create_ticket({**CALL, **changes}, channel="phone", received_at=received, now=received, actor="op")
    intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=received, actor="op")
    return t


def test_every_supervision_state_has_a_label_and_a_badge():
    assert {code: label for code, (label, _) in supervision.STATES.items()} == {
        "open": "待反馈", "overdue": "反馈超期", "escalated": "已升级督办", "answered": "已按时反馈",
        "answered_late": "逾期反馈", "withdrawn": "已撤销（工单已不由该部门承办）"}
    assert supervision.state_badge("answered") == "bg-success"
    assert supervision.state_badge("answered_late") == "bg-warning text-dark"
    assert {supervision.state_badge(c) for c in ("overdue", "escalated")} == {"bg-danger"}


def test_urgency_badge_only_for_urgent_tickets():
    assert sla.urgency_badge("urgent") == "紧急" and sla.urgency_badge("normal") == ""


def test_supervision_badges_and_the_urgent_badge_on_the_pages(app, hot):
    make_user("supervisor", "sup@x.cn")
    staff = make_user("staff", "s@x.cn", department="sthjj")
    t = _dispatched(urgency="urgent")
    order = supervision.issue(t, reason="群众反映多次未果", now=at(2026, 11, 16, 10, 0),
                              actor=make_user("supervisor", "sup2@x.cn"))
    sup = app.test_client()
    assert login(sup, "sup@x.cn").status_code == 302
    with pinned(app, at(2026, 11, 16, 10, 30)):
        page = sup.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
        assert '<span class="badge bg-secondary">待反馈</span>' in page
        assert '<span class="badge bg-danger">紧急</span>' in page
        listing = sup.get("/hotline/supervision?state=all").get_data(as_text=True)
        assert order.number in listing and '<span class="badge bg-secondary">待反馈</span>' in listing
    supervision.feedback(order, text="已约谈施工单位", now=at(2026, 11, 16, 11, 0), actor=staff)
    with pinned(app, at(2026, 11, 16, 11, 30)):
        listing = sup.get("/hotline/supervision?state=all").get_data(as_text=True)
        assert '<span class="badge bg-success">已按时反馈</span>' in listing
        dept = app.test_client()
        login(dept, "s@x.cn")
        queue = dept.get("/hotline/queue").get_data(as_text=True)
        assert t.number in queue and '投诉 <span class="badge bg-danger">紧急</span>' in queue


def test_a_normal_ticket_has_no_urgent_badge(app, hot):
    make_user("supervisor", "sup@x.cn")
    t = _dispatched()
    sup = app.test_client()
    login(sup, "sup@x.cn")
    page = sup.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert t.number in page and '<span class="badge bg-danger">紧急</span>' not in page


def test_knowledge_base_page_names_drafts_and_retired_entries(app, hot):
    boss = make_user("supervisor", "sup@x.cn")
    now = at(2026, 11, 16, 9, 0)
    knowledge.propose(question="低保怎么申请", answer="向户籍所在地镇街申请。", now=now, actor=boss)
    retired = knowledge.propose(question="居住证怎么办", answer="到派出所办理。", now=now, actor=boss)
    knowledge.set_status(retired, "published", now=now, actor=boss)
    knowledge.set_status(retired, "retired", now=now, actor=boss)
    client = app.test_client()
    login(client, "sup@x.cn")
    page = client.get("/hotline/kb/").get_data(as_text=True)
    assert '低保怎么申请 <span class="badge bg-secondary">待发布</span>' in page
    assert '居住证怎么办 <span class="badge bg-secondary">已停用</span>' in page
    assert db.session.get(type(retired), retired.id).status == "retired"
