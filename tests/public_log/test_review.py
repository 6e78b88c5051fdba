"""Replies enter publication review masked; reviewers (never the author) publish, edit, refuse, withdraw;
confidential tickets and applicants who declined never enter the queue."""
from datetime import date

import pytest

from core.audit import AuditEvent
from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from hotline import handling
from hotline import intake as hotline_intake
from hotline import reply as hotline_reply
from hotline.seed import seed_categories
from public_log import review
from public_log.models import PublicRecord
from requests_module import reply as request_reply
from tests.conftest import at, make_user
from tests.requests.helpers import DISCLOSED, noon, received


def test_disclosure_reply_with_consent_is_queued_masked(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 9, 28), actor=staff, description="本人张三（电话13800001111）申请公开低保名单")
    request_reply.reply(req, outcome="disclosed", **DISCLOSED, text="张三您好，现将名单提供给您。", on=date(2026, 10, 9),
                        now=noon(date(2026, 10, 9)), actor=staff)
    record = PublicRecord.query.one()
    assert record.status == "pending" and record.public_id == f"GK-2026-{record.id:06d}"
    assert "13800001111" not in record.request_text and "张三" not in record.request_text + record.reply_text
    assert "张三" in record.original_request  # the reviewer sees the original beside the masked text
    assert {m["kind"] for m in record.maskings} >= {"姓名", "手机号"}


def test_declined_consent_and_confidential_tickets_never_enter(seeded):
    seed_categories()
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 9, 28), actor=staff, publish_consent="")
    request_reply.reply(req, outcome="disclosed", **DISCLOSED, text="x", on=date(2026, 10, 9), now=noon(date(2026, 10, 9)),
                        actor=staff)
    t = hotline_intake.create_ticket({"type": "help", "category_code": "020201", "content": "保密诉求",
                                      "confidential": "y"}, channel="phone", received_at=at(2026, 11, 16, 9),
                                     now=at(2026, 11, 16, 9), actor="op")
    hotline_intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 9, 5), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 10), actor=staff)
    hotline_reply.reply(t, text="已答复", now=at(2026, 11, 16, 10), actor=staff)
    assert PublicRecord.query.count() == 0


def test_review_rules(seeded):
    seed_categories()
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    other_approver = make_user("approver", "b@x.cn", department="zjj")
    sup = make_user("supervisor", "sup@x.cn")
    t = hotline_intake.create_ticket({"type": "inquiry", "category_code": "020201", "caller_name": "王五",
                                      "caller_phone": "13911112222", "content": "王五咨询低保，电话13911112222"},
                                     channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                                     actor="op")
    hotline_intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 9, 5), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 10), actor=approver)
    hotline_reply.reply(t, text="王五您好：低保向镇街申请。", now=at(2026, 11, 16, 10), actor=approver)
    record = PublicRecord.query.one()
    assert review.pending(approver) == [] and review.pending(other_approver) == []  # author; other department
    assert review.pending(sup) == [record] and review.pending(staff) == []
    with pytest.raises(DomainError):
        review.approve_publication(record, now=at(2026, 11, 17, 9), actor=approver, confirmed=True)
    with pytest.raises(ValidationError):
        review.refuse(record, reason="", now=at(2026, 11, 17, 9), actor=sup)
    # An edit that masking changes is saved masked, not published: the reviewer looks again.
    with pytest.raises(review.ReviewAgain):
        review.approve_publication(record, reply_text="您好：低保向户籍所在镇街申请，咨询电话13800005555。",
                       now=at(2026, 11, 17, 9), actor=sup, confirmed=True)
    record = db.session.get(PublicRecord, record.id)
    assert record.status == "pending" and record.reply_text == "您好：低保向户籍所在镇街申请，咨询电话138****5555。"
    review.approve_publication(record, now=at(2026, 11, 17, 9, 5), actor=sup, confirmed=True)  # exactly what was approved
    assert record.status == "published" and record.reply_text.endswith("138****5555。")
    with pytest.raises(DomainError):
        review.withdraw(record, reason="x", now=at(2026, 11, 18, 9), actor=approver)
    review.withdraw(record, reason="涉及未公开事项", now=at(2026, 11, 18, 9), actor=sup)
    assert record.status == "withdrawn"
    actions = [e.action for e in AuditEvent.query.filter_by(entity_kind="public_record").order_by(AuditEvent.id)]
    assert actions == ["queued", "edited", "published", "withdrawn"]
