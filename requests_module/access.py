"""Who may see an application and do what with it (issue 14): the one place that pages, the API,
templates and tests ask — the same shape as hotline/access.py. Domain services keep their own checks
as a second line, never as the only one.

Two organs can be involved in one application (issue 15 item 2, review of the 延期告知书):
- the issuing organ — the organ that received it (受理机关, remedy.receiving_department / issuing_organ) and
  answers and signs every letter and notice; its head acts through `issuing_department_id`: the receiving
  department itself, or for an application the district government received, 区政府办 (remedy.DISTRICT_OFFICE),
  which houses the government's 政府信息公开工作机构 (条例 Art. 4);
- the handling department (`req.department_id`): the unit inside the government the work is assigned to.

- the applicant: the citizen whose account submitted it, or a visitor who proved the tracking number
  and its secret in this browser session (a look-up grant); they read it and answer a correction notice;
- the work on it (every handling step, the reply, disputes): staff and approvers of the handling department
  and of the issuing department (for 区政府办: every application the district government received, assigned
  or not), supervisors and admins;
- approving an extension (Art. 33 para. 2: "经政府信息公开工作机构负责人同意"; Art. 4: the organ's 政府信息公开
  工作机构): only an approver of the issuing department — the 延期告知书 is the issuing organ's act, so neither a
  supervisor, nor the handling department's approver (where the issuing organ is another), nor any other organ;
  the same head decides an extension request ("extension_decision"), which anyone handling it may file
  ("extension_request", requests_module/extensions.py);
- signing off or returning a drafted reply and the Art. 35 finding on an applicant's reasons (with its
  延迟答复合理期限): the same approver of the issuing department, or a supervisor (the district 公开办) but only
  for applications the district government received — the letter is the issuing organ's (Art. 36), so the
  handling department's approver keeps neither sign-off nor extension where another organ issues it; whether a
  reply needs sign-off is decided in requests_module/reply.py (needs_signoff): always for a reply by someone
  neither able to sign off nor of the issuing department, else the issuing department's `requires_signoff`;
- the 决定公开告知书 to a third party whose objection is overruled (Art. 32): a decision of the issuing organ, so
  the same people as sign-off (an APPROVING action), not the handling unit;
- recording a document's delivery (送达) is a handling step; closing as 视为放弃 what the sweep would not close
  (requests_module/lapses.py) and 不予处理 at intake issue letters with no draft stage: only whoever issues
  directly for the issuing organ (issues_directly; 视为放弃: whoever may sign off);
- hotline operators have no part in disclosure applications: they see none of them (page, API or
  citizen page) — an application carries an identity document number and the applicant's contacts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import abort, session
from sqlalchemy import or_

from core.auth.models import Role
from core.errors import NotTheirs
from requests_module.remedy import DISTRICT_OFFICE, issuing_department, issuing_organ

if TYPE_CHECKING:
    from sqlalchemy.orm import Query

    from core.departments.models import Department
    from requests_module.correction_models import CorrectionRequest
    from requests_module.models import DisclosureRequest, RequestAttachment

LOOKUP_KEY = "looked_up_requests"
HANDLERS = (Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)
INTAKE = (Role.SUPERVISOR, Role.ADMIN)
DEPARTMENT_ROLES = (Role.STAFF, Role.APPROVER)
LAPSE_DECIDERS = (Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)


def grant_lookup(req: DisclosureRequest) -> None:
    """Remember in the session that this visitor proved knowledge of the number and phone/ID."""
    ids = set(session.get(LOOKUP_KEY, []))
    ids.add(req.id)
    session[LOOKUP_KEY] = sorted(ids)[-20:]


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_applicant(user: Any, req: DisclosureRequest) -> bool:
    """The citizen who submitted it, or whoever proved the number and secret in this session."""
    if _signed_in(user) and user.role.is_staff:
        return False
    own = _signed_in(user) and req.citizen_id is not None and req.citizen_id == user.id
    return own or req.id in session.get(LOOKUP_KEY, [])




def issuing_department_id(req: DisclosureRequest) -> int | None:
    """The department whose head acts for the issuing organ (条例 Art. 4: the organ's 政府信息公开工作机构; Art. 33
    para. 2 "经政府信息公开工作机构负责人同意"): the receiving department (受理机关) when a department received the
    application, else 区政府办 (DISTRICT_OFFICE), the district government's 公开办 (None if it does not exist)."""
    office = issuing_department(req)
    return office.id if office is not None else None


