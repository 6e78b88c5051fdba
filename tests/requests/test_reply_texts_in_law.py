"""The reply templates and notices as the lawyer's review of issue 18 requires: no letter goes out with a template
blank "（请写明…）" left in it, 部分公开 states the ground for the withheld part (条例 Art. 36 (3) with 14/15/16, not
Art. 37 alone), each template cites the one article its outcome (and 情形) applies, and the applicant's notices
state the period rules of Art. 30, 33 the way the law does."""
from datetime import date

import pytest

from core.errors import ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.notifications.templates import render
from requests_module import handling, intake, reply, reply_templates
from requests_module.common import due_text
from requests_module.models import DisclosureRequest
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.correction_helpers import dep
from tests.requests.helpers import APPLICATION, DISCLOSED, GUIDANCE, deliver, noon, received, staff_and_application

LAW = "《中华人民共和国政府信息公开条例》"
WITHHELD_PART = LAW + "第三十六条第（三）项、第十五条"
DAY = date(2026, 11, 9)


# Each template cites its outcome's (and 情形's) article, never two alternatives at once.
@pytest.mark.parametrize("code, case, cites, never", [
    ("disclosed", "published", "第三十六条第（一）项", ["第（二）项", "见附件"]),
    ("disclosed", "provided", "第三十六条第（二）项", ["第（一）项"]),
    ("partly_disclosed", None, "第三十六条第（三）项、（请写明第十四条／第十五条／第十六条", []),
    ("unavailable_not_held", "not_exist", "经检索，本机关未检索到", ["第（五）项"]),
    ("unavailable_not_held", "not_ours", "第三十六条第（五）项", ["经检索", "第（四）项"]),
    ("unavailable_needs_creation", None, "加工、分析方能形成。根据" + LAW + "第三十八条的规定，本机关不予提供", []),
    ("not_processed_petition", None, "第三十九条第一款的规定，本机关不将您的申请作为政府信息公开申请处理，"
                                     "您可以通过（请写明渠道）提出", []),
    ("not_processed_publication", None, "属于公开出版物，根据" + LAW + "第三十九条第二款的规定，告知您可通过"
                                        "（请写明获取途径）获取", []),
    ("withheld_inquiry", None, "第三十六条第（七）项的规定，请您依照（请写明法律、行政法规）的规定办理", []),
    ("unavailable_unclear", None, "相关法律、法规（请写明所依据的法律、法规条款）", ["第三十条"]),
])
def test_each_template_cites_the_article_of_its_outcome(code, case, cites, never):
    text = reply_templates.text_for(code, "您", case)
    assert cites in text
    assert not any(n in text for n in never), text


def test_a_template_worded_per_case_needs_the_case_first():
    with pytest.raises(ValidationError) as err:
        reply_templates.text_for("disclosed")
    assert err.value.field == "disclosure_basis"
    with pytest.raises(ValidationError) as err:
        reply_templates.text_for("unavailable_not_held", case="")
    assert err.value.field == "not_held_basis"


def test_partial_disclosure_gets_no_article_37_prefilled():
    assert reply_templates.ground_for("partly_disclosed") == ""
    assert "第三十七条" not in reply_templates.table(["partly_disclosed"])["partly_disclosed"]["ground"]


def test_a_reply_with_a_template_blank_is_refused(seeded):
    staff, req = staff_and_application()
    text = reply_templates.text_for("disclosed", "您", "provided")
    with pytest.raises(ValidationError, match="未填写的模板空白") as err:
        reply.reply(req, outcome="disclosed", text=text, on=DAY, now=noon(DAY), actor=staff, **DISCLOSED)
    assert err.value.field == "text" and req.status == "assigned"


@pytest.mark.parametrize("ground", ["《中华人民共和国政府信息公开条例》第三十七条",
                                    LAW + "第三十六条第（三）项、第三十七条"])
def test_partial_disclosure_citing_only_the_separation_rule_is_refused(seeded, ground):
    staff, req = staff_and_application()
    with pytest.raises(ValidationError, match="不予公开部分的依据") as err:
        reply.reply(req, outcome="partly_disclosed", text="经查，部分内容涉及个人隐私。", legal_ground=ground,
                    disclosure_access="随本答复书附送", on=DAY, now=noon(DAY), actor=staff)
    assert err.value.field == "legal_ground" and req.status == "assigned"
    reply.reply(req, outcome="partly_disclosed", text="经查，部分内容涉及个人隐私。", legal_ground=WITHHELD_PART,
                disclosure_access="随本答复书附送", on=DAY, now=noon(DAY), actor=staff)
    assert req.status == "closed"


def test_the_page_refuses_a_blank_and_keeps_everything_typed(app, client, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "s@x.cn")
    req = received(date(2026, 11, 2))
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    text = "经查，档案室有该文件。\n" + reply_templates.text_for("disclosed", "您", "published")
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply", data={
            "csrf_token": csrf_from(page), "outcome": "disclosed", "disclosure_basis": "published",
            "disclosure_access": "区政府网站“政府信息公开”栏目", "text": text, "on": DAY.isoformat()})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "未填写的模板空白" in html
    assert "经查，档案室有该文件。" in html and "区政府网站“政府信息公开”栏目" in html
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"


