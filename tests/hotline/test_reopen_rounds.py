"""重办 keeps every round (issue 16 item 6): an Answer per reply and 直接办结 with its callback verdict,
the ticket page and API show all rounds, and the public record follows the rounds — the earlier answer
leaves every public output on 重办, the new one is public only after its review. Confidential tickets
are never published."""
import pytest

from core.departments.models import Department
from core.extensions import db
from hotline import callback, handling, intake, reply
from hotline.models import Answer, Ticket
from public_log import review
from public_log.indexing import search_catch_up
from public_log.models import PublicRecord, PublicSearchDoc
from tests.conftest import at, login, make_user

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}
FIRST, SECOND = "已责令工地停止夜间施工作业", "经复查已立案处罚并安装噪声监测设备"


@pytest.fixture
def people(hot):
    return {"sup": make_user("supervisor", "sup@x.cn"), "rev": make_user("supervisor", "rev@x.cn"),
            "staff": make_user("staff", "s@x.cn", department="sthjj")}


def replied(people, text, when, t=None, **changes):
    dep = Department.query.filter_by(code="sthjj").one()
    if t is None:
        t = intake.create_ticket({**CALL, **changes}, channel="phone", received_at=when, now=when, actor="op")
    intake.dispatch(t, dep, now=when, actor="op")
    handling.sign(t, now=when.replace(minute=10), actor=people["staff"])
    reply.reply(t, text=text, now=when.replace(minute=30), actor=people["staff"])
    return t


def reopened(people, t, when):
    callback.record_callback(t, reached=True, resolved=False, satisfaction="unsatisfied", comment="仍有噪声",
                             now=when, actor="op")
    callback.review(t, reopen=True, reason="诉求合理，重办", now=when.replace(minute=30), actor=people["sup"])
    return t


def public_outputs(client, t, record):
    """Everything the public can read of this ticket's answer, concatenated."""
    return "".join([client.get(f"/log/{record.public_id}").get_data(as_text=True),
                    client.get(f"/api/v1/log/{record.public_id}").get_data(as_text=True),
                    client.get("/api/v1/log").get_data(as_text=True),
                    client.get("/log/").get_data(as_text=True),
                    client.get("/log/feed.atom").get_data(as_text=True),
                    client.get(f"/open311/v2/requests/{t.number}.json").get_data(as_text=True)])


def test_every_round_is_kept_with_its_verdict(people):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0))
    [a1] = Answer.query.filter_by(ticket_id=t.id).all()
    assert (a1.round, a1.text, a1.direct, a1.department.code, a1.author_id) == (1, FIRST, False, "sthjj",
                                                                              people["staff"].id)
    assert a1.replied_at == at(2026, 11, 16, 9, 30)
    reopened(people, t, at(2026, 11, 17, 10, 0))
    assert (a1.satisfaction, a1.resolved, a1.superseded_at) == ("unsatisfied", False, at(2026, 11, 17, 10, 30))
    assert t.reopen_count == 1 and t.reply_text is None
    replied(people, SECOND, at(2026, 11, 18, 9, 0), t=t)
    callback.record_callback(t, reached=True, resolved=True, satisfaction="basic", now=at(2026, 11, 19, 9),
                             actor="op")
    rounds = Answer.query.filter_by(ticket_id=t.id).order_by(Answer.round).all()
    assert [(a.round, a.text, a.satisfaction, a.resolved, a.superseded_at is None) for a in rounds] == [
        (1, FIRST, "unsatisfied", False, False), (2, SECOND, "basic", True, True)]
    assert t.status == "closed"


def test_direct_close_is_a_round_too(people):
    t = intake.create_ticket({**CALL, "type": "inquiry"}, channel="phone", received_at=at(2026, 11, 16, 9),
                             now=at(2026, 11, 16, 9), actor="op")
    intake.direct_close(t, answer="办理时间为工作日 9:00-17:00", now=at(2026, 11, 16, 9, 5), actor=people["sup"])
    [a] = Answer.query.filter_by(ticket_id=t.id).all()
    assert (a.round, a.direct, a.department_id, a.author_id) == (1, True, None, people["sup"].id)
    callback.record_callback(t, reached=True, resolved=True, satisfaction="satisfied", now=at(2026, 11, 16, 10),
                             actor="op")
    assert a.satisfaction == "satisfied"


