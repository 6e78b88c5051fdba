"""Extension requests (issue 18 item 13; 条例 Art. 33 para. 2): a clerk asks, the head of the issuing organ's
disclosure work decides — approval extends from that day and issues the 延期告知书, refusal tells the clerk why;
decided once; a request after the due date is refused. The same answer from the page and the API for every role."""
from datetime import timedelta

import pytest

from core.audit import AuditEvent
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.notifications.models import Notification
from core.workflow import TransitionError
from requests_module import documents, extensions
from requests_module.common import clock
from requests_module.extension_models import ExtensionRequest
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import date, noon, received

GOVERNMENT_HEAD = "延期须由盐城市亭湖区人民政府信息公开工作机构（区政府办）的负责人（审批人）批准"
FILED, DECIDED = noon(date(2026, 10, 20)), noon(date(2026, 10, 21))


def _case():
    """An application the district government received on 2026-09-28, handled by 民政局: its clerk, and the
    head of 区政府办 (the issuing organ's disclosure work) who decides."""
    clerk = make_user("staff", "clerk@x.cn", department="mzj")
    head = make_user("approver", "zfb.head@x.cn", department="zfb")
    return clerk, head, received(date(2026, 9, 28))


def _events(req, action):
    return AuditEvent.query.filter_by(entity_kind="disclosure_request", entity_id=str(req.id), action=action).count()


def test_a_clerk_files_and_the_head_approves_from_the_day_of_approval(seeded):
    clerk, head, req = _case()
    original = clock(req).due_on
    with pytest.raises(ValidationError, match="请写明延期理由"):
        extensions.request_extension(req, days=10, reason="  ", now=FILED, actor=clerk)
    with pytest.raises(ValidationError, match="1 到 20"):
        extensions.request_extension(req, days=21, reason="需调取档案", now=FILED, actor=clerk)
    ext = extensions.request_extension(req, days=10, reason="需调取档案。", now=FILED, actor=clerk)
    assert ext.status == "pending" and extensions.pending_of(req) == ext and req.extension_days == 0
    assert clock(req).due_on == original  # nothing moves before the head agrees
    told = Notification.query.filter_by(user_id=head.id, event="extension_request_filed").one()
    assert "需调取档案，" not in told.body and "。。" not in told.body and req.number in told.body
    with pytest.raises(TransitionError, match="待审批"):
        extensions.request_extension(req, days=5, reason="再次申请", now=FILED, actor=clerk)
    assert extensions.awaiting(head) == [ext] and extensions.awaiting(clerk) == []

    extensions.decide(req, ext, approve=True, reason=None, now=DECIDED, actor=head)
    assert ext.status == "approved" and ext.decided_by_id == head.id
    assert req.extension_days == 10 and req.extension_approver_id == head.id
    assert clock(req).due_on > original
    doc = documents.latest(req, "extension_notice")  # the legal notice to the applicant, as before
    assert doc is not None and doc.issued_on == date(2026, 10, 21)
    assert Notification.query.filter_by(user_id=clerk.id, event="extension_request_decided").one().body.count("已批准") == 1
    assert _events(req, "extension_requested") == 1 and _events(req, "extension") == 1
    with pytest.raises(TransitionError, match=r"该延期申请已处理（已批准，") as refused:
        extensions.decide(req, ext, approve=False, reason="改主意", now=DECIDED, actor=head)
    assert "已已" not in str(refused.value)
    with pytest.raises(TransitionError, match="只能延长一次"):
        extensions.request_extension(req, days=5, reason="再延", now=DECIDED, actor=clerk)


def test_the_head_refuses_with_a_reason_the_clerk_is_told(seeded):
    clerk, head, req = _case()
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    with pytest.raises(ValidationError, match="不批准时请写明理由"):
        extensions.decide(req, ext, approve=False, reason=" ", now=DECIDED, actor=head)
    extensions.decide(req, ext, approve=False, reason="档案已调取，可按期答复", now=DECIDED, actor=head)
    assert ext.status == "refused" and ext.refusal_reason == "档案已调取，可按期答复" and req.extension_days == 0
    body = Notification.query.filter_by(user_id=clerk.id, event="extension_request_decided").one().body
    assert "未批准" in body and "档案已调取，可按期答复" in body
    assert documents.latest(req, "extension_notice") is None
    again = extensions.request_extension(req, days=5, reason="新情况", now=DECIDED, actor=clerk)  # may ask again
    assert again.status == "pending"