def _of_issuer(user: Any, req: DisclosureRequest) -> bool:
    """`user` belongs to the issuing department: the same test as issuing_department_id(req) == user.department_id,
    without a query per call (pages ask it for every action)."""
    if getattr(user, "department_id", None) is None:
        return False
    if req.receiving_department_id is not None:
        return req.receiving_department_id == user.department_id
    return user.department is not None and user.department.code == DISTRICT_OFFICE


def of_issuing_organ(user: Any, req: DisclosureRequest) -> bool:
    """`user` acts for the issuing organ: its department's staff and approvers, or whoever may sign off for it."""
    return _signed_in(user) and (_of_issuer(user, req) or may_sign_off(user, req))


def _of_handler(user: Any, req: DisclosureRequest | CorrectionRequest) -> bool:
    return req.department_id is not None and req.department_id == user.department_id


def _handle(user: Any, req: DisclosureRequest) -> bool:
    if user.role in INTAKE:
        return True
    return user.role in DEPARTMENT_ROLES and (_of_handler(user, req) or _of_issuer(user, req))


def may_sign_off(user: Any, req: DisclosureRequest) -> bool:
    """Sign-off or return of a drafted reply, and the Art. 35 finding on reasons: the reply is the issuing organ's
    act (条例 Art. 36; Art. 4, 33 para. 2) — an approver of the issuing department; a supervisor (the district
    公开办) only for what the district government received."""
    role = getattr(user, "role", None)
    if role is Role.SUPERVISOR:
        return req.receiving_department_id is None
    return role is Role.APPROVER and _of_issuer(user, req)


def _approve(user: Any, req: DisclosureRequest) -> bool:
    return may_sign_off(user, req)


def issues_directly(user: Any, req: DisclosureRequest) -> bool:
    """Whether a letter `user` makes on this application goes out at once in the issuing organ's name (条例 Art. 4,
    36): whoever may sign off for the organ, and the issuing department's own staff where it does not require
    sign-off; anyone else's reply is a draft for the organ's head (reply.needs_signoff)."""
    if may_sign_off(user, req):
        return True
    # _of_issuer first: no query for the many users outside the issuing department (pages ask per action)
    return _of_issuer(user, req) and not issuing_department(req).requires_signoff


def _reject(user: Any, req: DisclosureRequest) -> bool:
    """不予处理 at intake is a numbered letter with no draft stage: only who issues directly for the organ."""
    return _handle(user, req) and issues_directly(user, req)


def may_return(user: Any, req: DisclosureRequest) -> bool:
    """Returning a drafted reply for rework decides nothing in the organ's name: whoever may sign it off, and any
    supervisor (the district 公开办 oversees every organ's disclosure work, 条例 Art. 3, 4), so that no draft waits
    forever for an organ that has no head in the system."""
    return may_sign_off(user, req) or getattr(user, "role", None) is Role.SUPERVISOR


def return_refusal(user: Any, req: DisclosureRequest) -> str | None:
    """The Chinese message of a refused return of a draft, or None when `user` may return it."""
    return None if may_return(user, req) else signoff_refusal(user, req)


def _decide(user: Any, req: DisclosureRequest) -> bool:
    """Closing as 视为放弃 what the sweep would not close issues a letter in the issuing organ's name (条例 Art. 30,
    36): the issuing organ's head, or the 公开办 (a supervisor) for what the district government received —
    whoever may sign off for it."""
    return may_sign_off(user, req)


def can_see_lapses(user: Any) -> bool:
    """The staff decision list of periods that seem to have run out (requests_module/lapses.py)."""
    return _signed_in(user) and user.role in LAPSE_DECIDERS


