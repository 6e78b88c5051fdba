"""Building applications for tests."""
from datetime import date

import pytest

from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from requests_module import intake
from tests.conftest import at, csrf_from, login, make_user, pinned

APPLICATION = {
    "applicant_type": "person", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13800001111", "email": "", "address": "亭湖区某路1号", "title": "2025年城乡低保对象名单",
    "description": "请公开本区2025年城乡低保对象名单及低保标准。", "form": "electronic", "delivery": "online",
    "publish_consent": "y",
}

# 条例 Art. 36 (2) / Art. 37: a disclosing reply says how, where and when the applicant obtains the information
# (requests_module/disclosed.py). Tests replying 予以公开 / 部分公开 pass these values; nothing defaults them.
DISCLOSED = {"disclosure_basis": "provided", "disclosure_access": "随本答复书附送该政府信息，于答复之日一并送达"}
PARTLY = {"disclosure_access": "可以公开的部分随本答复书附送，于答复之日一并送达"}

# The guidance (指导和释明, 条例 Art. 30) the tests' correction notices give.
GUIDANCE = "请写明文件标题、文号或发布年份等能够特指所需信息的内容"


def answer_fields(outcome):
    """The disclosure fields a reply with `outcome` needs (none for an outcome that discloses nothing)."""
    return {"disclosed": DISCLOSED, "partly_disclosed": PARTLY}.get(outcome, {})


def received(day, *, dep="mzj", actor="test", **changes):
    """An application registered on paper with receipt date `day` and assigned to `dep`."""
    req = intake.register_paper({**APPLICATION, **changes}, channel="in_person", received_on=day,
                                now=at(day.year, day.month, day.day, 10), actor=actor)
    if dep:
        intake.assign(req, Department.query.filter_by(code=dep).one(), now=at(day.year, day.month, day.day, 11),
                      actor=actor)
    return req


def noon(day):
    return at(day.year, day.month, day.day, 12)


def staff_and_application():
    """民政局 staff (s@x.cn) and an application received on 2026-11-02 and assigned to 民政局 by them."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    return staff, received(date(2026, 11, 2), actor=staff)


def signoff_case():
    """民政局 requires sign-off: its staff (s@x.cn), its approver (a@x.cn) and an application received on
    2026-11-02 and assigned by the staff member. Returns (staff, approver, application)."""
    Department.query.filter_by(code="mzj").one().requires_signoff = True
    db.session.commit()
    staff = make_user("staff", "s@x.cn", department="mzj")
    approver = make_user("approver", "a@x.cn", department="mzj")
    return staff, approver, received(date(2026, 11, 2), actor=staff)


def logged_in_application(client):
    """民政局 staff (s@x.cn) signed in on `client`, and an application received on 2026-11-02 for 民政局."""
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "s@x.cn")
    return received(date(2026, 11, 2))


# 民政局 on the admin's department form (core/departments), as the tests post it.
MZJ_FORM = {"code": "mzj", "name": "民政局", "full_name": "盐城市亭湖区民政局", "kind": "organ", "active": "y"}


def admin_on_the_mzj_form(app):
    """An admin (admin@x.cn) signed in on a client of their own, and 民政局's edit page as shown to them."""
    make_user("admin", "admin@x.cn")
    client = app.test_client()
    login(client, "admin@x.cn")
    return client, client.get("/admin/departments/mzj/edit").get_data(as_text=True)


def assert_refused(reply_with, req, staff, kw, field, words):
    """A reply with the answer fields `kw` is refused naming `field` with `words`; the application stays assigned."""
    with pytest.raises(ValidationError, match=words) as err:
        reply_with(req, staff, **kw)
    assert err.value.field == field and req.status == "assigned"


def preview_on_the_page(app, client, req, day, **form):
    """The reply preview posted from `req`'s handling page (with its CSRF token) at noon on `day`: the status
    and the HTML."""
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    with pinned(app, noon(day)):
        resp = client.post(f"/requests/staff/{req.id}/reply-preview", data={**form, "csrf_token": csrf_from(page)})
    return resp.status_code, resp.get_data(as_text=True)


def handling_page(client, login_id, req):
    """`req`'s handling page as the user `login_id` (signed in on `client`) sees it."""
    login(client, login_id)
    return client.get(f"/requests/staff/{req.id}").get_data(as_text=True)


def signed_off(req, approver, day):
    """`req` as stored after `approver` approved its draft at noon on `day`."""
    from requests_module import reply
    reply.sign_off(req, approve=True, now=noon(day), actor=approver)
    return stored(req)


def stored(req):
    """`req` as the database holds it now (what a request of its own would read)."""
    from requests_module.models import DisclosureRequest
    db.session.expire_all()
    return db.session.get(DisclosureRequest, req.id)


def reply_properties(client):
    """The properties of the reply's request body in the API's OpenAPI document."""
    spec = client.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/disclosure-requests/{request_id}/reply"]["post"]["requestBody"]
    return spec, body["content"]["application/json"]["schema"]["properties"]


def deliver(req, kind, day, *, method="in_person", now=None, actor="test", **kw):
    """Record that the latest document of `kind` reached its addressee on `day` (送达)."""
    from requests_module import documents
    doc = documents.latest(req, kind)
    return documents.record_delivery(req, doc, method=method, delivered_on=day, now=now or noon(day), actor=actor,
                                     **kw)


def api_consulted(staff, party="某化工有限公司"):
    """Through the API: an application registered by 民政局 staff on 2026-11-02, a third party consulted on 11-03.
    Returns (application id, consultation id)."""
    r = staff.post("/disclosure-requests", {**APPLICATION, "publish_consent": False, "received_on": "2026-11-02",
                                            "department": "mzj"}, now=noon(date(2026, 11, 2)))
    rid = r.get_json()["id"]
    r = staff.post(f"/disclosure-requests/{rid}/consultations", {"kind": "third_party", "party": party, "party_type": "org",
                                                                 "on": "2026-11-03"}, now=noon(date(2026, 11, 3)))
    return rid, r.get_json()["consultations"][0]["id"]


def parallel_replies(app, issuers, day):
    """Reply to every application of `issuers` ({request id: user who issues it}) at the same moment, each in its
    own request thread (its own transaction) through the API; the answers by request id."""
    import threading

    from core.auth.service import create_token

    headers = {rid: {"Authorization": "Bearer " + create_token(user, now=at(2026, 11, 1))[0]}
               for rid, user in issuers.items()}
    db.session.commit()
    barrier, results = threading.Barrier(len(issuers), timeout=30), {}

    def issue(request_id):
        client = app.test_client()
        barrier.wait()
        results[request_id] = client.post(f"/api/v1/disclosure-requests/{request_id}/reply", headers=headers[request_id],
                                          json={"outcome": "disclosed", **DISCLOSED, "text": "提供。"})
    threads = [threading.Thread(target=issue, args=(rid,)) for rid in issuers]
    with pinned(app, noon(day)):
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(r.status_code for r in results.values()) == [200] * len(issuers), \
        [r.get_json() for r in results.values()]
    return results


__all__ = ["APPLICATION", "received", "noon", "deliver", "date", "api_consulted"]
