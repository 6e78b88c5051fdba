"""Two-level dispatch of a city-wide 12345 (issue 20 item 3).

Organisations form a tree (core/departments/models.py `parent_id`): 市 12345 centre → district sub-centres (kind
`subcentre`) → their departments → towns/streets. The rule (docs/rules.md "Two-level dispatch"):

- level 1: the centre dispatches a ticket to a sub-centre (hotline/intake.py `dispatch`); the sub-centre signs for
  it within its sign-for clock (`sub_sign_for`) and its own handling clock (`sub_handling`) runs from that dispatch
  until it passes the answer up; inside the return window it may return the ticket to the centre (退回,
  hotline/returns.py, reviewed by the centre's desk);
- level 2: the sub-centre re-dispatches (二次派单, `redispatch`) to one of its own departments, whose sign-for,
  handling and first-contact clocks run as in a one-level deployment; a department's 退单 goes back to the
  sub-centre (reviewed there; upheld → 待二次派单 again), not to the centre;
- the department's reply goes up to the sub-centre (答复待分中心审核), which passes it to the centre (the callback
  starts, the sub-centre's handling verdict is frozen) or sends it back to the department (`review_reply`).

Each level's clocks take the limits of DESIGN §3 from hotline/sla.py (LEVEL_CLOCKS) and freeze their own verdict
when the level's step happens (late stays late); urgency is computed from them when read. A deployment without a
sub-centre never takes these paths: one level, as before.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.auth.models import Role
from core.clocks.models import Clock
from core.db import unit_of_work
from core.departments.models import Department
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.formats import zh_moment
from core.notifications.service import notify
from core.workflow import TransitionError, transition
from hotline import sla
from hotline.common import ENTITY, free_text, start, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket

SUBCENTRE, CENTRE = "subcentre", "centre"
# The clocks of each level: the sub-centre's own (level 1) and the department's (level 2, as one level).
SUB_SIGN_FOR, SUB_HANDLING = "sub_sign_for", "sub_handling"
DEPARTMENT_CLOCKS = ("sign_for", "handling", "first_contact")
SUBCENTRE_CLOCKS = (SUB_SIGN_FOR, SUB_HANDLING)
MAX_NOTE = 2000


def is_subcentre(department: Department | None) -> bool:
    return department is not None and department.kind == SUBCENTRE


def held_by_subcentre(ticket: Ticket) -> bool:
    """Level 1: the sub-centre holds the ticket itself (待签收 or 待二次派单)."""
    return ticket.subcentre_id is not None and ticket.department_id == ticket.subcentre_id


def under_subcentre(ticket: Ticket) -> bool:
    """Level 2: one of the sub-centre's departments has it (or the sub-centre reviews its reply)."""
    return ticket.subcentre_id is not None and ticket.department_id is not None \
        and ticket.department_id != ticket.subcentre_id


def clock_name(ticket: Ticket, name: str) -> str:
    """The ticket's clock for a department's step (sign_for, handling) at the level the ticket is at."""
    if held_by_subcentre(ticket) and name in ("sign_for", "handling"):
        return "sub_" + name
    return name


def held_clocks(ticket: Ticket) -> tuple[str, ...]:
    """The clocks a return under review holds: the sub-centre's when it returns to the centre, else the
    department's."""
    return SUBCENTRE_CLOCKS if held_by_subcentre(ticket) else DEPARTMENT_CLOCKS


def departments_of(subcentre: Department) -> list[Department]:
    """The active departments, towns and streets below a sub-centre in the organisation tree."""
    out, frontier = [], [subcentre.id]
    while frontier:
        children = Department.query.filter(Department.parent_id.in_(frontier)).order_by(Department.code).all()
        children = [c for c in children if c.kind not in (SUBCENTRE, CENTRE) and c.id not in {d.id for d in out}]
        out += children
        frontier = [c.id for c in children]
    return [d for d in out if d.active]


def subcentres() -> list[Department]:
    """The active district sub-centres; none in a district (one-level) deployment."""
    return Department.query.filter_by(kind=SUBCENTRE, active=True).order_by(Department.code).all()


