"""Issue 15 items 2 and 5: the organ that received an application answers and signs it (条例 Art. 27, 36 (5)),
and an extension is approved before the due date by the head of that organ's disclosure work (条例 Art. 33
para. 2 "经政府信息公开工作机构负责人同意", Art. 4) — an approver of the receiving department, or of 区政府办 for
what the district government received — who is recorded and printed on the 延期告知书."""
import pytest

from core.calendar.service import get_calendar
from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module import handling, intake, reply
from requests_module.common import clock
from requests_module.letter import letter_text
from tests.conftest import at, csrf_from, login, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, date, noon, received


def _dep(code):
    return Department.query.filter_by(code=code).one()


def test_online_application_is_received_and_answered_by_the_district_government(seeded):
    """Art. 27: the portal's form is addressed to 盐城市亭湖区人民政府 (its 公开办 receives it); assigning it to
    民政局 and reassigning it to 住建局 is internal and never changes who answers and signs."""
    staff = make_user("staff", "s@x.cn", department="zjj")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9))
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="公开办")
    intake.assign(req, _dep("mzj"), now=at(2026, 11, 2, 11), actor="公开办")
    handling.reassign(req, _dep("zjj"), reason="属住建局职责", now=at(2026, 11, 3, 9), actor="公开办")
    assert req.receiving_department_id is None
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                actor=staff)
    organ, paras = letter_text(req)
    assert organ == "盐城市亭湖区人民政府" and "向盐城市人民政府申请行政复议" in paras[-1]


def test_paper_application_is_received_by_the_registering_organ(seeded):
    """Art. 27: handed in at 民政局's window → 民政局 received it and signs, even after a reassignment; handed
    in at 政府办 (a supervisor registers it) → the district government."""
    mzj = make_user("staff", "m@x.cn", department="mzj")
    zjj = make_user("staff", "z@x.cn", department="zjj")
    req = intake.register_paper(APPLICATION, channel="in_person", received_on=date(2026, 11, 2),
                                now=noon(date(2026, 11, 2)), actor=mzj, department=_dep("mzj"))
    assert req.receiving_department.code == "mzj"
    handling.reassign(req, _dep("zjj"), reason="属住建局职责", now=at(2026, 11, 3, 9), actor="公开办")
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                actor=zjj)
    organ, paras = letter_text(req)
    assert organ == "盐城市亭湖区民政局" and "向盐城市亭湖区人民政府申请行政复议" in paras[-1]

    supervisor = make_user("supervisor", "sup@x.cn")
    other = intake.register_paper(APPLICATION, channel="mail", received_on=date(2026, 11, 2),
                                  now=noon(date(2026, 11, 2)), actor=supervisor, department=_dep("mzj"))
    assert other.receiving_department is None
    # 区政府办 staff receive for the government too: the letter is the government's, reconsidered by the city
    # (行政复议法 Art. 24 (1) 2), never one in the office's own name
    zfb = make_user("staff", "zf@x.cn", department="zfb")
    third = intake.register_paper(APPLICATION, channel="in_person", received_on=date(2026, 11, 2),
                                  now=noon(date(2026, 11, 2)), actor=zfb, department=_dep("mzj"))
    assert third.receiving_department is None