def test_after_the_due_date_a_request_and_an_approval_are_refused(seeded):
    clerk, head, req = _case()
    due = clock(req).due_on
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    with pytest.raises(TransitionError, match="届满前批准"):
        extensions.decide(req, ext, approve=True, reason=None, now=noon(due + timedelta(days=3)), actor=head)
    db.session.rollback()
    assert db.session.get(ExtensionRequest, ext.id).status == "pending"
    extensions.decide(req, ext, approve=False, reason="已超期", now=noon(due + timedelta(days=3)), actor=head)
    with pytest.raises(TransitionError, match="答复期限已于.*届满，不能再申请延期"):
        extensions.request_extension(req, days=10, reason="需调取档案", now=noon(due + timedelta(days=3)), actor=clerk)


def test_only_the_issuing_organs_head_decides(seeded):
    clerk, head, req = _case()
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    for who in (clerk, make_user("approver", "mzj.head@x.cn", department="mzj"), make_user("supervisor", "sup@x.cn")):
        with pytest.raises(DomainError, match=GOVERNMENT_HEAD):
            extensions.decide(req, ext, approve=True, reason=None, now=DECIDED, actor=who)
    with pytest.raises(DomainError, match="只有承办部门"):
        extensions.request_extension(req, days=10, reason="x", now=FILED,
                                     actor=make_user("staff", "zjj@x.cn", department="zjj"))


# Every role, through the API and the page: (role, department) → (file, decide) statuses.
ROLES = [
    (("staff", "mzj"), 200, 403), (("approver", "mzj"), 200, 403), (("approver", "zfb"), 200, 200),
    (("staff", "zjj"), 404, 404), (("approver", "zjj"), 404, 404), (("supervisor", None), 200, 403),
    (("admin", None), 200, 403), (("operator", None), 403, 403), (("citizen", None), 403, 403),
]


API_ROLES = [r for r in ROLES if r[0][0] != "citizen"]  # citizens hold no API token (core.auth.service.create_token)


@pytest.mark.parametrize(("who", "file_status", "decide_status"), API_ROLES,
                         ids=[f"{r}-{d}" for (r, d), _, _ in API_ROLES])
def test_every_role_through_the_api(seeded, api_as, who, file_status, decide_status):
    clerk, _, req = _case()
    caller = api_as(*who, login="caller@x.cn")
    r = caller.post(f"/disclosure-requests/{req.id}/extension-requests", {"days": 10, "reason": "需调取档案"}, now=FILED)
    assert r.status_code == file_status, r.get_json()
    if file_status == 200:
        assert r.get_json()["extension_requests"][0]["status"] == "pending"
    req = received(date(2026, 9, 28))  # the decision: on the clerk's request (nobody decides their own)
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    url = f"/disclosure-requests/{req.id}/extension-requests/{ext.id}/decision"
    r = caller.post(url, {"approve": True}, now=DECIDED)
    assert r.status_code == decide_status, r.get_json()
    if decide_status == 403:  # handlers are told who decides; others have no part in applications
        assert (GOVERNMENT_HEAD in r.get_json()["message"]) == (who[0] not in ("operator", "citizen"))
    if decide_status == 200:
        body = r.get_json()
        assert body["extension_requests"][0]["status"] == "approved" and body["due_on"] == clock(req).due_on.isoformat()
        assert caller.post(url, {"approve": False, "reason": "x"}, now=DECIDED).status_code == 409
    listed = caller.get("/disclosure-requests/extension-requests")
    assert listed.status_code == (200 if who[0] not in ("operator", "citizen") else 403)
    if who == ("approver", "zfb") and decide_status != 200:
        assert [x["id"] for x in listed.get_json()["items"]] == [ext.id]


def test_the_api_refuses_bad_bodies_and_foreign_requests(seeded, api_as):
    clerk, _, req = _case()
    other = received(date(2026, 9, 28))
    ext = extensions.request_extension(other, days=10, reason="需调取档案", now=FILED, actor=clerk)
    head = api_as("approver", "zfb", login="api.head@x.cn")
    assert head.get("/disclosure-requests/extension-requests").get_json()["items"][0]["id"] == ext.id
    assert head.post(f"/disclosure-requests/{req.id}/extension-requests/{ext.id}/decision", {"approve": True},
                     now=DECIDED).status_code == 404
    url = f"/disclosure-requests/{other.id}/extension-requests/{ext.id}/decision"
    assert head.post(url, {"approve": "yes"}, now=DECIDED).status_code == 400
    r = head.post(url, {"approve": False}, now=DECIDED)
    assert r.status_code == 400 and "理由" in r.get_json()["message"] + str(r.get_json().get("fields"))
    staff = api_as("staff", "mzj", login="api.clerk@x.cn")
    r = staff.post(f"/disclosure-requests/{req.id}/extension-requests", {"days": 10, "reason": ""}, now=FILED)
    assert r.status_code == 400
    late = noon(clock(req).due_on + timedelta(days=3))
    r = staff.post(f"/disclosure-requests/{req.id}/extension-requests", {"days": 10, "reason": "需调取档案"}, now=late)
    assert r.status_code == 409 and "不能再申请延期" in r.get_json()["message"]


