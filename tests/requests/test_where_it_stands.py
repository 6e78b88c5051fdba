"""The citizen knows where the application stands (issue 18 items 2, 5, 6, 12): the disclosed files on the status
page and in the letter, only for the applicant and only once issued; a closed application keeps its due date and
says whether it was met (the due date as it stood at the reply: an approved extension counts, a void one does
not — 条例 Art. 33 para. 2); an anonymous visitor on an application's address is offered log-in and the look-up,
the same page for any id; the page shows what was submitted. Calendar: 2026-11-02 is a Monday; 20 working days
from it end on 2026-11-30. Both databases."""
from datetime import date

from core.departments.models import Department
from core.extensions import db
from requests_module import handling, intake, reply
from requests_module.access import LOOKUP_KEY
from requests_module.common import clock
from requests_module.letter import letter_text
from requests_module.periods import answer_verdict
from requests_module.queries import represent
from tests.conftest import at, login, make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, deliver, noon

PDF = b"%PDF-1.4 test"


def _online(citizen, **changes):
    req = intake.submit_online({**APPLICATION, **changes}, now=at(2026, 11, 2, 9), citizen=citizen,
                               files=[("身份证明.pdf", PDF + b" id")])
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="t")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 2, 11), actor="t")
    return req


def _reply(req, on, files=()):
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=on, now=noon(on),
                actor=make_user("staff", "s.where@x.cn", department="zfb"), files=files)


def _page(app, client, req, day, path=None):
    with pinned(app, noon(day)):
        return client.get(path or f"/requests/{req.id}")


def test_the_applicant_downloads_the_disclosed_file_and_nobody_else_does(app, client, seeded):
    citizen = make_user("citizen", "13800001111")
    make_user("citizen", "13800002222")
    req = _online(citizen)
    _reply(req, date(2026, 11, 20), files=[("低保对象名单.pdf", PDF + b" list")])
    [issued] = [a for a in req.attachments if a.kind == "reply"]
    url = f"/requests/{req.id}/attachments/{issued.id}"
    assert client.get(url).status_code == 404  # anonymous
    login(client, "13800002222")
    assert client.get(url).status_code == 404  # another citizen: not even that it exists
    login(client, "13800001111")
    got = client.get(url)
    assert got.status_code == 200 and got.data == PDF + b" list"
    page = _page(app, client, req, date(2026, 11, 20)).get_data(as_text=True)
    reply_card = page.split('id="reply-h"')[1].split("</section>")[0]
    assert "下载 低保对象名单.pdf" in reply_card and url in reply_card
    assert "身份证明.pdf" not in reply_card  # their own upload is listed with what they submitted
    assert "附件：低保对象名单" in letter_text(req)[1]


def test_a_drafts_file_is_not_the_applicants_before_sign_off(app, client, seeded):
    Department.query.filter_by(code="zfb").one().requires_signoff = True
    db.session.commit()
    citizen = make_user("citizen", "13800001111")
    req = _online(citizen)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=date(2026, 11, 20),
                now=noon(date(2026, 11, 20)), actor=make_user("staff", "s.d@x.cn", department="mzj"),
                files=[("名单.pdf", PDF + b" draft")])
    [draft] = [a for a in req.attachments if a.kind == "reply"]
    login(client, "13800001111")
    assert client.get(f"/requests/{req.id}/attachments/{draft.id}").status_code == 404
    assert "名单.pdf" not in _page(app, client, req, date(2026, 11, 20)).get_data(as_text=True)


def test_a_closed_application_keeps_its_due_date_and_says_it_was_met(app, client, seeded):
    """Approved 11-20 for 10 working days, the notice delivered 11-25: due 12-14; the reply of 12-10 is 按期."""
    citizen = make_user("citizen", "13800001111")
    head = make_user("approver", "head@x.cn", department="zfb")
    req = _online(citizen)
    handling.extend(req, days=10, reason="需调取历年档案", on=date(2026, 11, 20), now=noon(date(2026, 11, 20)),
                    actor=head)
    deliver(req, "extension_notice", date(2026, 11, 25))
    _reply(req, date(2026, 12, 10))
    verdict = answer_verdict(req)
    assert verdict.on_time and verdict.due == date(2026, 12, 14)
    said = "已于2026年12月10日答复，期限2026年12月14日，按期"
    assert verdict.text == said
    login(client, "13800001111")
    page = _page(app, client, req, date(2026, 12, 11)).get_data(as_text=True)
    assert said in page and "答复期限" in page
    login(client, "head@x.cn")
    staff_page = _page(app, client, req, date(2026, 12, 11), f"/requests/staff/{req.id}").get_data(as_text=True)
    assert said in staff_page and "答复期限</dt><dd class=\"col-sm-9\">—" not in staff_page


