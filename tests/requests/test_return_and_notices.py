"""Issue 18 review (h9): a reply the head returns for rework comes back to the clerk as the saved draft — every value
and its files, the note named on the page — and the clerks are told; the heads are told a reply awaits them; the
reply outcome starts blank; no direct extension while a clerk's request waits for the head."""
import re
from datetime import date

from core.extensions import db
from core.notifications.links import target_of
from core.notifications.models import Notification
from requests_module import extensions, reply, reply_drafts
from requests_module.models import DisclosureRequest
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import DISCLOSED, noon, received, signoff_case, stored

PDF = b"%PDF-1.4 returned"
DAY = date(2026, 11, 3)
NOTE = "法律依据请引用第二十条"


def _link(app, user, notification):
    with app.test_request_context():
        return target_of(user, notification)


def _tokens(html):
    return re.findall(r'name="pending" value="([^"]+)"', html)


def _returned():
    staff, head, req = signoff_case()
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="经查，予以公开。", on=DAY, now=noon(DAY), actor=staff,
                files=[("规划许可证.pdf", PDF)])
    reply.sign_off(req, approve=False, note=NOTE, now=noon(date(2026, 11, 4)), actor=head)
    return staff, head, req


def test_a_returned_reply_is_the_clerks_draft_with_its_files(app, seeded):
    staff, head, req = _returned()
    draft = reply_drafts.load(stored(req), now=noon(date(2026, 11, 4)))
    assert draft is not None and draft.values["outcome"] == "disclosed" and draft.values["text"] == "经查，予以公开。"
    assert draft.values["disclosure_basis"] == DISCLOSED["disclosure_basis"]
    assert draft.values["disclosure_access"] == DISCLOSED["disclosure_access"]
    assert "on" not in draft.values  # not a paper letter: the new submit is dated the day it is made
    assert [f.filename for f in draft.files] == ["规划许可证.pdf"]
    assert draft.returned is not None and draft.returned.note == NOTE and "_returned_note" not in draft.values
    # the clerk is told with the note, linking to the item; the head who returned it is not
    [told] = Notification.query.filter_by(user_id=staff.id, event="reply_returned").all()
    assert NOTE in told.body and _link(app, staff, told) == f"/requests/staff/{req.id}"
    assert Notification.query.filter_by(user_id=head.id, event="reply_returned").count() == 0


def test_the_clerk_finds_the_form_refilled_and_submits_again(app, seeded):
    staff, head, req = _returned()
    client = app.test_client()
    login(client, "s@x.cn")
    with pinned(app, noon(date(2026, 11, 5))):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "答复已被退回：测试approver于" in html and f"意见：{NOTE}" in html
        assert 'value="disclosed" selected' in html and "经查，予以公开。" in html
        assert "已上传：规划许可证.pdf（保留）" in html
        [token] = _tokens(html)
        resp = client.post(f"/requests/staff/{req.id}/reply", content_type="multipart/form-data", data={
            "csrf_token": csrf_from(html), "pending": token, "outcome": "disclosed", "text": "经查，予以公开。",
            "on": "2026-11-05", **DISCLOSED})
    assert resp.status_code == 302
    req = stored(req)
    assert req.status == "awaiting_signoff"
    assert [a.filename for a in req.attachments if a.kind == "reply"] == ["规划许可证.pdf"]
    assert reply_drafts.load(req, now=noon(date(2026, 11, 5))) is None


def test_the_heads_are_told_a_reply_awaits_sign_off(app, seeded):
    staff, head, req = signoff_case()
    other_head = make_user("approver", "a.jyj@x.cn", department="jyj")
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开。", on=DAY, now=noon(DAY), actor=staff)
    [told] = Notification.query.filter_by(user_id=head.id, event="reply_awaiting_signoff").all()
    assert req.number in told.body and "予以公开" in told.body and _link(app, head, told) == f"/requests/staff/{req.id}"
    assert Notification.query.filter_by(event="reply_awaiting_signoff").filter(
        Notification.user_id.in_([staff.id, other_head.id])).count() == 0


def test_the_outcome_starts_blank_and_an_empty_choice_is_refused(app, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2))
    client = app.test_client()
    login(client, "s@x.cn")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert '<option value="" selected>请选择答复结果</option>' in html
        resp = client.post(f"/requests/staff/{req.id}/reply", data={
            "csrf_token": csrf_from(html), "outcome": "", "text": "已写好的正文", "on": DAY.isoformat()})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请选择答复结果" in page and "已写好的正文" in page
    assert stored(req).status == "assigned"


def _pending_extension():
    clerk = make_user("staff", "clerk@x.cn", department="mzj")
    head = make_user("approver", "zfb.head@x.cn", department="zfb")
    req = received(date(2026, 9, 28))
    extensions.request_extension(req, days=10, reason="需调取档案", now=noon(date(2026, 10, 20)), actor=clerk)
    return head, req


def test_no_direct_extension_while_a_request_is_pending_page(app, seeded):
    head, req = _pending_extension()
    client = app.test_client()
    login(client, "zfb.head@x.cn")
    with pinned(app, noon(date(2026, 10, 21))):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        assert "审批延期申请" in html and f"/requests/staff/{req.id}/extend\"" not in html
        resp = client.post(f"/requests/staff/{req.id}/extend", data={
            "csrf_token": csrf_from(html), "days": "5", "reason": "直接延期", "on": "2026-10-21"})
    assert resp.status_code in (400, 409) and "延期申请待审批" in resp.get_data(as_text=True)
    assert db.session.get(DisclosureRequest, req.id).extension_days == 0


def test_no_direct_extension_while_a_request_is_pending_api(app, client, seeded, api_as):
    _, req = _pending_extension()
    zfb = api_as("approver", "zfb")
    resp = zfb.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "直接延期", "on": "2026-10-21"},
                    now=noon(date(2026, 10, 21)))
    assert resp.status_code in (400, 409) and "延期申请待审批" in resp.get_data(as_text=True)
    assert stored(req).extension_days == 0


def test_the_file_bytes_come_back_unchanged(app, seeded):
    _, _, req = _returned()
    from core import pending_uploads
    draft = reply_drafts.load(stored(req), now=noon(date(2026, 11, 4)))
    form = type("F", (), {"getlist": lambda self, k: [f.token for f in draft.files] if k == "pending" else []})()
    assert pending_uploads.peek(form, owner=reply_drafts.owner(req.id), now=noon(date(2026, 11, 4))) == \
        [("规划许可证.pdf", PDF)]