CLOCK_LABELS = {SUB_SIGN_FOR: "签收时限", SUB_HANDLING: "办结时限"}


def page_context(ticket: Ticket) -> dict[str, Any]:
    """What the ticket page shows of the two-level dispatch: whether the sub-centre holds it, the departments it
    may re-dispatch to, and the sub-centre's own clocks with their frozen verdicts."""
    from hotline.common import clock
    held = held_by_subcentre(ticket)
    clocks = [c for c in (clock(ticket, n) for n in SUBCENTRE_CLOCKS) if c is not None]
    return {"held": held, "subcentre_departments": departments_of(ticket.subcentre) if held else [],
            "subcentre_clocks": [{"label": CLOCK_LABELS[c.name], "due_at": c.due_at, "state": c.state,
                                  "on_time": c.on_time} for c in clocks]}


def refuse_at_level1(ticket: Ticket) -> None:
    """The sub-centre does not answer or extend a ticket it holds: it re-dispatches it or returns it."""
    if held_by_subcentre(ticket):
        raise TransitionError("分中心签收后请二次派单至所辖部门办理，或在退回时限内退回 12345 中心")


def _tell(department_id: int, ticket: Ticket, *, now: datetime, department: str, due: datetime) -> None:
    from core.auth.models import User
    for user in User.query.filter(User.department_id == department_id, User.active.is_(True),
                                  User.role.in_([Role.STAFF, Role.APPROVER])):
        notify("new_assignment", now=now, user=user, entity=(ENTITY, ticket.id),
               context={"label": f"{ticket.number} {sla.TYPES[ticket.type]}", "department": department,
                        "due": zh_moment(due)})


def start_level1(ticket: Ticket, subcentre: Department, *, now: datetime, actor: Actor) -> Clock:
    """Inside the centre's 派单 to a sub-centre: the sub-centre's sign-for and handling clocks start (the
    department's start at the 二次派单; the dispatch tells the sub-centre's staff). Returns its handling clock."""
    ticket.subcentre_id, ticket.subcentre_dispatched_at, ticket.subcentre_signed_at = subcentre.id, now, None
    start(ticket, SUB_SIGN_FOR, at=now, actor=actor, department_id=subcentre.id)
    return start(ticket, SUB_HANDLING, at=now, actor=actor, department_id=subcentre.id)


def sign_level1(ticket: Ticket, *, now: datetime, actor: Actor) -> None:
    """Inside 签收 by the sub-centre: its sign-for verdict is frozen now (late stays late)."""
    ticket.subcentre_signed_at = now
    stop(ticket, SUB_SIGN_FOR, at=now, actor=actor, reason="signed")


def redispatch(ticket: Ticket, department: Department | None, *, note: str | None = "", now: datetime,
               actor: Actor) -> Ticket:
    """二次派单: the sub-centre that signed for a ticket dispatches it to one of its own departments; the
    department's sign-for, handling and first-contact clocks start as at a one-level 派单 (DESIGN §3)."""
    if not held_by_subcentre(ticket):
        raise DomainError("只有分中心签收后持有的工单可以二次派单")
    if department is None or department.id not in {d.id for d in departments_of(ticket.subcentre)}:
        raise ValidationError("请选择本分中心所辖的承办部门", field="department")
    note = free_text(note, field="note", label="派单说明", max_len=MAX_NOTE)
    from hotline.intake import return_deadline
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.DISPATCHED, "redispatch", now=now, actor=actor,
                   allowed_from={Status.SIGNED},
                   detail={"department": department.code, "subcentre": ticket.subcentre.code, "note": note})
        ticket.department = department
        ticket.dispatched_at, ticket.signed_at = now, None
        ticket.extension_used, ticket.extension_request_hours = False, None
        ticket.return_deadline = return_deadline(ticket, now)
        start(ticket, "sign_for", at=now, actor=actor, department_id=department.id)
        handling = start(ticket, "handling", at=now, actor=actor, department_id=department.id)
        start(ticket, "first_contact", at=now, actor=actor, department_id=department.id)
        _tell(department.id, ticket, now=now, department=department.name, due=handling.due_at)
    db.session.refresh(ticket)
    return ticket