def test_the_template_button_without_script_uses_the_chosen_case(app, client, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "s@x.cn")
    req = received(date(2026, 11, 2))
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "outcome": "unavailable_not_held", "text": "已检索。", "on": DAY.isoformat()}
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply-template", data=form)
    assert resp.status_code == 400 and "请先选择不掌握的情形" in resp.get_data(as_text=True)
    with pinned(app, noon(DAY)):
        resp = client.post(f"/requests/staff/{req.id}/reply-template", data={**form, "not_held_basis": "not_ours"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "已检索。\n您申请公开的信息不属于本机关负责公开" in html
    assert "第三十六条第（五）项" in html


def test_the_api_refuses_a_blank_and_art_37_alone(api_as):
    staff = api_as("staff", "mzj")
    req = received(date(2026, 11, 2))
    url = f"/disclosure-requests/{req.id}/reply"
    body = {"outcome": "not_processed_publication", "on": DAY.isoformat(),
            "text": reply_templates.text_for("not_processed_publication")}
    r = staff.post(url, body, now=noon(DAY))
    assert r.status_code == 400 and "未填写的模板空白" in r.get_json()["fields"]["text"]
    partly = {"outcome": "partly_disclosed", "on": DAY.isoformat(), "text": "经查，部分内容涉及个人隐私。",
              "legal_ground": LAW + "第三十七条", "disclosure_access": "随本答复书附送"}
    r = staff.post(url, partly, now=noon(DAY))
    assert r.status_code == 400 and "不予公开部分的依据" in r.get_json()["fields"]["legal_ground"]
    r = staff.post(url, {**partly, "legal_ground": WITHHELD_PART}, now=noon(DAY))
    assert r.status_code == 200, r.get_json()


def test_notice_texts_state_the_law():
    started = render("answer_period_started", {"label": "X", "received": date(2026, 11, 2), "due": date(2026, 11, 30)})[1]
    assert "答复期限自本机关收到补正后的申请之日起重新计算（条例第三十条）" in started
    assert "不计算在答复期限内（第三十三条第三款）" in started and "不计入答复期限" not in started
    assert "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）" in started
    subject, body = render("application_received", {"label": "X", "confirm_by": date(2026, 11, 4)})
    assert subject.startswith("【已提交】") and "已提交成功，本机关将于2026年11月4日前确认收到申请之日" in body
    assert "已收到" not in subject + body
    assert "请登录或凭申请编号和查询码查看" in render("reply", {"label": "X", "kind": "政府信息公开申请"})[1]
    ext = render("extension", {"label": "X", "days": 15, "due": date(2026, 12, 21), "detail": "需调取档案"})[1]
    assert ("经政府信息公开工作机构负责人同意，依照《中华人民共和国政府信息公开条例》第三十三条第二款，"
            "您的申请（X）答复期限延长15个工作日，至2026年12月21日") in ext


def test_the_paused_period_on_the_citizen_page_says_the_law(seeded):
    staff, req = staff_and_application()
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 11, 3),
                                    now=noon(date(2026, 11, 3)), actor=staff)
    deliver(req, "correction_notice", date(2026, 11, 3))
    text = due_text(req)
    assert text is not None and "重新计算（条例第三十条）" in text and "不计入答复期限" not in text


def test_an_online_correction_tells_the_applicant_the_new_due_date(seeded):
    citizen = make_user("citizen", "c@x.cn")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9), citizen=citizen)
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="公开办")
    intake.assign(req, dep("mzj"), now=at(2026, 11, 2, 11), actor="公开办")
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 11, 3),
                                    now=noon(date(2026, 11, 3)), actor="t")
    deliver(req, "correction_notice", date(2026, 11, 3))
    handling.receive_correction(req, text="文件名称为《低保名单》", on=date(2026, 11, 5), now=at(2026, 11, 5, 10),
                                actor="申请人", by_applicant=True)
    told = Notification.query.filter_by(event="correction_received").all()
    assert {n.channel for n in told} == {"inapp", "sms"}
    assert all("补正已于2026年11月5日收到" in n.body and "重新计算，至2026年12月3日" in n.body for n in told)


def test_staff_entering_a_paper_correction_send_no_such_notice(seeded):
    staff, req = staff_and_application()
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 11, 3),
                                    now=noon(date(2026, 11, 3)), actor=staff)
    deliver(req, "correction_notice", date(2026, 11, 3))
    handling.receive_correction(req, text="纸质补正", on=date(2026, 11, 5), now=at(2026, 11, 5, 10), actor=staff)
    assert Notification.query.filter_by(event="correction_received").all() == []


def test_the_extension_notice_names_the_days(seeded):
    _, req = staff_and_application()
    head = make_user("approver", "head@x.cn", department="mzj")  # Art. 33 para. 2: the head approves
    handling.extend(req, days=15, reason="需调取档案", on=date(2026, 11, 20), now=noon(date(2026, 11, 20)),
                    actor=head)
    [sms] = Notification.query.filter_by(event="extension", channel="sms").all()
    assert "第三十三条第二款" in sms.body and "延长15个工作日" in sms.body
