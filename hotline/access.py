"""Who may see a ticket and do what with it (issue 14): the one place that pages, the API, templates
and tests ask. Domain services keep their own checks as a second line, never as the only one.

- desk work (dispatch, direct close, emergency transfer and the linkage feedback, 不予受理, 转为政府信息公开申请,
  reminders, callbacks, merging, closing an answered ticket without a contact phone, reviewing returns):
  operators, supervisors, admins (the 12345 centre);
- the lead department's work (sign for, return, ask for an extension, reply): staff and approvers of
  the ticket's department, supervisors and admins;
- recording the first contact with the caller (首次联系): staff and approvers of the lead department only;
- signing off a reply: the department's approver or a supervisor;
- deciding extensions and reviewing unsatisfied callbacks: supervisors and admins;
- reviewing a department's 退单 (成立 / 不成立): the desk roles (the 12345 centre);
- the 待受理 inbox of e-mail and SMS and the reply by e-mail or SMS in a ticket's conversation (handles_inbox,
  "mail_reply", "sms_reply"): the desk roles;
- a co-handling part: staff and approvers of a co-handling department;
- the caller of a confidential (保密) ticket, and an anonymous caller's name: the desk roles only;
- hot spots (热点预警) and their one-click merge and joint dispatch: supervisors and admins (HOTSPOT_ROLES), each
  ticket then by its own rule;
- the caller's own status page and rating: the citizen whose account submitted the ticket, or whoever proved the
  number and access code in this session (grant_lookup / is_caller, as requests_module/access.py);
- two-level dispatch (issue 20 item 3, hotline/tiers.py): staff and approvers of a district sub-centre see the
  tickets dispatched to it, sign for them (as a lead department), re-dispatch them to its departments
  ("redispatch") and review those departments' replies ("subcentre_review") and 退单 ("return_review"); a
  district's staff never see another district's tickets;
- live events (issue 20): which channels a user's stream listens to (live_channels) and which channels a ticket's
  change goes to (queue_channels) — a call pops up only on the console of the operator at its extension, the
  desk's queues reach the desk, a department's queue its own staff and approvers, all of them oversight;
  taking calls (an extension, the screen-pop, logging a call as a ticket): the desk roles.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, session

from core.auth.models import Role
from core.errors import NotTheirs

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flask_sqlalchemy.query import Query

    from core.auth.models import User
    from hotline.models import Ticket

DESK = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
HANDLERS = (Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)
DEPARTMENT_ROLES = (Role.STAFF, Role.APPROVER)
OVERSIGHT = (Role.SUPERVISOR, Role.ADMIN)
LOOKUP_KEY = "looked_up_tickets"  # the session's tickets whose number and access code this visitor proved


def grant_lookup(ticket: Ticket) -> None:
    """Remember in the session that this visitor proved knowledge of the ticket's number and access code."""
    session[LOOKUP_KEY] = sorted(set(session.get(LOOKUP_KEY, [])) | {ticket.id})[-20:]


def is_caller(citizen: User | None, ticket: Ticket) -> bool:
    """The citizen account (role citizen, or None) that submitted the ticket, or whoever proved its number and
    access code in this session: who sees the caller's status page and may rate the answer."""
    own = citizen is not None and ticket.citizen_id == citizen.id
    return own or ticket.id in session.get(LOOKUP_KEY, [])


def can_view(user: User | None, ticket: Ticket) -> bool:
    """Staff see tickets of their department (lead or co-handling) and, staff of a district sub-centre, every
    ticket dispatched to their sub-centre (two-level dispatch, hotline/tiers.py) — never another district's;
    the city (or district) centre's desk and oversight see all."""
    if user is None or not getattr(user, "is_authenticated", True) or not user.role.is_staff:
        return False
    if user.role.sees_all_departments:
        return True
    mine = user.department_id
    return mine is not None and (ticket.department_id == mine or ticket.subcentre_id == mine or any(
        c.department_id == mine for c in ticket.co_handlers))


