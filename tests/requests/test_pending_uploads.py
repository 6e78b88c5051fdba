"""Never lose an upload (issue 18 item 1, 13): the files of a refused form are kept server-side as pending uploads
of their owner and listed on the re-rendered form; the next submit attaches them with any new ones. Tokens of
another user or session are refused, expired ones reported and purged. Reply templates per outcome and saved
reply drafts (保存草稿) on the handling page."""
import io
import re
from datetime import date, timedelta

from core import pending_uploads
from core.extensions import db
from core.jobs.periodic import PERIODIC_HOOKS
from core.pending_uploads import PendingUpload
from requests_module.models import DisclosureRequest, ReplyDraft
from tests.conftest import csrf_from, login, make_user, pinned
from tests.core.test_upload_kinds import docx, xlsx
from tests.requests.helpers import APPLICATION, DISCLOSED, noon, received
from tests.test_captcha import capp  # noqa: F401  (fixture: captcha and rate limits on)

DAY = date(2026, 10, 12)
PDF = b"%PDF-1.4 kept"
EXE = b"MZ\x90\x00" + b"\0" * 64


def tokens(html):
    return re.findall(r'name="pending" value="([^"]+)"', html)


def staff(app, login_id="clerk@x.cn"):
    make_user("staff", login_id, department="mzj")
    client = app.test_client()
    assert login(client, login_id).status_code == 302
    return client


def post(client, req, path, files=None, **form):
    token = csrf_from(client.get(f"/requests/staff/{req.id}").get_data(as_text=True))
    data = {**form, "csrf_token": token}
    if files:
        data["attachments"] = files
    return client.post(f"/requests/staff/{req.id}/{path}", data=data, content_type="multipart/form-data")


GROUND = "《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十五条"
REPLY = {"outcome": "partly_disclosed", "text": "经查，部分内容涉及个人隐私。", "on": DAY.isoformat(),
         "disclosure_access": "随本答复书附送"}


