"""Every action on a disclosure application, tried by every role through the handling page and through
the API (issue 14): the answers agree with each other and with the table below — written here
independently of requests_module/access.py — whatever state the application is in (a permitted action
may still be refused by the state table or by validation, but never as a matter of authority)."""
import pytest

from requests_module import disputes, handling
from tests.access_matrix import Visitor, check, make_people
from tests.conftest import at, make_user
from tests.requests.helpers import date, received

HANDLE = {"confirm", "assign", "reject", "reassign", "correction_notice", "correction", "consult", "consult_answer",
          "fee_notice", "payment", "reply", "dispute", "dispute_result", "reason_request", "reasons",
          "fee_refund"}
SIGN = {"sign_off", "return_reply", "reason_decision"}  # Art. 35's finding: the organ's head
EXTEND = {"extend"}  # 条例 Art. 33 para. 2 with Art. 4: only the issuing organ's head (its 公开工作机构's approver)
APPROVE = SIGN | EXTEND
# Who may do what on an application assigned to 民政局 (mzj), by the organ that received it (条例 Art. 27) and so
# issues its letters: the district government (online, or at 政府办: its 公开办 in 区政府办 acts for it) or 民政局
# itself (handed in at its window). Extension and sign-off are the issuing organ's head's (Art. 4, 33 para. 2).
EXPECTED = {
    "government": {
        "operator": set(),  # hotline operators have no part in disclosure applications
        # 不予处理 at intake is a letter with no draft stage: only who issues directly for the organ (条例 Art. 4, 36)
        "staff of the department": HANDLE - {"reject"},
        "approver of the department": HANDLE - {"reject"},  # handles it, but the letter is the government's
        "staff of another department": set(),
        "approver of another department": set(),
        "staff of the district office": HANDLE,  # the government's 公开办 (区政府办)
        "approver of the district office": HANDLE | APPROVE,
        "supervisor": HANDLE | SIGN,  # the district 公开办 signs off the government's replies, approves no extension
        "admin": HANDLE - {"reject"},
        "citizen": set(),
    },
    "department": {
        "operator": set(),
        "staff of the department": HANDLE,
        "approver of the department": HANDLE | APPROVE,
        "staff of another department": set(),
        "approver of another department": set(),
        "staff of the district office": set(),  # not the government's application
        "approver of the district office": set(),
        # oversight handles, and may return a draft so none waits for an organ without a head in the system, but
        # does not sign or otherwise issue 民政局's letters
        "supervisor": HANDLE - {"reject"} | {"return_reply"},
        "admin": HANDLE - {"reject"},
        "citizen": set(),
    },
}
USERS = {
    "operator": ("operator", None), "staff of the department": ("staff", "mzj"),
    "approver of the department": ("approver", "mzj"), "staff of another department": ("staff", "zjj"),
    "approver of another department": ("approver", "zjj"), "staff of the district office": ("staff", "zfb"),
    "approver of the district office": ("approver", "zfb"), "supervisor": ("supervisor", None),
    "admin": ("admin", None), "citizen": ("citizen", None),
}
# page action → (API path after /api/v1/disclosure-requests/<id>/, JSON body)
API = {
    "confirm": ("confirm-receipt", {}), "assign": ("assign", {}), "reassign": ("assign", {}),
    "reject": ("reject", {}), "correction_notice": ("correction-notice", {}), "correction": ("correction", {}),
    "consult": ("consultations", {}), "consult_answer": ("consultations/{consultation}/answer", {}),
    "fee_notice": ("fee-notice", {}), "payment": ("payment", {}), "fee_refund": ("fee-refund", {}), "extend": ("extension", {}),
    "reply": ("reply", {}), "sign_off": ("sign-off", {"approve": True}),
    "return_reply": ("sign-off", {"approve": False}), "dispute": ("disputes", {}),
    "dispute_result": ("disputes/{dispute}/result", {}),
    "reason_request": ("reason-request", {}), "reasons": ("reasons", {}), "reason_decision": ("reason-decision", {}),
}
ACTIONS = sorted(HANDLE | APPROVE)


@pytest.fixture
def people(seeded):
    return make_people(USERS)


