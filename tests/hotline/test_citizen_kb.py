"""The citizen's 12345 form, status page and online rating; the knowledge base and its console hints."""
from datetime import date

import pytest

from core.errors import DomainError, ValidationError
from hotline import handling, intake, knowledge, reply
from hotline.models import Ticket
from tests.conftest import csrf_from, login, make_user
from tests.test_status_lookup import code_from


def submit(client, **changes):
    page = client.get("/hotline/new").get_data(as_text=True)
    data = {"type": "help", "category_code": "020201", "content": "想了解低保申请条件", "caller_phone": "13800003333",
            "csrf_token": csrf_from(page), **changes}
    return client.post("/hotline/new", data=data)


def test_citizen_submits_follows_and_rates(app, client, hot):
    resp = submit(client, urgency="urgent")
    assert resp.status_code == 302
    t = Ticket.query.one()
    assert t.channel == "web" and t.urgency == "normal"  # urgency is for the operator to judge
    receipt = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert t.number in receipt
    stranger = app.test_client()
    assert stranger.get(f"/hotline/my/{t.id}").status_code == 404
    token = csrf_from(stranger.get("/hotline/new").get_data(as_text=True))
    stranger.post("/hotline/lookup", data={"number": t.number, "code": "13800003333", "csrf_token": token})
    assert stranger.get(f"/hotline/my/{t.id}").status_code == 404  # the phone number is no key
    stranger.post("/hotline/lookup", data={"number": t.number, "code": code_from(receipt), "csrf_token": token})
    assert stranger.get(f"/hotline/my/{t.id}").status_code == 200
    from core.departments.models import Department
    now = t.received_at
    intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=now, actor="op")
    handling.sign(t, now=now, actor="s")
    reply.reply(t, text="低保申请条件如下……", now=now, actor="s")
    page = client.get(f"/hotline/my/{t.id}").get_data(as_text=True)
    assert "低保申请条件如下" in page and "请评价本次办理" in page
    client.post(f"/hotline/my/{t.id}/rate", data={"resolved": "1", "satisfaction": "basic", "csrf_token": csrf_from(page)})
    from core.extensions import db
    db.session.remove()
    t = db.session.get(Ticket, t.id)
    assert t.status == "closed" and t.satisfaction == "basic" and t.callbacks[0].online


def test_citizen_form_errors(client, hot):
    resp = submit(client, content="", category_code="")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请填写诉求内容" in html and "请选择有效的事项分类" in html


def test_knowledge_base_propose_publish_search(client, hot, now):
    staff = make_user("staff", "s@x.cn", department="mzj")
    sup = make_user("supervisor", "sup@x.cn")
    with pytest.raises(ValidationError):
        knowledge.propose(question="", answer="", now=now, actor=staff)
    e = knowledge.propose(question="城乡低保如何申请？", answer="向户籍所在地镇（街道）提出申请……", now=now, actor=staff,
                          valid_until=date(2026, 12, 31))
    assert knowledge.search("我想申请低保") == []  # drafts are not suggested
    with pytest.raises(DomainError):
        knowledge.set_status(e, "published", now=now, actor=staff)
    knowledge.set_status(e, "published", now=now, actor=sup)
    assert knowledge.search("我想申请低保", today=date(2026, 11, 20)) == [e]
    assert knowledge.search("我想申请低保", today=date(2027, 1, 1)) == []  # expired
    assert knowledge.search("噪声扰民") == []
    lasting = knowledge.propose(question="居住证怎么办理？", answer="持身份证到派出所……", now=now, actor=staff)
    knowledge.set_status(lasting, "published", now=now, actor=sup)
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    hint = client.get("/hotline/console/suggest", query_string={"content": "请问居住证去哪里办理"}).get_data(as_text=True)
    assert "知识库答复" in hint and "居住证怎么办理" in hint
    page = client.get("/hotline/kb/?q=低保").get_data(as_text=True)
    assert "城乡低保如何申请" in page
    assert client.post(f"/hotline/kb/{e.id}/retired", data={"csrf_token": csrf_from(page)}).status_code == 403