def visible(query: Query, user: User) -> Query:
    """The SQL twin of can_view for staff lists, searches and exports: restrict a query of tickets to what
    `user` sees."""
    from core.extensions import db
    from hotline.models import CoHandler, Ticket
    if not user.role.is_staff:
        return query.filter(False)
    if user.role.sees_all_departments:
        return query
    if user.department_id is None:
        return query.filter(False)
    co = db.session.query(CoHandler.ticket_id).filter(CoHandler.department_id == user.department_id)
    return query.filter((Ticket.department_id == user.department_id) | (Ticket.subcentre_id == user.department_id)
                        | Ticket.id.in_(co))


def _desk(user, ticket):
    return user.role in DESK


def _lead(user, ticket):
    return user.role in OVERSIGHT or (user.role in DEPARTMENT_ROLES and ticket.department_id == user.department_id)


def _subcentre(user, ticket):
    """The sub-centre's own work on a ticket dispatched to it (二次派单; reviewing its department's 退单 and
    reply): the sub-centre's staff and approvers, and the city's oversight."""
    return user.role in OVERSIGHT or (user.role in DEPARTMENT_ROLES and ticket.subcentre_id is not None
                                      and ticket.subcentre_id == user.department_id)


def _return_review(user, ticket):
    """A department's 退单 is reviewed by whoever dispatched to it: its sub-centre in a two-level dispatch,
    else the 12345 centre's desk."""
    from hotline import tiers
    return _subcentre(user, ticket) if tiers.under_subcentre(ticket) else _desk(user, ticket)


def _department(user, ticket):
    return user.role in DEPARTMENT_ROLES and ticket.department_id == user.department_id


def _sign_off(user, ticket):
    return user.role is Role.SUPERVISOR or (user.role is Role.APPROVER and ticket.department_id == user.department_id)




def signoff_refusal(user: User | None, ticket: Ticket) -> str | None:
    """The Chinese message of a refused sign-off of the reply, or None when `user` may sign it off: the lead
    department's head (审批人) or a supervisor (督办人员)."""
    if user is not None and getattr(user, "role", None) is not None and _sign_off(user, ticket):
        return None
    department = ticket.department.name if ticket.department is not None else "承办部门"
    return f"本工单的答复须由{department}的负责人（审批人）或督办人员签发"


def _department_staff(user, ticket):
    """Only the lead department itself reaches the caller (首次联系诉求人, hotline/contact.py)."""
    return user.role in DEPARTMENT_ROLES and ticket.department_id == user.department_id


def _oversight(user, ticket):
    return user.role in OVERSIGHT


def _co_handler(user, ticket):
    return user.role in DEPARTMENT_ROLES and any(c.department_id == user.department_id for c in ticket.co_handlers)


RULES = {
    "dispatch": _desk, "direct_close": _desk, "transfer": _desk, "urge": _desk, "callback": _desk, "merge": _desk,
    "sign": _lead, "return": _lead, "extension_request": _lead, "reply": _lead,
    "sign_off": _sign_off, "extension_decision": _oversight, "review": _oversight, "co_part": _co_handler,
    "close_no_contact": _desk,  # a caller without a phone: hotline/no_contact.py
    # who decides whether a department's 退单 stands (hotline/returns.py): the centre, or the sub-centre above it
    "return_review": _return_review,
    # two-level dispatch (hotline/tiers.py): the sub-centre's staff and approvers re-dispatch a ticket it holds
    # and review its department's reply
    "redispatch": _subcentre, "subcentre_review": _subcentre,
    # issue 16: the 110/119/120/122 linkage and matters outside 12345's scope are the centre's work
    "transfer_feedback": _desk, "handover_feedback": _desk, "not_accept": _desk, "refer_disclosure": _desk,
    "contact": _department_staff,
}
# 督办单 (hotline/supervision.py): issued by the centre's supervisors only (operators keep 催办 = "urge");
# the written feedback comes from the ticket's lead department itself.
RULES.update({"supervise": _oversight, "supervision_feedback": _department})
# issue 20: the reply by e-mail in a ticket's mail thread is the centre's (it took the message in)
RULES["mail_reply"] = _desk
RULES["sms_reply"] = _desk  # likewise the reply by SMS (hotline/sms_thread.py)