def test_reopen_replaces_the_public_record_only_after_review(app, client, people):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0))
    record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
    review.approve_publication(record, now=at(2026, 11, 16, 14), actor=people["rev"], confirmed=True)
    search_catch_up(at(2026, 11, 16, 14, 1))  # the periodic index catch-up, in case the job is queued
    assert FIRST in public_outputs(client, t, record)
    assert db.session.get(PublicSearchDoc, record.id) is not None
    assert client.get("/api/v1/log", query_string={"q": "夜间施工"}).get_json()["total"] == 1

    reopened(people, t, at(2026, 11, 17, 10, 0))
    db.session.refresh(record)
    assert record.status == "withdrawn"
    assert client.get(f"/log/{record.public_id}").status_code == 410
    assert client.get(f"/api/v1/log/{record.public_id}").status_code == 410
    assert FIRST not in public_outputs(client, t, record)  # gone from pages, JSON, feed and Open311
    assert client.get(f"/open311/v2/requests/{t.number}.json").get_json()[0]["status_notes"] is None
    search_catch_up(at(2026, 11, 17, 10, 31))
    assert db.session.get(PublicSearchDoc, record.id) is None
    assert client.get("/api/v1/log", query_string={"q": "夜间施工"}).get_json()["total"] == 0

    replied(people, SECOND, at(2026, 11, 18, 9, 0), t=t)
    db.session.refresh(record)
    assert record.status == "pending" and record.original_reply == SECOND and record.published_at is None
    assert PublicRecord.query.filter_by(kind="hotline", source_id=t.id).count() == 1  # same permalink
    assert record in review.pending(people["rev"])  # back in the review queue
    out = public_outputs(client, t, record)
    assert SECOND not in out and FIRST not in out  # nothing public before review
    assert client.get(f"/log/{record.public_id}").status_code == 404

    review.approve_publication(record, now=at(2026, 11, 18, 14), actor=people["rev"], confirmed=True)
    out = public_outputs(client, t, record)
    assert SECOND in out and FIRST not in out
    assert client.get(f"/open311/v2/requests/{t.number}.json").get_json()[0]["status_notes"] == SECOND


def test_reopen_before_review_takes_the_answer_out_of_the_queue(people):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0))
    record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
    assert record.status == "pending"
    reopened(people, t, at(2026, 11, 17, 10, 0))
    db.session.refresh(record)
    assert record.status == "refused" and record not in review.pending(people["rev"])
    replied(people, SECOND, at(2026, 11, 18, 9, 0), t=t)
    db.session.refresh(record)
    assert record.status == "pending" and record.refusal_reason is None and record.original_reply == SECOND


def test_new_answer_is_masked_again(people):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0))
    reopened(people, t, at(2026, 11, 17, 10, 0))
    replied(people, "已联系李四（13800001111）现场核实", at(2026, 11, 18, 9, 0), t=t)
    record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
    assert "13800001111" not in record.reply_text and "李四" not in record.reply_text


def test_confidential_tickets_are_never_published(people):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0), confidential=True)
    reopened(people, t, at(2026, 11, 17, 10, 0))
    replied(people, SECOND, at(2026, 11, 18, 9, 0), t=t)
    assert PublicRecord.query.filter_by(kind="hotline", source_id=t.id).count() == 0
    assert Answer.query.filter_by(ticket_id=t.id).count() == 2


def test_ticket_page_and_api_show_every_round(app, people, api_as):
    t = replied(people, FIRST, at(2026, 11, 16, 9, 0))
    reopened(people, t, at(2026, 11, 17, 10, 0))
    replied(people, SECOND, at(2026, 11, 18, 9, 0), t=t)
    staff = app.test_client()
    assert login(staff, "s@x.cn").status_code == 302
    page = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "历次答复（重办 1 次）" in page and "第 1 轮" in page and "第 2 轮" in page
    assert FIRST in page and SECOND in page and "回访：不满意 · 未解决" in page and "已重办" in page
    body = api_as("supervisor", login="sup2@x.cn").get(f"/tickets/{t.id}").get_json()
    assert [(a["round"], a["text"], a["satisfaction"], a["superseded_at"] is not None) for a in body["answers"]] == [
        (1, FIRST, "unsatisfied", True), (2, SECOND, None, False)]
    assert db.session.get(Ticket, t.id).reply_text == SECOND