def test_a_refused_reply_keeps_its_file_and_the_next_submit_attaches_it(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        # 部分公开 without legal ground, a PDF that passes and an .exe named .xlsx that does not
        resp = post(client, req, "reply", files=[(io.BytesIO(PDF), "依据.pdf"), (io.BytesIO(EXE), "表.xlsx")],
                    **REPLY, legal_ground="")
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "须写明法律依据" in html
        assert "已上传：依据.pdf（保留）" in html and "“表.xlsx”不是" in html and "未保留" in html
        assert "经查，部分内容涉及个人隐私。" in html and 'value="partly_disclosed" selected' in html
        [token] = tokens(html)
        assert PendingUpload.query.filter_by(token=token).one().owner.startswith("user:")
        # fixed and submitted again with the token (and one new Word file): both are attached
        resp = post(client, req, "reply", files=[(io.BytesIO(docx()), "说明.docx")], pending=token, **REPLY,
                    legal_ground=GROUND)
    assert resp.status_code == 302
    db.session.expire_all()
    req = db.session.get(DisclosureRequest, req.id)
    assert req.status in ("closed", "awaiting_signoff")  # submitted (sign-off as the department requires)
    assert sorted(a.filename for a in req.attachments if a.kind == "reply") == ["依据.pdf", "说明.docx"]
    assert PendingUpload.query.filter_by(token=token).count() == 0  # used once


def test_a_ticked_upload_is_not_attached(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        html = post(client, req, "reply", files=[(io.BytesIO(PDF), "不要.pdf")], **REPLY).get_data(as_text=True)
        [token] = tokens(html)
        resp = post(client, req, "reply", pending=token, pending_remove=token, **REPLY,
                    legal_ground=GROUND)
    assert resp.status_code == 302
    assert [a for a in db.session.get(DisclosureRequest, req.id).attachments if a.kind == "reply"] == []


def test_another_users_token_is_refused_and_an_expired_one_reported(app, seeded):
    req = received(date(2026, 9, 28))
    mine = staff(app)
    with pinned(app, noon(DAY)):
        [token] = tokens(post(mine, req, "reply", files=[(io.BytesIO(PDF), "我的.pdf")], **REPLY).get_data(as_text=True))
        other = staff(app, "other@x.cn")
        resp = post(other, req, "reply", pending=token, **REPLY, legal_ground=GROUND)
        assert resp.status_code == 403 and "不属于当前登录用户" in resp.get_data(as_text=True)
        assert "我的.pdf" not in resp.get_data(as_text=True)  # nothing of another's file is shown
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"
    with pinned(app, noon(DAY) + timedelta(hours=25)):
        resp = post(mine, req, "reply", pending=token, **REPLY, legal_ground=GROUND)
        assert resp.status_code == 400 and "“我的.pdf”已过期" in resp.get_data(as_text=True)
    assert pending_uploads.purge_expired in PERIODIC_HOOKS
    assert pending_uploads.purge_expired(noon(DAY) + timedelta(hours=25)) == 1
    assert PendingUpload.query.count() == 0


def test_the_citizen_form_keeps_its_attachment(app, client, seeded):
    page = client.get("/requests/new").get_data(as_text=True)
    data = {**APPLICATION, "title": "", "csrf_token": csrf_from(page),
            "attachments": [(io.BytesIO(xlsx()), "名单.xlsx")]}
    resp = client.post("/requests/new", data=data, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "已上传：名单.xlsx（保留）" in html
    assert 'value="11010519491231002X"' in html  # every field back
    [token] = tokens(html)
    assert PendingUpload.query.filter_by(token=token).one().owner.startswith("session:")
    # another browser (session) cannot use the token
    other = app.test_client()
    data = {**APPLICATION, "csrf_token": csrf_from(other.get("/requests/new").get_data(as_text=True)),
            "pending": token}
    refused = other.post("/requests/new", data=data, content_type="multipart/form-data")
    assert refused.status_code == 400 and "不属于当前登录用户或会话" in refused.get_data(as_text=True)
    assert DisclosureRequest.query.count() == 0
    data = {**APPLICATION, "csrf_token": csrf_from(html), "pending": token}
    resp = client.post("/requests/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    [req] = DisclosureRequest.query.all()
    assert [a.filename for a in req.attachments] == ["名单.xlsx"]


def test_a_reply_template_is_inserted_without_script(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        resp = post(client, req, "reply-template", files=[(io.BytesIO(PDF), "附.pdf")], outcome="withheld_process",
                    text="已检索档案。", on=DAY.isoformat(), legal_ground="")
        html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "已检索档案。\n经审查，您申请公开的政府信息属于" in html  # typed text kept, template after it
    assert 'value="《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十六条第二款"' in html
    assert "已上传：附.pdf（保留）" in html and 'value="withheld_process" selected' in html
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"
    with pinned(app, noon(DAY)):
        resp = post(client, req, "reply-template", outcome="", text="x", on=DAY.isoformat())
    assert resp.status_code == 400 and "请先选择答复结果" in resp.get_data(as_text=True)


def test_a_saved_draft_refills_the_form_and_the_reply_clears_it(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        resp = post(client, req, "reply-draft", files=[(io.BytesIO(PDF), "草稿附件.pdf")], outcome="disclosed",
                    text="草稿正文第一段。", on=DAY.isoformat(), **DISCLOSED)
        assert resp.status_code == 302
        assert db.session.get(DisclosureRequest, req.id).status == "assigned"  # nothing submitted
        # another clerk of the department reopens the page: the form is refilled, saved by whom and when
        other = staff(app, "other@x.cn")
        html = other.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "已载入草稿：测试staff 于" in html and "草稿正文第一段。" in html and "已上传：草稿附件.pdf（保留）" in html
    assert 'value="disclosed" selected' in html
    [token] = tokens(html)
    with pinned(app, noon(DAY)):
        resp = post(other, req, "reply", pending=token, outcome="disclosed", text="草稿正文第一段。",
                    on=DAY.isoformat(), **DISCLOSED)
    assert resp.status_code == 302
    db.session.expire_all()
    req = db.session.get(DisclosureRequest, req.id)
    assert req.status in ("closed", "awaiting_signoff") and [a.filename for a in req.attachments if a.kind == "reply"] == ["草稿附件.pdf"]
    assert ReplyDraft.query.count() == 0 and PendingUpload.query.count() == 0


def test_a_draft_needs_a_reply_in_progress(app, seeded):
    req = received(date(2026, 9, 28), dep=None)
    make_user("admin", "admin@x.cn")
    client = app.test_client()
    login(client, "admin@x.cn")
    with pinned(app, noon(DAY)):
        resp = post(client, req, "reply-draft", outcome="disclosed", text="x", on=DAY.isoformat())
    assert resp.status_code in (403, 409)
    assert ReplyDraft.query.count() == 0


def test_correction_evidence_is_kept_when_the_request_is_refused(app, seeded):
    """条例 Art. 41 correction request: the evidence chosen on a refused form is kept and used on the next submit."""
    from requests_module.correction_models import CorrectionRequest
    from tests.requests.correction_helpers import CORRECTION

    make_user("citizen", "13800002222")
    client = app.test_client()
    login(client, "13800002222")
    data = {**CORRECTION, "department": "", "csrf_token": csrf_from(client.get("/corrections/new").get_data(as_text=True)),
            "evidence": [(io.BytesIO(PDF), "户口簿.pdf")]}
    refused = client.post("/corrections/new", data=data, content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "已上传：户口簿.pdf（保留）" in html
    [token] = tokens(html)
    data = {**CORRECTION, "department": "mzj", "csrf_token": csrf_from(html), "pending": token}
    assert client.post("/corrections/new", data=data, content_type="multipart/form-data").status_code == 302
    assert [e.filename for e in CorrectionRequest.query.one().evidence] == ["户口簿.pdf"]


def test_the_applicants_refused_correction_keeps_text_and_files(app, seeded):
    """补正 online: a refused correction (here with a renamed executable) comes back with the text typed and the good
    file kept, then goes through."""
    from requests_module import handling
    from tests.requests.helpers import GUIDANCE

    citizen = make_user("citizen", "13800001111")
    client = app.test_client()
    login(client, "13800001111")
    req = received(date(2026, 9, 28))
    req.citizen_id = citizen.id
    db.session.commit()
    handling.send_correction_notice(req, items="请写明年份", guidance=GUIDANCE, on=date(2026, 9, 29),
                                    now=noon(date(2026, 9, 29)), actor="t")
    with pinned(app, noon(date(2026, 9, 30))):
        page = client.get(f"/requests/{req.id}").get_data(as_text=True)
        resp = client.post(f"/requests/{req.id}/correction", content_type="multipart/form-data",
                           data={"text": "2025年", "csrf_token": csrf_from(page),
                                 "attachments": [(io.BytesIO(PDF), "年份.pdf"), (io.BytesIO(EXE), "表.pdf")]})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "已上传：年份.pdf（保留）" in html and "“表.pdf”不是" in html
        assert ">2025年</textarea>" in html
        [token] = tokens(html)
        resp = client.post(f"/requests/{req.id}/correction", content_type="multipart/form-data",
                           data={"text": "2025年", "csrf_token": csrf_from(html), "pending": token})
    assert resp.status_code == 302
    db.session.expire_all()
    assert [a.filename for a in db.session.get(DisclosureRequest, req.id).attachments if a.kind == "correction"] \
        == ["年份.pdf"]


def test_a_used_token_says_it_was_submitted_and_a_foreign_one_asks_for_the_file_again(app, seeded):
    """A token used by a submit that went through is not "expired": the file went with that submit. A foreign token
    refuses the whole submission, so the message asks for the file again (not "已忽略")."""
    req = received(date(2026, 9, 28))
    client = staff(app)
    law = "《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十五条"
    with pinned(app, noon(DAY)):
        [token] = tokens(post(client, req, "reply", files=[(io.BytesIO(PDF), "依据.pdf")], **REPLY).get_data(as_text=True))
        other = staff(app, "other@x.cn")
        resp = post(other, req, "reply", pending=token, **REPLY, legal_ground=law)
        assert resp.status_code == 403 and "请重新选择文件" in resp.get_data(as_text=True)
        assert "已忽略" not in resp.get_data(as_text=True)
        assert post(client, req, "reply", pending=token, **REPLY, legal_ground=law).status_code == 302
        other_req = received(date(2026, 9, 28))
        resp = post(client, other_req, "reply", pending=token, **REPLY, legal_ground=law)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "该附件已随之前的提交一并提交" in html and "已过期" not in html


def _anonymous_refused_form(app, addr, name="名单.xlsx"):
    """A fresh browser (a new session, so a new owner) at `addr` sends a refused form (no title) with one file."""
    client = app.test_client()
    page = client.get("/requests/new", environ_base={"REMOTE_ADDR": addr}).get_data(as_text=True)
    token = csrf_from(page) if app.config.get("WTF_CSRF_ENABLED", True) else ""
    data = {**APPLICATION, "title": "", "csrf_token": token, "attachments": [(io.BytesIO(xlsx()), name)]}
    return client.post("/requests/new", data=data, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": addr})


def test_anonymous_pending_uploads_have_a_budget_per_address_and_in_all(app, seeded):
    """A new session per POST is a new owner: what anonymous visitors store is bounded per client address (24 h)
    and in all; a file over a budget is not kept and the form says so, the rest of the form is still kept."""
    size = len(xlsx())
    app.config.update(PENDING_UPLOAD_ADDRESS_BYTES=2 * size, PENDING_UPLOAD_ANON_BYTES=3 * size)
    for _ in range(2):
        assert "已上传：名单.xlsx（保留）" in _anonymous_refused_form(app, "10.7.0.1").get_data(as_text=True)
    over = _anonymous_refused_form(app, "10.7.0.1")
    html = over.get_data(as_text=True)
    assert over.status_code == 400 and "附件未能保留，请重新选择" in html and "（保留）" not in html
    assert 'value="11010519491231002X"' in html  # every typed field back
    assert PendingUpload.query.count() == 2
    assert "（保留）" in _anonymous_refused_form(app, "10.7.0.2").get_data(as_text=True)  # another address
    assert "附件未能保留" in _anonymous_refused_form(app, "10.7.0.3").get_data(as_text=True)  # all anonymous: full
    assert PendingUpload.query.count() == 3
    assert all(r.address_hash and "10.7" not in r.address_hash for r in PendingUpload.query.all())
    # signed-in users keep their per-owner limit only
    req = received(date(2026, 9, 28))
    with pinned(app, noon(DAY)):
        html = post(staff(app), req, "reply", files=[(io.BytesIO(PDF), "依据.pdf")], **REPLY).get_data(as_text=True)
    assert "已上传：依据.pdf（保留）" in html


def test_the_address_budget_is_per_day_and_the_expired_csrf_page_keeps_to_it(app, client, seeded):
    from tests.test_csrf_expiry import DAY as CSRF_DAY
    from tests.test_csrf_expiry import token_aged
    size = len(xlsx())
    app.config.update(PENDING_UPLOAD_ADDRESS_BYTES=size)
    assert "（保留）" in _anonymous_refused_form(app, "127.0.0.1").get_data(as_text=True)
    client.get("/requests/new")
    resp = client.post("/requests/new", content_type="multipart/form-data", data={
        **APPLICATION, "csrf_token": token_aged(app, client, 2 * CSRF_DAY),
        "attachments": [(io.BytesIO(xlsx()), "证明.xlsx")]})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "证明.xlsx" in html and "请重新选择" in html and "（保留）" not in html
    assert PendingUpload.query.count() == 1
    row = PendingUpload.query.one()
    row.created_at -= timedelta(hours=25)  # a day later the address may store again
    db.session.commit()
    assert "（保留）" in _anonymous_refused_form(app, "127.0.0.1").get_data(as_text=True)


def test_no_file_is_kept_from_a_form_the_captcha_refused(capp):  # noqa: F811
    """A form refused by the captcha (the address must answer one; perhaps a bot) stores none of its files."""
    from core import captcha
    with capp.test_request_context(environ_base={"REMOTE_ADDR": "10.8.0.1"}):
        captcha.count_submission()
        assert captcha.needed()
    resp = _anonymous_refused_form(capp, "10.8.0.1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "附件未能保留，请重新选择" in html and "（保留）" not in html
    assert 'value="11010519491231002X"' in html
    assert PendingUpload.query.count() == 0


def test_reassignment_takes_the_old_departments_draft_away(app, seeded):
    """An unsent working draft (text and files) is the department's: reassigned elsewhere, it is gone — the new
    department neither reads nor sends it (attacker review of issue 18)."""
    from core.departments.models import Department
    from requests_module import handling

    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        assert post(client, req, "reply-draft", files=[(io.BytesIO(PDF), "内部.pdf")], outcome="withheld",
                    text="MZJ 内部意见", on=DAY.isoformat()).status_code == 302
    assert ReplyDraft.query.count() == 1 and PendingUpload.query.count() == 1
    req = db.session.get(DisclosureRequest, req.id)
    handling.reassign(req, Department.query.filter_by(code="zjj").one(), reason="职责",
                      now=noon(DAY), actor="test")
    assert ReplyDraft.query.count() == 0 and PendingUpload.query.count() == 0
    make_user("staff", "zjj@x.cn", department="zjj")
    other = app.test_client()
    login(other, "zjj@x.cn")
    with pinned(app, noon(DAY)):
        html = other.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "MZJ 内部意见" not in html and "内部.pdf" not in html


def test_a_draft_is_the_reply_form_not_anything_posted(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        resp = post(client, req, "reply-draft", outcome="disclosed", text="正文", zzz="x" * 400_000)
        assert resp.status_code == 400 and "答复草稿过大" in resp.get_data(as_text=True)
        assert "正文" in resp.get_data(as_text=True)  # the typed reply comes back
    assert ReplyDraft.query.count() == 0


def test_a_draft_says_which_kept_files_it_could_not_take(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff(app)
    with pinned(app, noon(DAY)):
        refused = post(client, req, "reply", files=[(io.BytesIO(PDF), "a.pdf")], outcome="partly_disclosed", text="x")
    [token] = tokens(refused.get_data(as_text=True))
    with pinned(app, noon(DAY) + timedelta(days=2)):  # past the pending upload's 24 hours
        resp = post(client, req, "reply-draft", pending=token, outcome="disclosed", text="正文")
        shown = client.get(f"/requests/staff/{req.id}").get_data(as_text=True) if resp.status_code == 302 else \
            resp.get_data(as_text=True)
    assert "1 个已上传的附件已过期或已不可用" in shown