def can_act(user: User, ticket: Ticket, action: str) -> bool:
    """May this user take `action` on this ticket (whatever its state: the transition table decides that)."""
    return can_view(user, ticket) and RULES[action](user, ticket)


REFUSALS = {"sign_off": signoff_refusal}  # the refused steps whose 403 says who may take them


def require_act(user: User, ticket: Ticket, action: str) -> None:
    """403 unless the user may take `action` on this ticket (the caller has already 404ed a ticket the user may
    not see); the refusal of a sign-off says who may sign off (NotTheirs)."""
    if not can_act(user, ticket, action):
        if action in REFUSALS and can_view(user, ticket):
            raise NotTheirs(REFUSALS[action](user, ticket))
        abort(403)


def available_actions(user: User, ticket: Ticket) -> set[str]:
    """The actions this user may take on this ticket (for the ticket page; its state decides which forms show)."""
    return {a for a in RULES if can_act(user, ticket, a)}


# 热点预警 (hotline/hotspots.py): the hot-spot pages, their alerts and their one-click actions are oversight's;
# each ticket a one-click action touches is then checked by that ticket's own rule ("merge", "dispatch" above).
HOTSPOT_ROLES = OVERSIGHT


def sees_hotspots(user: User | None) -> bool:
    """Supervisors and admins: the hot-spot list, a hot spot's page and its alerts' links."""
    return user is not None and getattr(user, "is_authenticated", True) and getattr(user, "role", None) in HOTSPOT_ROLES


def handles_inbox(user: User | None) -> bool:
    """The 待受理 inbox of e-mail and SMS (hotline/mail_intake.py): read, 转为工单, 标记为无效 — the desk roles."""
    return user is not None and getattr(user, "is_authenticated", True) and getattr(user, "role", None) in DESK


def may_take_calls(user: User | None) -> bool:
    """Sign in at an extension, get the screen-pop of its calls, read the call log, log a call as a ticket."""
    return user is not None and getattr(user, "role", None) in DESK


DESK_CHANNEL = "hotline:desk"  # the dispatch, return-review and callback queues
ALL_DEPARTMENTS_CHANNEL = "hotline:department:all"


def user_channel(user_id: int) -> str:
    """The channel of one user's own events (the calls of the extension they are signed in at)."""
    return f"hotline:user:{user_id}"


def department_channel(department_id: int) -> str:
    return f"hotline:department:{department_id}"


def live_channels(user: User) -> list[str]:
    """The channels a signed-in staff member's stream listens to: their own, the desk's queues for the desk,
    their department's queue for staff and approvers, every department's for supervisors and admins (as the
    queue pages list them: hotline.queries.in_queue)."""
    if user is None or not getattr(user, "is_authenticated", True) or not user.role.is_staff:
        return []
    out = [user_channel(user.id)]
    if user.role in DESK:
        out.append(DESK_CHANNEL)
    if user.role in OVERSIGHT:
        out.append(ALL_DEPARTMENTS_CHANNEL)
    elif user.role in DEPARTMENT_ROLES and user.department_id is not None:
        out.append(department_channel(user.department_id))
    return out


def queue_channels(desk: bool, department_ids: Iterable[int | None]) -> list[str]:
    """Where a ticket's change goes: the desk's channel when a desk queue gained or lost it or it changed there,
    and the channel of each lead department whose queue did (with the oversight channel)."""
    out = [DESK_CHANNEL] if desk else []
    departments = sorted({d for d in department_ids if d is not None})
    out += [department_channel(d) for d in departments]
    return out + ([ALL_DEPARTMENTS_CHANNEL] if departments else [])


def sees_callers(user: User) -> bool:
    """Caller data of confidential tickets and anonymous callers' names: the 12345 centre and oversight."""
    return user is not None and user.role in DESK
