"""The organ that receives and signs also approves extensions and signs off (legal review of issue 15): the
letters and notices of an application are the receiving organ's acts (受理机关, 条例 Art. 27, 36), so the head of
*that* organ's disclosure work acts — 条例 Art. 33 para. 2 ("经政府信息公开工作机构负责人同意") and Art. 4 (each
organ's 政府信息公开工作机构; for the district government, its 公开办 in 区政府办) — never the head of the unit the
work was assigned to inside the government."""
import pytest

from core.departments.models import Department
from core.errors import DomainError
from core.extensions import db
from requests_module import access, documents, handling, intake, reply
from requests_module.common import clock
from tests.conftest import csrf_from, login, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, date, noon, received
from tests.requests.test_documents import pdf_text

GOVERNMENT_HEAD = "延期须由盐城市亭湖区人民政府信息公开工作机构（区政府办）的负责人（审批人）批准"
MZJ_HEAD = "延期须由盐城市亭湖区民政局的负责人（审批人）批准"


def _dep(code):
    return Department.query.filter_by(code=code).one()


def _named(role, login_id, department, name):
    user = make_user(role, login_id, department=department)
    user.name = name
    db.session.commit()
    return user


def _received_by_mzj(day):
    """Handed in at 民政局's window and registered by its staff: 民政局 received it (Art. 27) and handles it."""
    clerk = make_user("staff", f"clerk{day.isoformat()}@x.cn", department="mzj")
    return intake.register_paper(APPLICATION, channel="in_person", received_on=day, now=noon(day), actor=clerk,
                                 department=_dep("mzj"))


def test_the_issuing_department_is_the_receiving_one_or_the_district_office(seeded):
    """Art. 4 with Art. 27: the district government acts through its 公开办 (区政府办); a department that received
    the application acts itself — whichever unit handles it."""
    government = received(date(2026, 11, 2))
    own = _received_by_mzj(date(2026, 11, 2))
    handling.reassign(own, _dep("zjj"), reason="属住建局职责", now=noon(date(2026, 11, 3)), actor="公开办")
    assert access.issuing_department_id(government) == _dep("zfb").id
    assert access.issuing_department(government).code == "zfb"
    assert access.issuing_department_id(own) == _dep("mzj").id and own.department.code == "zjj"


def test_government_received_application_handled_by_mzj_is_extended_by_the_district_office_head(
        app, client, seeded, api_as):
    """Art. 33 para. 2, Art. 4: received by the district government (its 公开办), handled by 民政局 — the 民政局
    approver is refused (service 409, page and API 403 with the reason); the 区政府办 approver approves and is
    printed on the 延期告知书 issued as 盐城市亭湖区人民政府."""
    mzj_head = _named("approver", "mzj.head@x.cn", "mzj", "李民政")
    req = received(date(2026, 9, 28))
    assert req.receiving_department_id is None and req.department.code == "mzj"
    with pytest.raises(DomainError, match=GOVERNMENT_HEAD) as err:
        handling.extend(req, days=10, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)),
                        actor=mzj_head)
    assert err.value.status == 409
    db.session.rollback()

    login(client, "mzj.head@x.cn")
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "批准延期" not in page  # the form is not offered to them
    resp = client.post(f"/requests/staff/{req.id}/extend", data={
        "csrf_token": csrf_from(page), "days": "10", "reason": "需调取档案", "on": "2026-10-28"})
    assert resp.status_code == 403 and GOVERNMENT_HEAD in resp.get_data(as_text=True)
    api_mzj = api_as("approver", "mzj", login="mzj.api@x.cn")
    r = api_mzj.post(f"/disclosure-requests/{req.id}/extension", {"days": 10, "reason": "需调取档案", "on": "2026-10-28"},
                     now=noon(date(2026, 10, 28)))
    assert r.status_code == 403 and GOVERNMENT_HEAD in r.get_json()["message"]
    db.session.expire_all()
    assert req.extension_days == 0

    zfb_head = _named("approver", "zfb.head@x.cn", "zfb", "王公开")
    handling.extend(req, days=10, reason="需调取档案", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)),
                    actor=zfb_head)
    assert req.extension_days == 10 and req.extension_approver_id == zfb_head.id
    doc = documents.latest(req, "extension_notice")
    text = pdf_text(client.get(f"/requests/staff/{req.id}/documents/{doc.id}.pdf").data)
    assert text.startswith("盐城市亭湖区人民政府") and "批准人：王公开。" in text and "李民政" not in text


