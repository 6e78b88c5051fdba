"""Building applications for tests."""
from datetime import date

from core.departments.models import Department
from requests_module import intake
from tests.conftest import at

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
    from core.extensions import db
    from tests.conftest import pinned

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