def test_information_of_another_organ_names_it_with_its_contact_details(seeded):
    """Art. 36 (5): the reply names the organ responsible for the information AND its contact details
    (a required pair); only that outcome carries them; the letter prints both."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2), actor=staff)
    with pytest.raises(ValidationError, match="联系方式") as err:
        reply.reply(req, outcome="unavailable_not_held", text="经检索，本机关不掌握。", holder_organ="盐城市民政局",
                    not_held_basis="not_ours", not_ours_reason="婚姻登记档案由市民政局保管并负责公开", on=date(2026, 11, 3),
                    now=noon(date(2026, 11, 3)), actor=staff)
    assert err.value.field == "holder_contact"
    with pytest.raises(ValidationError, match="只有"):
        reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开。", holder_organ="盐城市民政局", holder_contact="0515-1",
                    on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=staff)
    reply.reply(req, outcome="unavailable_not_held", text="经检索，本机关不掌握该信息。", holder_organ="盐城市民政局",
                not_held_basis="not_ours", not_ours_reason="婚姻登记档案由市民政局保管并负责公开",
                holder_contact="电话0515-88888888，地址盐城市世纪大道1号", on=date(2026, 11, 3),
                now=noon(date(2026, 11, 3)), actor=staff)
    assert req.holder_contact == "电话0515-88888888，地址盐城市世纪大道1号"
    _, paras = letter_text(req)
    assert any("负责公开该政府信息的行政机关为盐城市民政局，联系方式：电话0515-88888888，地址盐城市世纪大道1号。" in p
               for p in paras)


def test_holder_contact_on_the_page_and_in_the_api(app, client, seeded, api_as):
    """Art. 36 (5) through the handling page (a refused form keeps what was typed) and the API (400, then
    the field in the answer)."""
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "s@x.cn")
    req = received(date(2026, 11, 2))
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert 'name="holder_contact"' in page
    resp = client.post(f"/requests/staff/{req.id}/reply", data={
        "csrf_token": csrf_from(page), "outcome": "unavailable_not_held", "text": "本机关不掌握。",
        "not_held_basis": "not_ours", "not_ours_reason": "婚姻登记档案由市民政局保管",
        "holder_organ": "盐城市民政局", "holder_contact": "", "on": "2026-11-03"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "联系方式" in body and 'value="盐城市民政局"' in body
    caller = api_as("staff", "mzj")
    other = received(date(2026, 11, 2))
    bad = caller.post(f"/disclosure-requests/{other.id}/reply", {
        "outcome": "unavailable_not_held", "text": "本机关不掌握。", "holder_organ": "盐城市民政局",
        "not_ours_reason": "婚姻登记档案由市民政局保管", "on": "2026-11-03"},
        now=noon(date(2026, 11, 3)))
    assert bad.status_code == 400 and "联系方式" in bad.get_json()["message"]
    ok = caller.post(f"/disclosure-requests/{other.id}/reply", {
        "outcome": "unavailable_not_held", "text": "本机关不掌握。", "holder_organ": "盐城市民政局",
        "not_held_basis": "not_ours", "not_ours_reason": "婚姻登记档案由市民政局保管",
        "holder_contact": "0515-88888888", "on": "2026-11-03"}, now=noon(date(2026, 11, 3)))
    assert ok.status_code == 200, ok.get_json()
    data = ok.get_json()
    assert data["holder_contact"] == "0515-88888888" and data["receiving_organ"] == "盐城市亭湖区人民政府"


def test_extension_is_approved_by_the_issuing_organs_approver_and_recorded(app, client, seeded):
    """Art. 33 para. 2 ("经政府信息公开工作机构负责人同意") and Art. 4: for an application the district government
    received, the approver of 区政府办 (its 公开办) approves; their name is recorded and shown on the page."""
    approver = make_user("approver", "a@x.cn", department="zfb")
    req = received(date(2026, 9, 28))
    handling.extend(req, days=10, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)),
                    actor=approver)
    assert req.extension_approver_id == approver.id
    login(client, "a@x.cn")
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "已延长 10 个工作日，批准人：测试approver" in page


GOVERNMENT_HEAD = "延期须由盐城市亭湖区人民政府信息公开工作机构（区政府办）的负责人（审批人）批准"


@pytest.mark.parametrize("who", [("supervisor", None), ("approver", "zjj"), ("staff", "mzj"), ("approver", "mzj"),
                                 ("staff", "zfb")])
def test_extension_by_anyone_else_is_refused(seeded, who):
    """Art. 33 para. 2, Art. 4: a supervisor (督办), another organ's approver, staff, and the handling department's
    own approver (民政局 does not issue the government's letter) may not approve it (a clear message, 409)."""
    role, dep = who
    actor = make_user(role, f"{role}@x.cn", department=dep)
    req = received(date(2026, 9, 28))
    with pytest.raises(DomainError, match=GOVERNMENT_HEAD) as err:
        handling.extend(req, days=10, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)),
                        actor=actor)
    assert err.value.status == 409
    assert req.extension_days == 0 and req.extension_approver_id is None


def test_extension_refused_through_page_and_api_for_a_supervisor(app, client, seeded, api_as):
    """Art. 33 para. 2: the refusal holds on the page and in the API (403: not theirs to approve)."""
    make_user("supervisor", "sup@x.cn")
    login(client, "sup@x.cn")
    req = received(date(2026, 9, 28))
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "批准延期" not in page
    resp = client.post(f"/requests/staff/{req.id}/extend", data={"csrf_token": csrf_from(page), "days": "5",
                                                                  "reason": "x", "on": "2026-10-28"})
    assert resp.status_code == 403 and GOVERNMENT_HEAD in resp.get_data(as_text=True)
    other = api_as("approver", "zjj")
    assert other.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "x"}).status_code in (403, 404)


def test_backdated_extension_after_the_due_date_is_refused(seeded, api_as):
    """Art. 33 para. 2: the extension must be approved before the period runs out — one dated after the due
    date is refused, and so is one dated inside the period but entered after it ran out (a back-dated
    approval cannot reopen a period that has already run out)."""
    approver = make_user("approver", "a@x.cn", department="zfb")  # received by the government: 区政府办's head
    req = received(date(2026, 9, 28))
    due = clock(req).due_on
    after = get_calendar().add_workdays(due, 1)
    with pytest.raises(TransitionError, match="届满前"):
        handling.extend(req, days=5, reason="x", on=after, now=noon(after), actor=approver)
    with pytest.raises(DomainError, match="延长期限"):
        handling.extend(req, days=5, reason="x", on=due, now=noon(after), actor=approver)
    db.session.rollback()
    assert req.extension_days == 0 and clock(req).due_on == due
    caller = api_as("approver", "zfb", login="a2@x.cn")
    resp = caller.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "x", "on": due.isoformat()},
                       now=noon(after))
    assert resp.status_code == 409 and resp.get_json()["message"]


def test_sign_off_eight_working_days_after_the_draft_turns_the_verdict_late(seeded):
    """Art. 33: the reply is made when it is issued — a draft written two working days before the due date
    and signed off eight working days after it is late, and the letter bears the sign-off day."""
    _dep("zfb").requires_signoff = True  # received by the district government: its 公开办's setting and head
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="zfb")
    req = received(date(2026, 9, 28))
    due = clock(req).due_on
    cal = get_calendar()
    drafted = next(d for d in (date.fromordinal(due.toordinal() - k) for k in range(1, 10))
                   if cal.add_workdays(d, 2) == due)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="公开", on=drafted, now=noon(drafted), actor=staff)
    assert req.status == "awaiting_signoff" and clock(req).on_time is None
    signed = cal.add_workdays(drafted, 8)
    reply.sign_off(req, approve=True, now=noon(signed), actor=approver)
    assert req.replied_on == signed and clock(req).on_time is False
