"""Notifications of the disclosure workflow that lead somewhere (issue 18 items 12–13): the applicant's 已收到 and
the start of the Art. 33 period (in-app, SMS outbox), staff told of an applicant's 补正 and of an Art. 41
correction request, and every in-app entry linking to the page where its recipient sees the item — a link
that grants nothing: the page applies its own access rule."""
from datetime import date

from core.extensions import db
from core.notifications.models import Notification
from requests_module import corrections, handling, intake
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.notice_helpers import assert_other_department_refused, links, rows
from tests.requests.correction_helpers import CORRECTION, PDF, dep
from tests.requests.helpers import APPLICATION, GUIDANCE, deliver, noon, received


def test_online_application_received_then_the_period_starts_with_its_due_date(seeded):
    """On submission: 已收到 with the day receipt will be confirmed by (Art. 31 (3)); on confirmation: the day of
    receipt and the Art. 33 due date (20 working days, the start day not counted) — in-app, by SMS and email."""
    citizen = make_user("citizen", "c@x.cn")
    req = intake.submit_online({**APPLICATION, "email": "c@example.cn"}, now=at(2026, 11, 20, 10), citizen=citizen)
    sms, = rows("application_received", channel="sms")
    assert sms.address == "13800001111" and sms.entity_id == str(req.id)
    assert f"（{req.number}）已提交成功" in sms.body and "2026年11月23日前确认收到申请之日" in sms.body  # +1 working day
    assert "第三十一条、第三十三条" in sms.body and "。。" not in sms.body
    inapp, = rows("application_received", channel="inapp")
    assert inapp.user_id == citizen.id and inapp.entity_kind == "disclosure_request"
    assert [n.address for n in rows("application_received", channel="email")] == ["c@example.cn"]
    assert rows("answer_period_started") == []  # not before receipt is confirmed

    intake.confirm_receipt(req, received_on=date(2026, 11, 23), now=at(2026, 11, 23, 9), actor="公开办")
    sms, = rows("answer_period_started", channel="sms")
    # Monday 11/23 received; 20 working days from the next day: 11/24 … 12/21
    assert "收到申请之日为2026年11月23日" in sms.body
    assert "答复期限为2026年12月21日（第20个工作日）" in sms.body and "第三十三条" in sms.body
    assert sms.address == "13800001111" and "。。" not in sms.body
    assert rows("answer_period_started", channel="inapp")[0].user_id == citizen.id


def test_paper_application_sms_gives_the_period_at_once(seeded):
    """Registered on paper the application is received that day (Art. 31 (1)): the SMS gives the due date."""
    req = received(date(2026, 11, 2), dep=None)
    assert rows("application_received") == []
    sms, = rows("answer_period_started", channel="sms")
    assert sms.entity_id == str(req.id) and "答复期限为2026年11月30日（第20个工作日）" in sms.body
    assert rows("answer_period_started", channel="inapp") == []  # no account, no inbox


def test_citizen_link_opens_their_status_page_and_never_someone_elses(app, client, seeded):
    owner = make_user("citizen", "owner@x.cn")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 20, 10), citizen=owner)
    login(client, "owner@x.cn")
    page = client.get("/notifications/").get_data(as_text=True)
    assert links(page) == [f"/requests/{req.id}"]
    shown = client.get(f"/requests/{req.id}")
    assert shown.status_code == 200 and req.number in shown.get_data(as_text=True)

    make_user("citizen", "other@x.cn")
    other = app.test_client()
    login(other, "other@x.cn")
    assert links(other.get("/notifications/").get_data(as_text=True)) == []  # only one's own notifications
    assert other.get(f"/requests/{req.id}").status_code == 404  # the link is just a URL: the page decides


def test_staff_link_opens_the_handling_page_for_their_department_only(app, client, seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2))  # assigned to 民政局: its staff are told (new_assignment)
    n, = rows("new_assignment", user_id=staff.id)
    assert n.entity_kind == "disclosure_request"
    login(client, "s@x.cn")
    assert links(client.get("/notifications/").get_data(as_text=True)) == [f"/requests/staff/{req.id}"]
    assert client.get(f"/requests/staff/{req.id}").status_code == 200
    assert_other_department_refused(app, f"/requests/staff/{req.id}", "zjj")


