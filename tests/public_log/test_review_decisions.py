"""What the reviewer decides is exactly what is published (issue 13): official contact data is never
masked; a reviewer restores a masked span with a reason or masks a span the engine missed, through
the page and through the API with the same answer, audited; corrections (text and note) go through
the same masking, and the correction banner appears only when the public text changed."""
import pytest

from core.audit import AuditEvent
from core.departments.models import Department
from core.extensions import db
from public_log import review
from public_log.models import PublicRecord
from tests.conftest import at, csrf_from, login, make_user
from tests.public_log.helpers import publish, queue

OFFICE_LINE, OFFICE_MAIL = "0515-88886666", "mzj@tinghu.gov.cn"


@pytest.fixture
def office(seeded):
    dep = Department.query.filter_by(code="mzj").one()
    dep.phone, dep.email = f"{OFFICE_LINE}、0515-88887777", "xinxi@mzj-tinghu.cn"
    db.session.commit()
    return dep


def _pending():
    return queue("王五咨询低保", "王五，电话13911112222，咨询低保",
                 f"王五您好：请致电{OFFICE_LINE}或88887777，或发邮件至{OFFICE_MAIL}、zhengce@mzj-tinghu.cn。"
                 "社区网格员李建华同志将上门核实。", names=["王五"], phones=["13911112222"])


def test_official_contact_data_is_not_masked(office):
    record = _pending()
    for kept in (OFFICE_LINE, "88887777", OFFICE_MAIL, "zhengce@mzj-tinghu.cn"):
        assert kept in record.reply_text, kept
    assert "王五" not in record.reply_text and "13911112222" not in record.request_text
    assert "李建华" not in record.reply_text and "李**同志" in record.reply_text  # a cued name, unrecorded
    row = next(m for m in record.maskings if m["kind"] == "姓名" and "上下文" in m["reason"])
    assert row["confidence"] in ("高", "中")


def _unmask_index(record, text):
    original = {"title": record.original_title, "request_text": record.original_request,
                "reply_text": record.original_reply}
    return next(i for i, m in enumerate(record.maskings) if original[m["field"]][m["start"]:m["end"]] == text)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_reviewer_restores_and_masks_spans_with_a_reason(app, client, office, channel):
    record = _pending()
    reviewer = make_user("supervisor", f"rev-{channel}@x.cn")
    index = _unmask_index(record, "李建华")
    if channel == "page":
        login(client, reviewer.login_id)
        token = csrf_from(client.get(f"/log/review/{record.id}").get_data(as_text=True))
        refused = client.post(f"/log/review/{record.id}/unmask", data={"csrf_token": token, "index": str(index),
                                                                       "reason": " "})
        assert refused.status_code == 400 and "请写明理由" in refused.get_data(as_text=True)
        ok = client.post(f"/log/review/{record.id}/unmask", data={"csrf_token": token, "index": str(index),
                                                                  "reason": "网格员为公职人员，依职务公开"})
        assert ok.status_code == 302
        ok = client.post(f"/log/review/{record.id}/mask", data={"csrf_token": token, "value": "社区网格员",
                                                                "reason": "可推知住址"})
        assert ok.status_code == 302
    else:
        from core.auth.service import create_token
        headers = {"Authorization": "Bearer " + create_token(reviewer, now=reviewer.created_at)[0]}
        refused = client.post(f"/api/v1/publication-reviews/{record.id}/unmask", json={"index": index, "reason": ""},
                              headers=headers)
        assert refused.status_code == 400
        ok = client.post(f"/api/v1/publication-reviews/{record.id}/unmask",
                         json={"index": index, "reason": "网格员为公职人员，依职务公开"}, headers=headers)
        assert ok.status_code == 200 and ok.get_json()["restored"][0]["value"] == "李建华"
        ok = client.post(f"/api/v1/publication-reviews/{record.id}/mask", json={"value": "社区网格员",
                                                                                "reason": "可推知住址"}, headers=headers)
        assert ok.status_code == 200
    record = db.session.get(PublicRecord, record.id)
    assert "李建华同志" in record.reply_text and "社****李建华" in record.reply_text
    assert "王五" not in record.reply_text  # other maskings stay
    actions = [e.action for e in AuditEvent.query.filter_by(entity_kind="public_record", entity_id=str(record.id))]
    assert actions[-2:] == ["unmasked", "masked"]
    review.approve_publication(record, now=at(2026, 11, 20, 9), actor=reviewer, confirmed=True)
    assert db.session.get(PublicRecord, record.id).reply_text == record.reply_text


def test_only_reviewers_of_a_pending_record_decide_spans(app, client, office):
    record = _pending()
    author_like = make_user("staff", "staff@x.cn", department="mzj")
    login(client, author_like.login_id)
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    assert client.post(f"/log/review/{record.id}/unmask", data={"csrf_token": token, "index": "0",
                                                                 "reason": "x"}).status_code == 403
    sup = make_user("supervisor", "sup2@x.cn")
    review.approve_publication(record, now=at(2026, 11, 20, 9), actor=sup, confirmed=True)
    with pytest.raises(review.DomainError):
        review.unmask(record, index=0, reason="已公开后", now=at(2026, 11, 20, 10), actor=sup)


def test_correction_masks_text_and_note_and_changes_something(seeded):
    record = publish("咨询低保", "咨询低保标准", "低保标准为每月750元。")
    sup = make_user("supervisor", "corr@x.cn")
    with pytest.raises(review.ValidationError):  # masking makes it equal to what is published: no change
        review.correct(record, reply_text="低保标准为每月750元。", note="无改动", now=at(2026, 11, 20, 9), actor=sup)
    assert db.session.get(PublicRecord, record.id).corrected_at is None  # no banner for nothing
    review.correct(record, reply_text="低保标准为每月780元，详询13911112222。", note="据张三丰来电（13800001111）更正",
                   now=at(2026, 11, 20, 9), actor=sup)
    record = db.session.get(PublicRecord, record.id)
    assert record.reply_text == "低保标准为每月780元，详询139****2222。" and record.corrected_at is not None
    assert "13800001111" not in record.correction_note and "138****1111" in record.correction_note


def test_a_stale_page_cannot_restore_another_span(office):
    """Reviewer A's page lists the maskings; reviewer B masks a word, which shifts the list; A's
    restore of "the office line" must not restore whatever now stands at that position."""
    record = queue("咨询", "本人手机13800001111", "请致电0515-66668888。", phones=["13800001111"])
    a, b = make_user("supervisor", "a@x.cn"), make_user("supervisor", "b@x.cn")
    seen = [(i, m) for i, m in enumerate(record.maskings)]
    index, row = next((i, m) for i, m in seen if m["field"] == "reply_text")
    expected = record.original_reply[row["start"]:row["end"]]
    review.mask_span(record, value="咨询", reason="标题可推知来电人", now=at(2026, 11, 20, 9), actor=b)
    with pytest.raises(review.DomainError):
        review.unmask(record, index=index, reason="单位电话", now=at(2026, 11, 20, 9, 1), actor=a, expected=expected)
    assert "13800001111" not in db.session.get(PublicRecord, record.id).request_text


def test_many_reviewer_masks_stay_linear(office):
    record = queue("咨询", "低保" * 5000, "答复。")
    sup = make_user("supervisor", "lin@x.cn")
    import time
    start = time.perf_counter()
    review.mask_span(record, value="低保", reason="测试", now=at(2026, 11, 20, 9), actor=sup)
    assert time.perf_counter() - start < 5  # quadratic took minutes on this input
    assert db.session.get(PublicRecord, record.id).request_text == "低*" * 5000