def test_government_received_extension_through_the_api_by_the_district_office_head(seeded, api_as):
    """Art. 33 para. 2, Art. 4: the 区政府办 approver sees the application (assigned to 民政局) and extends it."""
    req = received(date(2026, 9, 28))
    zfb = api_as("approver", "zfb", login="zfb.api@x.cn")
    item = zfb.get(f"/disclosure-requests/{req.id}")
    assert item.status_code == 200 and item.get_json()["issuing_department"] == "zfb"
    schema = zfb.get("/openapi.json").get_json()["components"]["schemas"]
    assert any("issuing_department" in s.get("properties", {}) for s in schema.values())
    r = zfb.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "需调取档案", "on": "2026-10-28"},
                 now=noon(date(2026, 10, 28)))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["due_on"] == clock(req).due_on.isoformat()


def test_an_application_received_by_mzj_is_extended_by_the_mzj_head_only(client, seeded, api_as):
    """Art. 33 para. 2, Art. 4: 民政局 received it at its window, so 民政局's head approves — not the 区政府办 approver
    (not their organ's letter: they do not even see it), not a supervisor (403 with the reason, 409 in the service)."""
    req = _received_by_mzj(date(2026, 9, 28))
    supervisor = make_user("supervisor", "sup@x.cn")
    with pytest.raises(DomainError, match=MZJ_HEAD):
        handling.extend(req, days=5, reason="x", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)), actor=supervisor)
    zfb_head = make_user("approver", "zfb.head@x.cn", department="zfb")
    with pytest.raises(DomainError, match=MZJ_HEAD):
        handling.extend(req, days=5, reason="x", on=date(2026, 10, 28), now=noon(date(2026, 10, 28)), actor=zfb_head)
    db.session.rollback()
    zfb = api_as("approver", "zfb", login="zfb.api@x.cn")
    assert zfb.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "x", "on": "2026-10-28"},
                    now=noon(date(2026, 10, 28))).status_code == 404
    sup = api_as("supervisor", login="sup.api@x.cn")
    r = sup.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "x", "on": "2026-10-28"},
                 now=noon(date(2026, 10, 28)))
    assert r.status_code == 403 and MZJ_HEAD in r.get_json()["message"]
    mzj = api_as("approver", "mzj", login="mzj.api@x.cn")
    r = mzj.post(f"/disclosure-requests/{req.id}/extension", {"days": 5, "reason": "需调取档案", "on": "2026-10-28"},
                 now=noon(date(2026, 10, 28)))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["issuing_department"] == "mzj" and r.get_json()["extension_approver"]
    db.session.expire_all()
    assert req.extension_days == 5


def _draft(req, staff, day):
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=day, now=noon(day), actor=staff)
    assert req.status == "awaiting_signoff"


def test_sign_off_of_a_government_received_application_is_the_district_office_heads(app, client, seeded, api_as):
    """Art. 36 with Art. 4: the reply is the district government's letter, so 区政府办's setting decides that a draft
    needs sign-off and its head (or a supervisor, the district 公开办) signs it off — not 民政局's head (403 page
    and API, 409 service); the same holds for returning the draft."""
    _dep("zfb").requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2))
    _draft(req, staff, date(2026, 11, 3))
    mzj_head = make_user("approver", "mzj.head@x.cn", department="mzj")
    with pytest.raises(DomainError, match="须由盐城市亭湖区人民政府信息公开工作机构（区政府办）") as err:
        reply.sign_off(req, approve=True, now=noon(date(2026, 11, 4)), actor=mzj_head)
    assert err.value.status == 409
    db.session.rollback()
    login(client, "mzj.head@x.cn")
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "签发答复" not in page
    for action in ("sign_off", "return_reply"):
        resp = client.post(f"/requests/staff/{req.id}/{action}", data={"csrf_token": csrf_from(page), "note": "改"})
        assert resp.status_code == 403 and "区政府办" in resp.get_data(as_text=True), action
    api_mzj = api_as("approver", "mzj", login="mzj.api@x.cn")
    r = api_mzj.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": True}, now=noon(date(2026, 11, 4)))
    assert r.status_code == 403 and "区政府办" in r.get_json()["message"]
    zfb = api_as("approver", "zfb", login="zfb.api@x.cn")
    r = zfb.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": True}, now=noon(date(2026, 11, 4)))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "closed" and r.get_json()["receiving_organ"] == "盐城市亭湖区人民政府"

    other = received(date(2026, 11, 2))
    _draft(other, staff, date(2026, 11, 3))
    reply.sign_off(other, approve=True, now=noon(date(2026, 11, 4)), actor=make_user("supervisor", "sup@x.cn"))
    assert other.status == "closed" and other.replied_on == date(2026, 11, 4)