def test_old_notifications_without_an_item_still_render(client, seeded):
    from core.notifications.service import notify

    user = make_user("staff", "s@x.cn", department="mzj")
    notify("test_message", now=at(2026, 11, 20, 10), user=user, context={"label": "旧通知"})
    n = Notification(created_at=at(2026, 11, 20, 11), event="test_message", channel="inapp", user_id=user.id,
                     entity_kind="unknown_kind", entity_id="x", subject="【测试】无法定位", body="旧数据",
                     status="sent", attempts=0)
    db.session.add(n)
    db.session.commit()
    login(client, "s@x.cn")
    page = client.get("/notifications/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "【测试】旧通知" in html and "【测试】无法定位" in html and links(html) == []


def _awaiting_correction(dep_code):
    citizen = make_user("citizen", "c@x.cn")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9), citizen=citizen)
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="公开办")
    if dep_code:
        intake.assign(req, dep(dep_code), now=at(2026, 11, 2, 11), actor="公开办")
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明文件名称", on=date(2026, 11, 3),
                                    now=noon(date(2026, 11, 3)), actor="t")
    deliver(req, "correction_notice", date(2026, 11, 3))
    return req


def test_applicants_correction_tells_the_department_with_a_link(app, client, seeded):
    """The applicant's 补正 (Art. 30) through their status page: the handling department's staff and approvers are
    told, with the restarted period, and their entry opens the handling page."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    make_user("staff", "z@x.cn", department="zjj")
    sup = make_user("supervisor", "sup@x.cn")
    req = _awaiting_correction("mzj")
    login(client, "c@x.cn")
    page = client.get(f"/requests/{req.id}").get_data(as_text=True)
    with pinned(app, at(2026, 11, 5, 10)):
        r = client.post(f"/requests/{req.id}/correction", data={"text": "文件名称为《低保名单》",
                                                                 "csrf_token": csrf_from(page)})
    assert r.status_code == 302
    told = rows("correction_submitted")
    assert [n.user_id for n in told] == [staff.id, approver.id] and sup.id not in [n.user_id for n in told]
    assert all(n.channel == "inapp" and n.entity_id == str(req.id) for n in told)
    assert told[0].subject == f"【补正已提交】{req.number} {req.title}"
    # 20 working days again from 11/5: 11/6 … 12/3
    assert "答复期限自2026年11月5日起重新计算，至2026年12月3日（第20个工作日）" in told[0].body
    staff_client = app.test_client()
    login(staff_client, "s@x.cn")
    assert links(staff_client.get("/notifications/").get_data(as_text=True))[0] == f"/requests/staff/{req.id}"


def test_correction_of_an_unassigned_application_tells_the_intake(seeded):
    sup = make_user("supervisor", "sup@x.cn")
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = _awaiting_correction(None)
    handling.receive_correction(req, text="文件名称为……", on=date(2026, 11, 5), now=at(2026, 11, 5, 10),
                                actor="申请人", by_applicant=True)
    told = rows("correction_submitted")
    assert sup.id in [n.user_id for n in told] and staff.id not in [n.user_id for n in told]
    # staff entering a paper correction are not told of their own entry
    assert all(n.user_id != staff.id for n in rows("correction_submitted"))


def test_staff_entering_a_correction_tell_nobody(seeded):
    make_user("staff", "s@x.cn", department="mzj")
    req = _awaiting_correction("mzj")
    handling.receive_correction(req, text="纸质补正", on=date(2026, 11, 5), now=at(2026, 11, 5, 10), actor="t")
    assert rows("correction_submitted") == []


def test_online_correction_request_tells_the_addressed_organ(app, client, seeded):
    """Art. 41: an online 更正申请 reaches the addressed organ's staff, named with its record and internal target."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    other = make_user("staff", "z@x.cn", department="zjj")
    citizen = make_user("citizen", "c@x.cn")
    cr = corrections.submit_online(CORRECTION, department=dep(), now=at(2026, 11, 20, 10), citizen=citizen,
                                   files=[("户口簿.pdf", PDF)])
    n, = rows("correction_request_received")
    assert n.user_id == staff.id and n.user_id != other.id and n.entity_kind == "correction_request"
    assert n.subject == f"【更正申请】{cr.number}"
    assert "民政局收到更正申请" in n.body and "“2025年度低保对象名单中本人家庭人口数”" in n.body
    assert "内部办理目标：2026年12月18日" in n.body and "。。" not in n.body
    login(client, "s@x.cn")
    assert links(client.get("/notifications/").get_data(as_text=True)) == [f"/corrections/staff/{cr.id}"]
    assert client.get(f"/corrections/staff/{cr.id}").status_code == 200
    assert_other_department_refused(app, f"/corrections/staff/{cr.id}")