def back_to_subcentre(ticket: Ticket, *, now: datetime, actor: Actor) -> None:
    """Inside an upheld 退单 of a level-2 department: the ticket is the sub-centre's again, signed for, waiting
    for a new 二次派单 (its own clocks never stopped: the misroute is its time)."""
    transition(WORKFLOW, ticket, Status.SIGNED, "return_upheld", now=now, actor=actor,
               allowed_from={Status.RETURN_REVIEW}, detail={"department": ticket.department.code,
                                                           "to": ticket.subcentre.code})
    ticket.department = ticket.subcentre
    ticket.dispatched_at, ticket.signed_at = ticket.subcentre_dispatched_at, ticket.subcentre_signed_at
    from hotline.intake import return_deadline
    ticket.return_deadline = return_deadline(ticket, ticket.subcentre_dispatched_at)


def review_reply(ticket: Ticket, *, approve: bool, note: str | None, now: datetime, actor: Actor) -> Ticket:
    """The sub-centre's review of its department's reply: passed, it goes up to the centre (the sub-centre's
    handling verdict is frozen, the callback starts); sent back (with a reason), the department works on it
    again (its own handling verdict stays as frozen at its reply)."""
    if not isinstance(approve, bool):
        raise ValidationError("请选择审核结果：通过或退回部门", field="approve")
    note = free_text(note, field="note", label="审核意见", max_len=MAX_NOTE, required=not approve,
                     missing="退回部门时请写明理由")
    from hotline.reply import finish_reply
    with unit_of_work():
        if approve:
            transition(WORKFLOW, ticket, Status.REPLIED, "subcentre_passed", now=now, actor=actor,
                       allowed_from={Status.SUBCENTRE_REVIEW}, detail={"note": note})
            stop(ticket, SUB_HANDLING, at=now, actor=actor, reason="replied")
            finish_reply(ticket, ticket.reply_text, now, actor)
        else:
            transition(WORKFLOW, ticket, Status.SIGNED, "subcentre_sent_back", now=now, actor=actor,
                       allowed_from={Status.SUBCENTRE_REVIEW}, detail={"note": note})
    return ticket


OPEN = ("dispatched", "signed", "awaiting_signoff", "return_review", "subcentre_review")


def holdings(now: datetime) -> list[dict[str, Any]]:
    """What each sub-centre holds for the centre's overview: its open tickets (at either level), each with the
    sub-centre's own clock (sign-for until it signs, then its handling clock) and that clock's urgency computed
    now, and its counts; returns and on-time verdicts of the sub-centre itself (level 1) so far."""
    from core.clocks.service import urgency_of
    from core.worktime import Urgency
    from hotline.common import clock
    from hotline.models import Return, Ticket
    out = []
    for sub in subcentres():
        rows = []
        for t in Ticket.query.filter(Ticket.subcentre_id == sub.id, Ticket.status.in_(OPEN)).order_by(Ticket.id):
            c = clock(t, SUB_SIGN_FOR if t.subcentre_signed_at is None else SUB_HANDLING)
            rows.append({"ticket": t, "clock": c, "urgency": urgency_of(c, now) if c is not None else Urgency.NORMAL})
        verdicts = Clock.query.filter(Clock.entity_kind == ENTITY, Clock.department_id == sub.id,
                                      Clock.name.in_(SUBCENTRE_CLOCKS), Clock.on_time.isnot(None)).all()
        out.append({"subcentre": sub, "rows": rows, "count": len(rows),
                    "overdue": sum(r["urgency"] is Urgency.OVERDUE for r in rows),
                    "due_soon": sum(r["urgency"] is Urgency.DUE_SOON for r in rows),
                    "verdicts": len(verdicts), "on_time": sum(1 for v in verdicts if v.on_time),
                    "returned": Return.query.filter_by(department_id=sub.id).count()})
    return out