@pytest.mark.parametrize(("who", "file_status", "decide_status"), ROLES, ids=[f"{r}-{d}" for (r, d), _, _ in ROLES])
def test_every_role_through_the_page(app, client, seeded, who, file_status, decide_status):
    clerk, _, req = _case()
    make_user(who[0], "caller@x.cn", department=who[1])
    login(client, "caller@x.cn")
    page = client.get(f"/requests/staff/{req.id}")
    token = csrf_from(client.get("/").get_data(as_text=True))  # the sign-out form's token, on every page
    with pinned(app, FILED):
        r = client.post(f"/requests/staff/{req.id}/extension_request",
                        data={"csrf_token": token, "days": "10", "reason": "需调取档案"})
    assert r.status_code == (302 if file_status == 200 else file_status)
    req = received(date(2026, 9, 28))  # the decision: on the clerk's request (nobody decides their own)
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    with pinned(app, DECIDED):
        if page.status_code == 200:  # the second application is of the same department as the first
            html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
            assert "延期申请待审批" in html and ("审批延期申请" in html) == (decide_status == 200)
        r = client.post(f"/requests/staff/{req.id}/extension_decision",
                        data={"csrf_token": token, "extension_request": str(ext.id), "decision": "approve"})
    assert r.status_code == (302 if decide_status == 200 else decide_status)
    if decide_status == 403 and who[0] != "operator" and who[0] != "citizen":
        assert GOVERNMENT_HEAD in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExtensionRequest, ext.id).status == ("approved" if decide_status == 200 else "pending")