def may_approve_extension(user: Any, req: DisclosureRequest) -> bool:
    """Art. 33 para. 2 ("经政府信息公开工作机构负责人同意") with Art. 4: the extension is approved by the head of the
    issuing organ's disclosure work — an approver (Role.APPROVER) of `issuing_department_id(req)`, nobody else
    (not a supervisor, not the approver of a handling department that does not issue the letter)."""
    return getattr(user, "role", None) is Role.APPROVER and _of_issuer(user, req)


def _issuer_label(req: DisclosureRequest) -> str:
    """The issuing organ as the refusals name it: 盐城市亭湖区人民政府信息公开工作机构（区政府办）, or the department."""
    organ = issuing_organ(req)[0]
    if req.receiving_department_id is not None:
        return organ
    office = issuing_department(req)
    return f"{organ}信息公开工作机构（{office.name if office is not None else '区政府办'}）"


def extension_refusal(user: Any, req: DisclosureRequest) -> str | None:
    """The Chinese message of a refused extension approval, or None when `user` may approve it."""
    if may_approve_extension(user, req):
        return None
    return (f"延期须由{_issuer_label(req)}的负责人（审批人）批准（条例第三十三条第二款）；"
            "督办人员、承办部门或其他部门的负责人不能批准本申请的延期")


def signoff_refusal(user: Any, req: DisclosureRequest) -> str | None:
    """The Chinese message of a refused sign-off, return or Art. 35 finding, or None when `user` may do it."""
    if may_sign_off(user, req):
        return None
    who = "的负责人（审批人）或公开办督办人员" if req.receiving_department_id is None else "的负责人（审批人）"
    return f"本申请的答复以{issuing_organ(req)[0]}名义作出，须由{_issuer_label(req)}{who}签发或认定"


def may_download(user: Any, req: DisclosureRequest, attachment: RequestAttachment) -> bool:
    """Who may download a file of the application: whoever may handle it, every file (a withdrawn draft's files
    too, for the record); the applicant, their own uploads and the files of the reply as issued — never a draft's
    files before sign-off, nor a returned draft's (they were never sent)."""
    if attachment.request_id != req.id:
        return False
    if _signed_in(user) and user.role.is_staff:
        return can_view(user, req)
    if not is_applicant(user, req):
        return False
    return attachment.kind in ("application", "correction") or (
        attachment.kind == "reply" and req.status == "closed")


def applicant_files(req: DisclosureRequest) -> list[RequestAttachment]:
    """The files the applicant's page lists (may_download's applicant rule)."""
    return [a for a in req.attachments
            if a.kind in ("application", "correction") or (a.kind == "reply" and req.status == "closed")]
def disclosure_notice_refusal(user: Any, req: DisclosureRequest) -> str | None:
    """The Chinese message of a refused 决定公开告知书 (条例 Art. 32 with Art. 4, 36), or None when `user` may issue it."""
    if may_sign_off(user, req):
        return None
    who = "的负责人（审批人）或公开办督办人员" if req.receiving_department_id is None else "的负责人（审批人）"
    return (f"决定公开告知书是{issuing_organ(req)[0]}不采纳第三方意见、决定公开的决定（条例第三十二条），"
            f"须由{_issuer_label(req)}{who}作出")


def can_view(user: Any, req: DisclosureRequest) -> bool:
    """The applicant, the handling department and oversight; nobody else (not even that it exists)."""
    if _signed_in(user) and user.role.is_staff:
        return _handle(user, req)
    return is_applicant(user, req)


HANDLING = ("confirm", "assign", "reject", "reassign", "correction_notice", "correction", "consult",
            "consult_answer", "fee_notice", "payment", "reply", "dispute", "dispute_result", "reason_request",
            "reasons", "delivery", "fee_refund", "extension_request")
# Art. 35's finding (with a 延迟答复合理期限 that moves the answer period) is the organ's: like an extension. The
# 决定公开告知书 (Art. 32: the organ "决定予以公开" over the objection) is the organ's decision too, not a
# procedural notice: only whoever may sign off for the issuing organ issues it.
APPROVING = ("sign_off", "return_reply", "reason_decision", "third_party_notice")
RULES = {**{a: _handle for a in HANDLING}, **{a: _approve for a in APPROVING}, "extend": may_approve_extension,
         "extension_decision": may_approve_extension, "lapse_close": _decide, "return_reply": may_return, "reject": _reject}
