"""The remedy paragraph (救济告知) of a reply letter, built from the outcome and the issuing organ.

- 行政复议法 (2023) Art. 23 para. 1 (4) and para. 2: against a refusal to disclose (不予公开, and the withheld
  part of 部分公开) the applicant must first apply for administrative reconsideration, and the organ must
  say so when it acts; only against the reconsideration decision may they then sue (行政诉讼法 Art. 45:
  within 15 days of receiving the decision).
- Other outcomes keep the choice: reconsideration within 60 days (行政复议法 Art. 20) or a lawsuit within
  six months (行政诉讼法 Art. 46).
- The reconsideration body is the issuing organ's (Art. 24, 27), kept on the department; a reply made in
  the name of the district government (no handling department: 政府办 acting for it) goes to 盐城市人民政府.
  A letter is never issued in the name of the organ that would decide its reconsideration.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from requests_module import outcomes

if TYPE_CHECKING:
    from core.departments.models import Department
    from requests_module.models import DisclosureRequest

DISTRICT_GOVERNMENT = "盐城市亭湖区人民政府"
ABOVE_DISTRICT = "盐城市人民政府"

_MUST_FIRST = ("应当自收到本答复之日起六十日内向{body}申请行政复议；对行政复议决定不服的，"
               "可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。")
_CHOICE = ("可以自收到本答复之日起六十日内向{body}申请行政复议，"
           "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。")


class RemedyError(ValueError):
    """The letter cannot be issued: its organ would decide its own reconsideration."""


DISTRICT_OFFICE = "zfb"  # 区政府办, which runs the district government's 公开办


def receiving_department(actor: Any) -> Department | None:
    """The organ that receives an application (受理机关, 条例 Art. 27, 31) — and so answers and signs it.

    Art. 27 lets the applicant apply to a people's government or to a department acting in its own name;
    the organ applied to is the one that must answer (Art. 33, 36). In Tinghu district:
    - online, the form on the district's portal is addressed to 盐城市亭湖区人民政府: its designated
      disclosure office (公开办 in 区政府办, Art. 4) receives it for the government, so the district
      government is the receiving organ (None here);
    - on paper (in person, mail, fax, oral), the organ whose staff register it received it: a
      department's staff or approver registering at the department's window → that department; 政府办
      (supervisors, admins) or the system → the district government (None).
    Assigning or reassigning the work to a handling unit inside the government is internal and never
    changes the receiving organ; information held by another organ is answered under Art. 36 (5)
    (outcome unavailable_not_held, naming that organ and its contact details)."""
    from core.auth.models import Role

    role = getattr(actor, "role", None)
    if role in (Role.STAFF, Role.APPROVER):
        dep = actor.department
        from core.departments.service import check_discloses

        check_discloses(dep)  # 条例 Art. 2, 36: a party organ (区委办) receives no application
        # 区政府办 staff receive for the district government (its 公开办, Art. 4): the government answers, and
        # 盐城市人民政府 reconsiders (行政复议法 Art. 24 (1) 2) — never a letter in the office's own name.
        return None if dep is not None and dep.code == DISTRICT_OFFICE else dep
    return None


def issuing_organ(req: DisclosureRequest) -> tuple[str, Sequence[str]]:
    """(organ name, reconsideration bodies) of the letter: the organ that received the application (never
    the unit it was assigned to), else the district government itself (received by its 公开办). The bodies
    are one or two (行政复议法 Art. 24 para. 4, Art. 28: "A 或者 B")."""
    dep = req.receiving_department
    if dep is None:
        return DISTRICT_GOVERNMENT, (ABOVE_DISTRICT,)
    return dep.full_name, dep.reconsideration_bodies


def issuing_department(req: DisclosureRequest) -> Department | None:
    """The department that acts for the issuing organ: the receiving department, or for the district government
    the 区政府办 that runs its 公开办 (code "zfb"; None if that is not seeded). Its details are printed on the
    organ's documents, its head approves extensions and signs off (access.py, 条例 Art. 4, 33 para. 2), and its
    `requires_signoff` decides whether replies need sign-off (reply.needs_signoff)."""
    from core.departments.service import get_by_code

    if req.receiving_department is not None:
        return req.receiving_department
    return get_by_code(DISTRICT_OFFICE, active_only=False)


def bodies_text(body: str | Sequence[str] | None) -> str:
    """"A" or "A或者B": where the law lets the applicant choose (行政复议法 Art. 24 para. 4, Art. 28)."""
    bodies = (body,) if isinstance(body, str) else tuple(body or ())
    return "或者".join(b.strip() for b in bodies if b and b.strip())


def must_reconsider_first(outcome_code: str) -> bool:
    """不予公开 (all eight codes) and 部分公开 (its withheld part): Art. 23 para. 1 (4)."""
    group = outcomes.get(outcome_code).group
    return group in ("不予公开", "部分公开")


def _check_body(organ, body):
    """Never its own body (行政复议法 Art. 24, 27, 28) — checked for each body when there are two."""
    bodies = (body,) if isinstance(body, str) else tuple(body or ())
    if not bodies or any(not b or b.strip() == organ for b in bodies):
        raise RemedyError(f"{organ}的行政复议机关不能是其自身，请管理员在部门设置中更正")
    return bodies_text(bodies)


def remedy_text(outcome_code: str, organ: str, body: str) -> str:
    body = _check_body(organ, body)
    choice = "如对本答复不服，" + _CHOICE.format(body=body)
    if not must_reconsider_first(outcome_code):
        return choice
    must = _MUST_FIRST.format(body=body)
    if outcomes.get(outcome_code).group == "部分公开":
        return ("如对本答复中不予公开的部分不服，" + must + "对本答复的其他内容不服的，"
                + _CHOICE.format(body=body))
    return "如对本答复不服，" + must


def correction_remedy_text(organ: str, body: str) -> str:
    """A decision on a correction request (条例 Art. 41) keeps the choice: it is not 不予公开, so none of the
    reconsideration-first cases of 行政复议法 Art. 23 para. 1 applies; it is reviewable as a decision in
    open-government work (Art. 11 (14); 条例 Art. 51)."""
    body = _check_body(organ, body)
    return "如对本答复不服，" + _CHOICE.format(body=body)