def test_the_page_keeps_what_was_typed_and_the_head_sees_the_queue(app, client, seeded):
    clerk, head, req = _case()
    login(client, "clerk@x.cn")
    html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "申请延期（报负责人审批" in html and "批准延期" not in html
    with pinned(app, FILED):
        r = client.post(f"/requests/staff/{req.id}/extension_request",
                        data={"csrf_token": csrf_from(html), "days": "30", "reason": "需调取<script>档案</script>"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "1 到 20" in body and "需调取&lt;script&gt;档案&lt;/script&gt;" in body
    assert "<script>档案" not in body
    with pinned(app, FILED):
        r = client.post(f"/requests/staff/{req.id}/extension_request",
                        data={"csrf_token": csrf_from(html), "days": "10", "reason": "需调取档案"})
    assert r.status_code == 302
    assert "延期申请待审批" in client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    login(client, "zfb.head@x.cn")
    queue = client.get("/requests/staff/").get_data(as_text=True)
    assert "延期申请待审批（1）" in queue and req.number in queue
    html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    ext = extensions.pending_of(req)
    with pinned(app, DECIDED):
        r = client.post(f"/requests/staff/{req.id}/extension_decision",
                        data={"csrf_token": csrf_from(html), "extension_request": str(ext.id), "decision": "refuse",
                              "refusal_reason": ""})
    assert r.status_code == 400 and "不批准时请写明理由" in r.get_data(as_text=True)
    with pinned(app, DECIDED):
        r = client.post(f"/requests/staff/{req.id}/extension_decision",
                        data={"csrf_token": csrf_from(html), "extension_request": str(ext.id), "decision": "refuse",
                              "refusal_reason": "可按期答复"})
    assert r.status_code == 302
    html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "未批准" in html and "可按期答复" in html and "延期申请待审批（" not in client.get("/requests/staff/").get_data(as_text=True)


@pytest.fixture
def shared_db(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server both requests share (the SQLite test database is in memory)")
    return app


def test_two_heads_decide_the_same_request_at_once(shared_db, seeded, monkeypatch):
    """Two heads of 区政府办 decide one request at the same moment (two real requests, PostgreSQL): one decision
    stands, the other is refused (409); the extension and its 延期告知书 exist once."""
    from tests.test_concurrency import _bearer, _race, _together
    clerk, head, req = _case()
    other = make_user("approver", "zfb.head2@x.cn", department="zfb")
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    db.session.commit()
    _together(monkeypatch, extensions, "decide")
    url = f"/api/v1/disclosure-requests/{req.id}/extension-requests/{ext.id}/decision"
    with pinned(shared_db, DECIDED):
        results = _race(shared_db, [(url, {"approve": True}, _bearer(head, DECIDED)),
                                    (url, {"approve": False, "reason": "可按期答复"}, _bearer(other, DECIDED))])
    assert sorted(r.status_code for r in results) == [200, 409], [r.get_json() for r in results]
    db.session.expire_all()
    decided = db.session.get(ExtensionRequest, ext.id)
    req = db.session.get(type(req), req.id)
    assert decided.status in ("approved", "refused")
    assert req.extension_days == (10 if decided.status == "approved" else 0)
    assert _events(req, "extension") + _events(req, "extension_refused") == 1
    assert (documents.latest(req, "extension_notice") is not None) == (decided.status == "approved")


def test_nobody_decides_their_own_request_page_and_api(app, client, seeded, api_as):
    """An approver who files a request is not told of it as its approver and cannot decide it (page: 403 with
    the reason; API: 403); another head of the issuing organ can."""
    _, head, req = _case()
    other_head = make_user("approver", "zfb.other@x.cn", department="zfb")
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=head)
    assert Notification.query.filter_by(user_id=other_head.id, event="extension_request_filed").count() == 1
    assert Notification.query.filter_by(user_id=head.id, event="extension_request_filed").count() == 0
    with pytest.raises(DomainError, match=extensions.OWN_REQUEST):
        extensions.decide(req, ext, approve=True, reason=None, now=DECIDED, actor=head)
    login(client, "zfb.head@x.cn")
    html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    with pinned(app, DECIDED):
        r = client.post(f"/requests/staff/{req.id}/extension_decision",
                        data={"csrf_token": csrf_from(html), "extension_request": str(ext.id), "decision": "approve"})
    assert r.status_code == 403 and extensions.OWN_REQUEST in r.get_data(as_text=True)
    caller = api_as("approver", "zfb", login="api.zfb@x.cn")
    other = received(date(2026, 9, 28))
    mine = caller.post(f"/disclosure-requests/{other.id}/extension-requests", {"days": 10, "reason": "需调取档案"},
                       now=FILED).get_json()["extension_requests"][0]["id"]
    r = caller.post(f"/disclosure-requests/{other.id}/extension-requests/{mine}/decision", {"approve": True}, now=DECIDED)
    assert r.status_code == 403 and extensions.OWN_REQUEST in r.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(ExtensionRequest, ext.id).status == "pending"
    extensions.decide(req, ext, approve=True, reason=None, now=DECIDED, actor=other_head)
    assert ext.status == "approved"


def test_a_request_nobody_could_decide_is_refused(seeded, api_as):
    """住建局 as the receiving organ has no approver account: the request is refused, naming what is missing; the
    organ's only head cannot file one either (nobody else could decide it)."""
    clerk = make_user("staff", "zjj.clerk@x.cn", department="zjj")
    req = received(date(2026, 9, 28), dep="zjj", actor=clerk)  # registered at 住建局's window: it receives it
    with pytest.raises(TransitionError, match=extensions.NO_APPROVER):
        extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    r = api_as("staff", "zjj", login="api.zjj@x.cn").post(f"/disclosure-requests/{req.id}/extension-requests",
                                                          {"days": 10, "reason": "需调取档案"}, now=FILED)
    assert r.status_code == 409 and extensions.NO_APPROVER in r.get_json()["message"]
    only = make_user("approver", "zjj.head@x.cn", department="zjj")
    with pytest.raises(TransitionError, match=extensions.OWN_REQUEST):
        extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=only)
    assert extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk).status == "pending"
    assert ExtensionRequest.query.count() == 1


def test_the_api_names_its_own_field_for_a_missing_reason(seeded, api_as):
    clerk, _, req = _case()
    ext = extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    head = api_as("approver", "zfb", login="api.head@x.cn")
    r = head.post(f"/disclosure-requests/{req.id}/extension-requests/{ext.id}/decision", {"approve": False},
                  now=DECIDED)
    assert r.status_code == 400 and "refusal_reason" not in str(r.get_json())
    assert "reason" in r.get_json()["fields"]


def test_the_timeline_shows_no_raw_key_of_the_request(app, client, seeded):
    clerk, _, req = _case()
    extensions.request_extension(req, days=10, reason="需调取档案", now=FILED, actor=clerk)
    login(client, "clerk@x.cn")
    html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "extension_request" not in html.replace('name="extension_request"', "").replace("/extension_request", "")
    assert "需调取档案" in html