def test_sign_off_of_an_application_received_by_mzj_is_the_mzj_heads(seeded, api_as):
    """Art. 36 with Art. 4: 民政局 received it, so its setting and its head decide; a supervisor and the 区政府办
    approver are refused."""
    _dep("mzj").requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = _received_by_mzj(date(2026, 11, 2))
    _draft(req, staff, date(2026, 11, 3))
    for role, dep in (("supervisor", None), ("approver", "zfb")):
        with pytest.raises(DomainError, match="须由盐城市亭湖区民政局的负责人"):
            reply.sign_off(req, approve=True, now=noon(date(2026, 11, 4)), actor=make_user(role, f"{role}@x.cn",
                                                                                         department=dep))
        db.session.rollback()
    sup = api_as("supervisor", login="sup.api@x.cn")
    r = sup.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": True}, now=noon(date(2026, 11, 4)))
    assert r.status_code == 403 and "盐城市亭湖区民政局" in r.get_json()["message"]
    mzj = api_as("approver", "mzj", login="mzj.api@x.cn")
    r = mzj.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": True}, now=noon(date(2026, 11, 4)))
    assert r.status_code == 200 and r.get_json()["status"] == "closed", r.get_json()


def test_whether_a_reply_needs_sign_off_is_the_issuing_organs_affair(seeded):
    """Art. 36 with Art. 4 (lawyer finding 2): a reply in the district government's name written by 民政局, the unit
    it was assigned to, is always a draft for the government's sign-off, whatever 区政府办's setting; 区政府办's own
    staff follow 区政府办's `requires_signoff`; who may sign off issues directly; 民政局's own application follows
    民政局's setting, and the district office requiring sign-off does not hold it back."""
    _dep("mzj").requires_signoff = True
    assert not _dep("zfb").requires_signoff
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    government = received(date(2026, 11, 2))
    _draft(government, staff, date(2026, 11, 3))  # no one of the issuing organ was involved yet
    assert reply.needs_signoff(government, make_user("admin", "root@x.cn"))
    assert reply.needs_signoff(government, make_user("approver", "mzj.head@x.cn", department="mzj"))
    assert not reply.needs_signoff(government, make_user("staff", "zfb.s@x.cn", department="zfb"))
    assert not reply.needs_signoff(government, make_user("approver", "zfb.a@x.cn", department="zfb"))
    assert not reply.needs_signoff(government, make_user("supervisor", "sup@x.cn"))
    _dep("zfb").requires_signoff = True
    db.session.commit()
    assert reply.needs_signoff(government, make_user("staff", "zfb.s2@x.cn", department="zfb"))
    own = _received_by_mzj(date(2026, 11, 2))
    _draft(own, staff, date(2026, 11, 3))
    assert reply.needs_signoff(own, make_user("approver", "a@x.cn", department="zfb"))
    assert not reply.needs_signoff(own, make_user("approver", "b@x.cn", department="mzj"))
    _dep("mzj").requires_signoff = False
    db.session.commit()
    assert not reply.needs_signoff(own, staff)  # 民政局's own letter: its own setting