def _application(people, receiver):
    """Assigned to 民政局; received by the district government (registered by the 公开办) or by 民政局 (its staff)."""
    actor = people["staff of the department"] if receiver == "department" else "test"
    return received(date(2026, 11, 2), actor=actor)


@pytest.mark.parametrize("receiver", list(EXPECTED))
@pytest.mark.parametrize("label", list(USERS))
def test_every_action_as_every_role_pages_and_api_agree(app, people, label, receiver):
    from requests_module.models import Consultation, Dispute
    visitor, tries = Visitor(app, people[label]), []
    for action in ACTIONS:
        on_page = visitor.post_page(f"/requests/staff/{_application(people, receiver).id}/{action}")
        req = _application(people, receiver)
        handling.add_consultation(req, kind="organ", party="市民政局", sent_on=date(2026, 11, 3),
                                  now=at(2026, 11, 3, 9), actor="test")
        disputes.file_dispute(req, kind="reconsideration", filed_on=date(2026, 11, 4), note="复议",
                        today=date(2026, 11, 4), now=at(2026, 11, 4, 9), actor="test")
        ids = {"consultation": Consultation.query.filter_by(request_id=req.id).one().id,
               "dispute": Dispute.query.filter_by(request_id=req.id).one().id}
        path, body = API[action]
        tries.append((action, on_page,
                      visitor.post_api(f"/api/v1/disclosure-requests/{req.id}/{path.format(**ids)}", body)))
    check(label, EXPECTED[receiver][label], tries)


@pytest.mark.parametrize("receiver", list(EXPECTED))
@pytest.mark.parametrize("label", list(USERS))
def test_only_staff_of_the_department_and_oversight_read_it(app, people, label, receiver):
    """Reading: the handling page, the API item and the API list agree (operators see none of it); the issuing
    department's staff read it too (区政府办: what the government received)."""
    req, visitor = _application(people, receiver), Visitor(app, people[label])
    sees = bool(EXPECTED[receiver][label] & HANDLE)
    assert (visitor.page.get(f"/requests/staff/{req.id}").status_code == 200) is sees
    assert (visitor.page.get(f"/requests/{req.id}").status_code == 200) is sees  # the citizen page: not for others
    assert visitor.reads_in_api("/api/v1/disclosure-requests", req.id) in (None, sees)  # None: no API token


def _posted_from_the_citizen_page(app, people, action, text):
    """The applicant (owner, a citizen) and each of `people` post `text` to `action` of a fresh online
    application of the owner's from the citizen page: the status each got, by label."""
    from requests_module import intake
    from tests.requests.helpers import APPLICATION
    owner = make_user("citizen", "13800007777")
    statuses = {}
    for label, user in [("owner", owner), *people.items()]:
        req = intake.submit_online({**APPLICATION, "phone": "13800007777"}, now=at(2026, 11, 2, 9), citizen=owner)
        visitor = Visitor(app, user)
        statuses[label] = visitor.page.post(f"/requests/{req.id}/{action}",
                                            data={"csrf_token": visitor.token, "text": text}).status_code
    return statuses


def test_only_the_applicant_answers_a_correction_notice_from_the_citizen_page(app, people, now):
    """The citizen page's correction answer belongs to the applicant (their account or a look-up in this
    browser session); staff use the handling page. On an application that was sent no correction notice the
    owner is refused by the state (409, the page and the text kept), everyone else by authority."""
    for label, status in _posted_from_the_citizen_page(app, people, "correction", "补正").items():
        assert (status == 409) is (label == "owner"), (label, status)
        assert status in (409, 403, 404), (label, status)  # 403: staff who may read it, 404: the rest


def test_only_the_applicant_explains_reasons_from_the_citizen_page(app, people, now):
    """Art. 35: the citizen page's 说明理由 belongs to the applicant alone; on an application that was not asked
    for reasons the owner is refused by the state (409, the page kept), everyone else by authority."""
    for label, status in _posted_from_the_citizen_page(app, people, "reasons", "理由").items():
        assert status == (409 if label == "owner" else status) and status in (409, 403, 404), (label, status)
        assert (status == 409) is (label == "owner"), (label, status)