def test_a_late_reply_stays_late_against_the_due_date_at_the_reply(app, client, seeded):
    """The 延期告知书 never reached the applicant before 11-30: the extension did not take effect, and the reply of
    12-03 is 3 working days late (12-01, 12-02, 12-03); a delivery recorded afterwards changes nothing."""
    citizen = make_user("citizen", "13800001111")
    head = make_user("approver", "head@x.cn", department="zfb")
    req = _online(citizen)
    handling.extend(req, days=10, reason="需调取历年档案", on=date(2026, 11, 27), now=noon(date(2026, 11, 27)),
                    actor=head)
    _reply(req, date(2026, 12, 3))
    deliver(req, "extension_notice", date(2026, 12, 4))
    said = "已于2026年12月3日答复，期限2026年11月30日，超期3个工作日"
    assert answer_verdict(req).text == said and not answer_verdict(req).on_time
    login(client, "13800001111")
    assert said in _page(app, client, req, date(2026, 12, 4)).get_data(as_text=True)
    login(client, "head@x.cn")
    staff_page = _page(app, client, req, date(2026, 12, 4), f"/requests/staff/{req.id}").get_data(as_text=True)
    assert said in staff_page
    heading = staff_page.split("<h1", 1)[1].split("</h1>", 1)[0]  # a closed late item never reads 正常
    assert "超期答复" in heading and "正常" not in heading
    assert represent(req, at(2026, 12, 4, 10))["urgency"] is None  # what the API says: closed, no urgency


def test_an_open_application_has_no_verdict_yet(app, seeded):
    req = _online(make_user("citizen", "13800001111"))
    assert answer_verdict(req) is None and clock(req).state == "running"


def test_an_anonymous_visitor_is_offered_log_in_and_look_up_the_same_for_any_id(app, client, seeded):
    req = _online(make_user("citizen", "13800001111"))
    missing = req.id + 1000
    seen = client.get(f"/requests/{req.id}")
    unseen = client.get(f"/requests/{missing}")
    assert seen.status_code == unseen.status_code == 404
    a, b = seen.get_data(as_text=True), unseen.get_data(as_text=True)
    assert _without_tokens(a, req.id) == _without_tokens(b, missing)
    assert "页面不存在" not in a and req.number not in a and req.title not in a
    assert f"/auth/login?next=%2Frequests%2F{req.id}" in a or f"next=/requests/{req.id}" in a
    assert 'action="/requests/lookup"' in a and 'name="code"' in a
    # logging in from there comes back to the application
    page = client.get(f"/auth/login?next=/requests/{req.id}").get_data(as_text=True)
    from tests.conftest import csrf_from
    back = client.post(f"/auth/login?next=/requests/{req.id}",
                       data={"login": "13800001111", "password": "Passw0rd!x", "csrf_token": csrf_from(page)})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/requests/{req.id}")
    assert client.get(f"/requests/{req.id}").status_code == 200


def _without_tokens(html, request_id):
    """The page without what differs by request or session: the id in the links, the CSRF tokens, nonces."""
    import re
    html = html.replace(f"/requests/{request_id}", "/requests/ID").replace(f"%2Frequests%2F{request_id}", "%2Frequests%2FID")
    return re.sub(r'(value|nonce|content)="[^"]*"', r'\1=""', html)


def test_another_citizen_signed_in_still_gets_a_plain_404(app, client, seeded):
    req = _online(make_user("citizen", "13800001111"))
    make_user("citizen", "13800002222")
    login(client, "13800002222")
    assert client.get(f"/requests/{req.id}").status_code == 404


def test_the_status_page_shows_what_was_submitted(app, client, seeded):
    citizen = make_user("citizen", "13800001111")
    req = _online(citizen, delivery="email", form="paper", email="zs@example.cn")
    client_session_grant(client, req)
    page = _page(app, client, req, date(2026, 11, 3)).get_data(as_text=True)
    submitted = page.split('id="submitted-h"')[1].split("</section>")[0]
    for shown in ("2025年城乡低保对象名单", "请公开本区2025年城乡低保对象名单及低保标准。", "电子邮件", "纸质", "身份证明.pdf",
                  "网上申请"):
        assert shown in submitted
    steps = page.split('id="steps-h"')[1]
    assert "提交申请" in steps and "确认收到申请" in steps and "分派承办部门" in steps


def client_session_grant(client, req):
    """The visitor proved the number and code in this session (access.grant_lookup)."""
    with client.session_transaction() as sess:
        sess[LOOKUP_KEY] = [req.id]


def test_the_form_starts_from_the_account_and_marks_what_is_required(app, client, seeded):
    citizen = make_user("citizen", "13800001111")
    citizen.name = "张三"
    db.session.commit()
    _online(citizen, address="亭湖区幸福路 9 号")
    login(client, "13800001111")
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'value="张三"' in page and 'value="13800001111"' in page
    assert 'value="11010519491231002X"' in page and 'value="亭湖区幸福路 9 号"' in page
    assert "带 <span class=\"text-danger\">*</span> 的为必填项" in page
    for name in ("name", "id_number", "phone", "title", "description"):
        tag = _tag(page, name)
        assert " required" in tag and 'aria-required="true"' in tag, name
    assert "required" not in _tag(page, "email")
    group = page.split('class="org-fields')[1].split("</div>\n    </div>")[0]
    assert "法人或其他组织填写" in group and 'id="org_type"' in group and 'id="contact_person"' in group
    assert "js/applicant_type.js" in page


def _tag(page, field_id):
    """The opening tag of the form control with this id."""
    import re
    found = re.search(rf'<(input|textarea|select)[^>]*\bid="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def test_an_anonymous_form_starts_empty_and_the_login_page_offers_a_reset(client, seeded):
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'value=""' in _tag(page, "name") and 'value=""' in _tag(page, "phone")
    assert "忘记密码" in client.get("/auth/login").get_data(as_text=True)