def test_a_reply_by_the_assigned_unit_closes_only_on_the_issuing_organs_sign_off(seeded):
    """Art. 36 with Art. 4 (lawyer finding 2): the district government received it, 民政局 answers — the letter is
    issued only when 区政府办's head signs it off, and then in the government's name."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    government = received(date(2026, 11, 2))
    _draft(government, staff, date(2026, 11, 3))
    assert government.reply_doc_number is None
    with pytest.raises(DomainError):
        reply.sign_off(government, approve=True, now=noon(date(2026, 11, 4)),
                       actor=make_user("approver", "mzj.a@x.cn", department="mzj"))
    reply.sign_off(government, approve=True, now=noon(date(2026, 11, 4)),
                   actor=make_user("approver", "zfb.a@x.cn", department="zfb"))
    assert government.status == "closed" and government.replied_on == date(2026, 11, 4)
    assert government.reply_doc_number


def test_the_issuing_departments_staff_see_the_application_in_lists_and_items(seeded, api_as):
    """Visibility follows who must act (Art. 4): 区政府办 sees what the government received (assigned or not), not
    what 民政局 received; 民政局 keeps seeing what it received after a reassignment to 住建局; lists and items agree."""
    government = received(date(2026, 11, 2))
    unassigned = received(date(2026, 11, 2), dep=None)
    own = _received_by_mzj(date(2026, 11, 2))
    handling.reassign(own, _dep("zjj"), reason="属住建局职责", now=noon(date(2026, 11, 3)), actor="公开办")
    zfb, mzj = api_as("staff", "zfb", login="zfb.s@x.cn"), api_as("approver", "mzj", login="mzj.a@x.cn")
    ids = lambda caller: {i["id"] for i in caller.get("/disclosure-requests").get_json()["items"]}  # noqa: E731
    assert ids(zfb) == {government.id, unassigned.id}
    assert ids(mzj) == {government.id, own.id}  # handles the first, received the second
    for caller, req, sees in ((zfb, own, False), (zfb, unassigned, True), (mzj, own, True), (mzj, unassigned, False)):
        assert (caller.get(f"/disclosure-requests/{req.id}").status_code == 200) is sees


@pytest.mark.parametrize("days", ["21", "0", str(2**70)])
def test_extension_days_out_of_range_on_the_page_name_the_legal_range(app, client, seeded, days):
    """Art. 33 para. 2 allows at most 20 working days: the page's message names 1–20 (not the integer range),
    and the typed reason stays in the form."""
    from tests.conftest import pinned
    req = received(date(2026, 9, 28))
    make_user("approver", "zfb.days@x.cn", department="zfb")
    login(client, "zfb.days@x.cn")
    with pinned(app, noon(date(2026, 10, 28))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        resp = client.post(f"/requests/staff/{req.id}/extend", data={
            "csrf_token": csrf_from(page), "days": days, "reason": "需调取十年前的档案", "on": "2026-10-28"})
    html = resp.get_data(as_text=True)
    assert resp.status_code in (200, 400, 409) and "延长天数应在 1 到 20 之间" in html
    assert "2147483647" not in html and "需调取十年前的档案" in html
    assert req.extension_days == 0


def test_no_draft_waits_for_an_organ_without_a_head(app, seeded, api_as):
    """The admin cannot make replies of a department wait for a head it does not have (requires_signoff without an
    approver account is refused); a draft already waiting can be returned by the 公开办 (a supervisor), though only
    the organ's head signs it."""
    from core.departments.service import update_department
    from core.errors import ValidationError
    from tests.conftest import at
    sfj = _dep("sfj")
    with pytest.raises(ValidationError, match="还没有负责人") as err:
        update_department(sfj, {"requires_signoff": True}, now=at(2026, 11, 2, 9), actor="admin")
    assert err.value.field == "requires_signoff" and not sfj.requires_signoff
    make_user("approver", "sfj.head@x.cn", department="sfj")
    update_department(sfj, {"requires_signoff": True}, now=at(2026, 11, 2, 9), actor="admin")
    clerk = make_user("staff", "sfj.clerk@x.cn", department="sfj")
    req = received(date(2026, 11, 2), dep="sfj", actor=clerk)
    reply.reply(req, outcome="not_processed_repeat", legal_ground="条例第三十六条第（六）项", text="重复申请。",
                on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=clerk)
    assert req.status == "awaiting_signoff"
    supervisor = api_as("supervisor", None, login="sup.return@x.cn")
    r = supervisor.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": True}, now=noon(date(2026, 11, 4)))
    assert r.status_code == 403
    r = supervisor.post(f"/disclosure-requests/{req.id}/sign-off", {"approve": False, "note": "请补充理由"},
                        now=noon(date(2026, 11, 4)))
    assert r.status_code == 200 and r.get_json()["status"] == "assigned"
