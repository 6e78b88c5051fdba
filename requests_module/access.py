"""Who may see an application and do what with it (issue 14): the one place that pages, the API,
templates and tests ask — the same shape as hotline/access.py. Domain services keep their own checks
as a second line, never as the only one.

- the applicant: the citizen whose account submitted it, or a visitor who proved the tracking number
  and its secret in this browser session (a look-up grant); they read it and answer a correction notice;
- the department's work (every handling step, the reply, disputes): staff and approvers of the
  application's department, supervisors and admins (政府办 runs intake, so unassigned applications are
  theirs alone);
- approving an extension (Art. 33 para. 2: "经政府信息公开工作机构负责人同意"): only an approver of the
  department handling the application — not a supervisor, not an approver of another organ;
- signing off or returning a drafted reply and the Art. 35 finding on an applicant's reasons (with its
  延迟答复合理期限): the department's approver or a supervisor;
- recording a document's delivery (送达) is a handling step of the department; closing as 视为放弃 what the
  sweep would not close (requests_module/lapses.py): 公开办 (supervisors, admins) or the department's approver;
- hotline operators have no part in disclosure applications: they see none of them (page, API or
  citizen page) — an application carries an identity document number and the applicant's contacts.
"""
from flask import abort, session

from core.auth.models import Role

LOOKUP_KEY = "looked_up_requests"
HANDLERS = (Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)
INTAKE = (Role.SUPERVISOR, Role.ADMIN)
DEPARTMENT_ROLES = (Role.STAFF, Role.APPROVER)
LAPSE_DECIDERS = (Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)


def grant_lookup(req):
    """Remember in the session that this visitor proved knowledge of the number and phone/ID."""
    ids = set(session.get(LOOKUP_KEY, []))
    ids.add(req.id)
    session[LOOKUP_KEY] = sorted(ids)[-20:]


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def is_applicant(user, req):
    """The citizen who submitted it, or whoever proved the number and secret in this session."""
    if _signed_in(user) and user.role.is_staff:
        return False
    own = _signed_in(user) and req.citizen_id is not None and req.citizen_id == user.id
    return own or req.id in session.get(LOOKUP_KEY, [])


def _handle(user, req):
    if user.role in INTAKE:
        return True
    return user.role in DEPARTMENT_ROLES and req.department_id is not None and req.department_id == user.department_id


def _approve(user, req):
    return user.role is Role.SUPERVISOR or (user.role is Role.APPROVER and _handle(user, req))


def _decide(user, req):
    """Closing as 视为放弃 what the sweep would not close: 公开办 (supervisors, admins) or the head of the
    handling department (issue 15 item 3)."""
    return user.role in INTAKE or (user.role is Role.APPROVER and _handle(user, req))


def can_see_lapses(user):
    """The staff decision list of periods that seem to have run out (requests_module/lapses.py)."""
    return _signed_in(user) and user.role in LAPSE_DECIDERS
def may_approve_extension(user, req):
    """Art. 33 para. 2: the extension is approved by the head of the handling organ's disclosure work — an
    approver (Role.APPROVER) of the department the application is assigned to, nobody else."""
    return (getattr(user, "role", None) is Role.APPROVER and req.department_id is not None
            and req.department_id == user.department_id)


def extension_refusal(user, req):
    """The Chinese message of a refused extension approval, or None when `user` may approve it."""
    if may_approve_extension(user, req):
        return None
    dep = req.department.name if req.department is not None else "承办部门"
    return f"延期须由{dep}的负责人（审批人）批准；督办人员或其他部门的负责人不能批准本申请的延期"


def can_view(user, req):
    """The applicant, the handling department and oversight; nobody else (not even that it exists)."""
    if _signed_in(user) and user.role.is_staff:
        return _handle(user, req)
    return is_applicant(user, req)


HANDLING = ("confirm", "assign", "reject", "reassign", "correction_notice", "correction", "consult",
            "consult_answer", "fee_notice", "payment", "reply", "dispute", "dispute_result", "reason_request",
            "reasons", "delivery", "third_party_notice", "fee_refund")
# Art. 35's finding (with a 延迟答复合理期限 that moves the answer period) is the organ's: like an extension
APPROVING = ("sign_off", "return_reply", "reason_decision")
RULES = {**{a: _handle for a in HANDLING}, **{a: _approve for a in APPROVING}, "extend": may_approve_extension,
         "lapse_close": _decide}
STAFF_ACTIONS = tuple(RULES)


def can_act(user, req, action):
    """May this user take `action` on this application (whatever its state: the transition table decides
    that). `applicant_correction` is the applicant answering a correction notice from the citizen page."""
    if action in ("applicant_correction", "applicant_reasons", "applicant_receipt"):  # answering a notice, 签收
        return is_applicant(user, req)
    return _signed_in(user) and user.role in HANDLERS and RULES[action](user, req)


def available_actions(user, req):
    """The staff actions this user may take on this application (for the handling page)."""
    return {a for a in STAFF_ACTIONS if can_act(user, req, a)}


def can_register(user):
    """Paper applications: 政府办 (supervisors, admins) for any department or none; a department's staff and
    approvers for their own department (walk-in applications at the department's window)."""
    return _signed_in(user) and user.role in HANDLERS


def register_department(user, requested):
    """The department a paper application registered by this user goes to: their own for department roles
    (whatever they asked for), the requested one (or none, for intake) for 政府办."""
    return user.department if user.role in DEPARTMENT_ROLES else requested


def visible(query, model, user):
    """The SQL twin of can_view for staff lists: restrict a query of applications to what `user` sees."""
    if user.role in INTAKE:
        return query
    if user.role in DEPARTMENT_ROLES:
        return query.filter(model.department_id == user.department_id)
    return query.filter(False)


def require_view(user, req):
    if not can_view(user, req):
        abort(404)  # not 403: do not confirm that a guessed id exists


def require_act(user, req, action):
    """404 when the user may not even see it, 403 when they see it but may not take this action."""
    require_view(user, req)
    if not can_act(user, req, action):
        abort(403)


# Correction requests (条例 Art. 41; requests_module/corrections.py): about the applicant's own record, so only
# the citizen whose account submitted it sees it (no anonymous look-up, nothing public); the addressed organ's
# staff and approvers and oversight (supervisors, admins) see and decide it — the same department rule as above.
def can_view_correction(user, cr):
    if not _signed_in(user):
        return False
    if user.role.is_staff:
        return _handle(user, cr)
    return cr.citizen_id is not None and cr.citizen_id == user.id


def can_decide_correction(user, cr):
    return _signed_in(user) and user.role in HANDLERS and _handle(user, cr)


def require_view_correction(user, cr):
    if not can_view_correction(user, cr):
        abort(404)


def require_decide_correction(user, cr):
    require_view_correction(user, cr)
    if not can_decide_correction(user, cr):
        abort(403)