STAFF_ACTIONS = tuple(RULES)


def can_act(user: Any, req: DisclosureRequest, action: str) -> bool:
    """May this user take `action` on this application (whatever its state: the transition table decides
    that). `applicant_correction` is the applicant answering a correction notice from the citizen page."""
    if action in ("applicant_correction", "applicant_reasons", "applicant_receipt"):  # answering a notice, 签收
        return is_applicant(user, req)
    return _signed_in(user) and user.role in HANDLERS and RULES[action](user, req)


def available_actions(user: Any, req: DisclosureRequest) -> set[str]:
    """The staff actions this user may take on this application (for the handling page)."""
    return {a for a in STAFF_ACTIONS if can_act(user, req, a)}


def register_department(user: Any, requested: Department | None) -> Department | None:
    """The department a paper application registered by this user goes to: their own for department roles
    (whatever they asked for), the requested one (or none, for intake) for 政府办."""
    return user.department if user.role in DEPARTMENT_ROLES else requested


def visible(query: Query[Any], model: type[DisclosureRequest], user: Any) -> Query[Any]:
    """The SQL twin of can_view for staff lists: restrict a query of applications to what `user` sees (the
    handling department's and the issuing department's; for 区政府办 every application the government received)."""
    if user.role in INTAKE:
        return query
    if user.role in DEPARTMENT_ROLES:
        dep = user.department
        issued = (model.receiving_department_id.is_(None) if dep is not None and dep.code == DISTRICT_OFFICE
                  else model.receiving_department_id == user.department_id)
        return query.filter(or_(model.department_id == user.department_id, issued))
    return query.filter(False)


def visible_corrections(query: Query[Any], model: type[CorrectionRequest], user: Any) -> Query[Any]:
    """The SQL twin of can_view_correction for staff lists: the addressed department's, or all for oversight."""
    if user.role in INTAKE:
        return query
    if user.role in DEPARTMENT_ROLES:
        return query.filter(model.department_id == user.department_id)
    return query.filter(False)


def require_view(user: Any, req: DisclosureRequest) -> None:
    if not can_view(user, req):
        abort(404)  # not 403: do not confirm that a guessed id exists


REFUSALS = {"extend": extension_refusal, "extension_decision": extension_refusal, **{a: signoff_refusal for a in APPROVING},
            "third_party_notice": disclosure_notice_refusal, "return_reply": return_refusal}


def require_act(user: Any, req: DisclosureRequest, action: str) -> None:
    """404 when the user may not even see it, 403 when they see it but may not take this action (with the reason
    for the steps of the issuing organ's head: extension, sign-off)."""
    require_view(user, req)
    if not can_act(user, req, action):
        if action in REFUSALS and _signed_in(user) and user.role in HANDLERS:
            raise NotTheirs(REFUSALS[action](user, req))
        abort(403)


# Correction requests (条例 Art. 41; requests_module/corrections.py): about the applicant's own record, so only
# the citizen whose account submitted it sees it (no anonymous look-up, nothing public); the addressed organ's
# staff and approvers and oversight (supervisors, admins) see and decide it — the same department rule as above.
def _addressed(user: Any, cr: CorrectionRequest) -> bool:
    return user.role in INTAKE or (user.role in DEPARTMENT_ROLES and _of_handler(user, cr))


def can_view_correction(user: Any, cr: CorrectionRequest) -> bool:
    if not _signed_in(user):
        return False
    if user.role.is_staff:
        return _addressed(user, cr)
    return cr.citizen_id is not None and cr.citizen_id == user.id


def can_decide_correction(user: Any, cr: CorrectionRequest) -> bool:
    return _signed_in(user) and user.role in HANDLERS and _addressed(user, cr)


def require_view_correction(user: Any, cr: CorrectionRequest) -> None:
    if not can_view_correction(user, cr):
        abort(404)


def require_decide_correction(user: Any, cr: CorrectionRequest) -> None:
    require_view_correction(user, cr)
    if not can_decide_correction(user, cr):
        abort(403)
