"""Two staff acting on the same item at the same moment (two real requests in two threads, each with
its own database session and transaction, on PostgreSQL): exactly one succeeds, the other is told
the item was just changed (409), and nothing is done twice."""
import threading
from datetime import timedelta

import pytest

from core.audit import AuditEvent
from core.extensions import db
from tests.conftest import make_user, pinned
from tests.requests.helpers import DISCLOSED
from tests.waiting import PATIENCE

MESSAGE = "该事项刚被他人修改，请刷新页面后重试。"


@pytest.fixture
def shared_db(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server both requests share (the SQLite test database is in memory)")
    return app


def _together(monkeypatch, module, name):
    """Make both requests load the item before either of them writes (a barrier before the use case)."""
    barrier, real = threading.Barrier(2, timeout=PATIENCE), getattr(module, name)

    def at_the_same_time(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, at_the_same_time)


def _race(app, calls):
    results = [None] * len(calls)

    def run(i, url, body, headers):
        results[i] = app.test_client().post(url, json=body, headers=headers)
    threads = [threading.Thread(target=run, args=(i, *c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _bearer(user, now):
    from core.auth.service import create_token
    return {"Authorization": "Bearer " + create_token(user, now=now)[0]}


def test_two_staff_sign_the_same_ticket(shared_db, seeded, now, monkeypatch):
    from core.departments.models import Department
    from hotline import handling, intake
    from hotline.models import Ticket
    from hotline.seed import seed_categories
    seed_categories()
    ticket = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                                   "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                                  received_at=now, now=now, actor="op")
    intake.dispatch(ticket, Department.query.filter_by(code="sthjj").one(), now=now, actor="op")
    a, b = make_user("staff", "a@hbj.cn", department="sthjj"), make_user("staff", "b@hbj.cn", department="sthjj")
    db.session.commit()
    _together(monkeypatch, handling, "sign")
    url = f"/api/v1/tickets/{ticket.id}/sign"
    results = _race(shared_db, [(url, {}, _bearer(a, now)), (url, {}, _bearer(b, now))])
    assert sorted(r.status_code for r in results) == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.get_json() == {"error": "conflict", "message": MESSAGE}
    db.session.expire_all()
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == "signed" and ticket.sign_verdicts == 1
    assert AuditEvent.query.filter_by(entity_kind="ticket", entity_id=str(ticket.id), action="sign").count() == 1


def test_two_staff_reply_to_the_same_application(shared_db, seeded, now, monkeypatch):
    from requests_module import reply
    from requests_module.models import DisclosureRequest
    from tests.requests.helpers import received
    req = received(now.date())
    a, b = make_user("staff", "a@mzj.cn", department="mzj"), make_user("staff", "b@mzj.cn", department="mzj")
    db.session.commit()
    _together(monkeypatch, reply, "reply")
    url = f"/api/v1/disclosure-requests/{req.id}/reply"
    body = {"outcome": "disclosed", **DISCLOSED, "text": "答复如下。"}
    results = _race(shared_db, [(url, {**body, "text": "甲的答复。"}, _bearer(a, now)),
                                (url, {**body, "text": "乙的答复。"}, _bearer(b, now))])
    assert sorted(r.status_code for r in results) == [200, 409]
    assert next(r for r in results if r.status_code == 409).get_json()["message"] == MESSAGE
    db.session.expire_all()
    req = db.session.get(DisclosureRequest, req.id)
    assert req.status in ("closed", "awaiting_signoff") and req.reply_text in ("甲的答复。", "乙的答复。")
    assert AuditEvent.query.filter(AuditEvent.entity_kind == "disclosure_request",
                                   AuditEvent.entity_id == str(req.id),
                                   AuditEvent.action.in_(("reply", "reply_drafted"))).count() == 1


def test_staff_and_approver_give_the_same_supervision_feedback_at_once(shared_db, seeded, now, monkeypatch):
    """Two feedbacks on one 督办单 at the same moment: one is recorded, the other refused (409) — never both,
    never one text silently overwriting the other (core.db.claim_once)."""
    from core.departments.models import Department
    from hotline import intake, supervision
    from hotline.models import SupervisionOrder
    from hotline.seed import seed_categories
    seed_categories()
    ticket = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                                   "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                                  received_at=now, now=now, actor="op")
    intake.dispatch(ticket, Department.query.filter_by(code="sthjj").one(), now=now, actor="op")
    order = supervision.issue(ticket, reason="请说明进展", now=now, actor=make_user("supervisor", "sup@x.cn"))
    a, b = make_user("staff", "a@hbj.cn", department="sthjj"), make_user("approver", "b@hbj.cn", department="sthjj")
    db.session.commit()
    _together(monkeypatch, supervision, "feedback")
    url = f"/api/v1/tickets/{ticket.id}/supervision-orders/{order.id}/feedback"
    results = _race(shared_db, [(url, {"feedback": "甲的反馈"}, _bearer(a, now)),
                                (url, {"feedback": "乙的反馈"}, _bearer(b, now))])
    assert sorted(r.status_code for r in results) == [200, 409]
    db.session.expire_all()
    kept = db.session.get(SupervisionOrder, order.id).feedback
    winner = next(r for r in results if r.status_code == 200)
    assert kept in ("甲的反馈", "乙的反馈") and AuditEvent.query.filter_by(
        entity_kind="ticket", entity_id=str(ticket.id), action="supervision_feedback").count() == 1
    assert winner.status_code == 200


def test_two_staff_of_a_sub_centre_sign_for_the_same_ticket(shared_db, seeded, now, monkeypatch):
    """Two-level dispatch (hotline/tiers.py): the sub-centre's double 签收 is one sign-for, one frozen verdict of
    its own clock."""
    from core.clocks.models import Clock
    from core.departments.models import Department
    from hotline import handling, intake
    from hotline.models import Ticket
    from hotline.seed import seed_categories
    seed_categories()
    sub = Department(code="sub_th", name="亭湖分中心", full_name="盐城市12345亭湖区分中心", kind="subcentre")
    db.session.add(sub)
    db.session.commit()
    ticket = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                                   "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                                  received_at=now, now=now, actor="op")
    intake.dispatch(ticket, sub, now=now, actor="op")
    a, b = make_user("staff", "a@sub.cn", department="sub_th"), make_user("approver", "b@sub.cn", department="sub_th")
    db.session.commit()
    _together(monkeypatch, handling, "sign")
    url, body = f"/api/v1/tickets/{ticket.id}/sign", {}
    with pinned(shared_db, now + timedelta(minutes=30)):  # the server's clock: signed half an hour after dispatch
        results = _race(shared_db, [(url, body, _bearer(a, now)), (url, body, _bearer(b, now))])
    assert sorted(r.status_code for r in results) == [200, 409]
    db.session.expire_all()
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == "signed" and ticket.subcentre_signed_at == now + timedelta(minutes=30)
    assert AuditEvent.query.filter_by(entity_kind="ticket", entity_id=str(ticket.id), action="sign").count() == 1
    stopped = Clock.query.filter_by(entity_kind="ticket", entity_id=str(ticket.id), name="sub_sign_for").one()
    assert stopped.state == "stopped" and stopped.on_time is True
