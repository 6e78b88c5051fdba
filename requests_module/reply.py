"""The reply (答复书): one outcome code, its legal ground, sign-off where the issuing organ requires it.

The letter is the issuing organ's act (条例 Art. 36), signed off by the head of its disclosure work (Art. 4;
Art. 33 para. 2 for the same head approving extensions; access.issuing_department: the receiving department, or
区政府办 for what the district government received). Whoever may sign off (access.may_sign_off) issues directly;
the issuing department's staff follow its `requires_signoff`; anyone else's reply (a handling unit of another
organ) is always a draft awaiting that head (needs_signoff).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.uploads import check_files, path_for
from core.workflow import TransitionError, transition
from requests_module import (
    access,
    disclosed,
    not_held,
    numbering,
    outcomes,
    reasons,
    refunds,
    reply_drafts,
    reply_templates,
    third_party,
)
from requests_module.attachments import attach
from requests_module.closing import close
from requests_module.common import ENTITY, check_date, dated, log_event, today
from requests_module.staff_notices import tell_handlers, tell_signers
from requests_module.states import WORKFLOW, Status

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

SYSTEM_OUTCOMES = {"other_no_correction", "other_no_payment"}  # set by the clocks, not chosen


ARTICLE = re.compile(r"第[〇零一二三四五六七八九十百千0-9]+条")
# the ground for withholding part of the information (条例 Art. 14, 15, 16 — or another law's article, which is
# not Art. 36/37 of the 条例); Art. 36 (3) / Art. 37 alone are not enough for 部分公开
WITHHOLDING_ARTICLE = re.compile(r"第(?!三十六条|三十七条)[〇零一二三四五六七八九十百千0-9]+条")


def _validate(req, outcome, ground, text, *, holder=None, contact=None, basis=None, reason=None,
              disclosure_basis=None, disclosure_access=None):
    if outcome not in outcomes.OUTCOMES or outcome in SYSTEM_OUTCOMES:
        raise ValidationError("请选择答复结果", field="outcome")
    o = outcomes.get(outcome)
    if o.needs_ground and not (ground or "").strip():
        raise ValidationError(f"“{o.group}”须写明法律依据（条例条款）", field="legal_ground")
    if o.needs_ground and not ARTICLE.search(ground):
        # 条例 Art. 36: a refusal states its legal basis — an article, not "无" or a narrative
        raise ValidationError("法律依据应写明所依据的法律、法规的条款，如“《中华人民共和国政府信息公开条例》第十四条”",
                              field="legal_ground")
    if outcome == disclosed.PARTLY and not WITHHOLDING_ARTICLE.search(ground):
        # 条例 Art. 36 (3) with Art. 14/15/16 is the ground for the withheld part; Art. 37 only separates
        raise ValidationError("部分公开应写明不予公开部分的依据：条例第三十六条第（三）项及第十四条、第十五条或第十六条"
                              "（第三十七条是区分处理的规定，不是不予公开的依据）", field="legal_ground")
    if not (text or "").strip():
        raise ValidationError("请填写答复正文", field="text")
    if reply_templates.PLACEHOLDER in text:
        # a template blank left unfilled would go out in the letter (条例 Art. 36: the reply states the facts)
        raise ValidationError("答复正文中还有未填写的模板空白“" + reply_templates.PLACEHOLDER + "…）”：请按实际情况填写并删除提示",
                              field="text")
    if reply_templates.PLACEHOLDER in (ground or ""):
        raise ValidationError("法律依据中还有未填写的模板空白：请写明具体条款", field="legal_ground")
    reasons.check_outcome(req, outcome)  # Art. 35: 大量反复申请 only after reasons were found wanting
    if outcome == "unavailable_unclear" and req.correction_notice_on is None:
        raise ValidationError("“补正后申请内容仍不明确”只能用于已发过补正告知的申请", field="outcome")
    # 条例 Art. 36 (4) / (5): which of the two answers 本机关不掌握 is, its reasons, the responsible organ
    # 条例 Art. 36 (1) / (2) and Art. 37: which disclosing answer, and how, where and when the applicant gets it
    return (o, not_held.check(outcome, basis, reason, holder, contact),
            disclosed.check(outcome, disclosure_basis, disclosure_access))


def _check_order(req, outcome, on):
    """What must happen before this reply: the 决定公开告知书 to a third party who objected before disclosing
    over it (条例 Art. 32), the refund of a 按量 fee before a reply that provides nothing (国办函〔2020〕109号)."""
    refusal = third_party.reply_refusal(req, outcome, on) or refunds.reply_refusal(req, outcome)
    if refusal:
        raise TransitionError(refusal)


def needs_signoff(req: DisclosureRequest, actor: Any) -> bool:
    """Whether a reply by `actor` is a draft awaiting the issuing organ's sign-off (条例 Art. 36: the reply is the
    issuing organ's act; Art. 4: its 政府信息公开工作机构 runs the disclosure work):
    - whoever may sign off for the issuing organ (access.may_sign_off) issues directly;
    - the issuing department's own staff follow that department's `requires_signoff`;
    - anyone else — a handling unit the work was assigned to, an admin, the system — always drafts: a letter in
      another organ's name is never issued without someone of that organ (issue 15, lawyer finding 2).
    Procedural notices (补正告知书 Art. 30, 征求意见书 Art. 32, 收费通知书 Art. 42) stay with the handling unit:
    it acts for the organ under the organ's 公开工作机构 (Art. 4) and they decide nothing on the merits."""
    return not access.issues_directly(actor, req)


def _paper(req, on, now, paper_number, actor):
    """The paper letter's own number when the reply is its 补录; a reply dated before today needs one (no 倒签:
    numbering.check_paper)."""
    return numbering.check_paper(req, on, today(now), paper_number, actor)


def reply(req: DisclosureRequest, *, outcome: str, text: str, on: date, now: datetime, actor: Any,
          legal_ground: str | None = None, holder_organ: str | None = None, holder_contact: str | None = None,
          not_held_basis: str | None = None, not_ours_reason: str | None = None, disclosure_basis: str | None = None,
          disclosure_access: str | None = None, files: Sequence[Any] = (),
          paper_number: str | None = None) -> DisclosureRequest:
    """Answer the application (Art. 36); a reply that needs the issuing organ's sign-off is stored as a draft
    awaiting it (needs_signoff). A reply dated before the day it is entered is the 补录 of a paper letter and
    carries that letter's number (numbering.paper_number)."""
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "reply")
    _, nh, dc = _validate(req, outcome, legal_ground, text, holder=holder_organ, contact=holder_contact,
                          basis=not_held_basis, reason=not_ours_reason, disclosure_basis=disclosure_basis,
                          disclosure_access=disclosure_access)
    if any(c.answered_on is None for c in req.consultations):
        # The consultation time is not counted (Art. 33 (3)) only up to its deadline (Art. 32, 34): record the
        # answer or the silence first, so the period is measured right.
        raise TransitionError("尚有征求意见未登记答复：请先登记对方意见或“逾期未答复”，再作出答复")
    check_date(on, now, not_before=req.received_on, req=req)
    paper = _paper(req, on, now, paper_number, actor)
    _check_order(req, outcome, on)
    checked = check_files(files)
    drafted = needs_signoff(req, actor)
    with unit_of_work(), dated(on, now):
        attach(req, checked, "reply", now)
        reply_drafts.clear(req)  # the saved draft (保存草稿) is now this reply
        draft = {"outcome": outcome, "legal_ground": (legal_ground or "").strip() or None,
                 "not_held_basis": nh.basis, "not_ours_reason": nh.reason,
                 "holder_organ": nh.organ, "holder_contact": nh.contact,
                 "disclosure_basis": dc.basis, "disclosure_access": dc.access, "on": on.isoformat(),
                 "paper_number": paper}
        if drafted:
            # The draft keeps every value the letter needs; sign_off issues it as drafted.
            transition(WORKFLOW, req, Status.AWAITING_SIGNOFF, "reply_drafted", now=now, actor=actor, detail=draft)
            req.outcome, req.reply_text, req.replied_on = outcome, text.strip(), on
            req.legal_ground, req.reply_author_id = draft["legal_ground"], actor.id
            req.reply_paper_number = paper
            _store(req, nh, dc)
            tell_signers(req, "reply_awaiting_signoff", now=now, entity=(ENTITY, req.id), context={
                "label": f"{req.number} {req.title}", "author": _who(actor), "outcome": outcomes.get(outcome).label})
        else:
            transition(WORKFLOW, req, Status.CLOSED, "reply", now=now, actor=actor, detail=draft)
            req.reply_author_id = actor.id
            close(req, outcome=outcome, text=text.strip(), on=on, now=now, actor=actor,
                  ground=draft["legal_ground"], not_held=nh, disclosure=dc, paper_number=paper)
    return req


def _store(req, nh, dc):
    req.not_held_basis, req.not_ours_reason = nh.basis, nh.reason
    req.holder_organ, req.holder_contact = nh.organ, nh.contact
    req.disclosure_basis, req.disclosure_access = dc.basis, dc.access


def sign_off(req: DisclosureRequest, *, approve: bool, note: str = "", now: datetime, actor: Any) -> DisclosureRequest:
    """The head of the issuing organ's disclosure work approves the drafted reply (it is sent) or returns it with a
    note (条例 Art. 4, 36; who: access.may_sign_off)."""
    refusal = access.signoff_refusal(actor, req) if approve else access.return_refusal(actor, req)
    if refusal:
        raise DomainError(refusal)
    WORKFLOW.require(Status(req.status), {Status.AWAITING_SIGNOFF}, "sign_off")
    # The reply is made when it is signed off: the letter bears that day and the verdict is taken then (a
    # draft dated inside the period but signed off after it is late); the draft's day stays in the audit.
    # The 补录 of a paper letter was made on paper on its own day, under its own number: the head confirms the
    # record, and the letter keeps that day and number (numbering.paper_number).
    paper = req.reply_paper_number
    signed_on = req.replied_on if paper and req.replied_on else today(now)
    with unit_of_work(), dated(signed_on, now):
        if approve:
            transition(WORKFLOW, req, Status.CLOSED, "reply_signed_off", now=now, actor=actor,
                       detail={"note": note, "drafted_on": req.replied_on.isoformat() if req.replied_on else None})
            close(req, outcome=req.outcome, text=req.reply_text, on=signed_on, now=now, actor=actor,
                  ground=req.legal_ground, not_held=not_held.stored(req), disclosure=disclosed.stored(req),
                  paper_number=paper)
        else:
            if not (note or "").strip():
                raise ValidationError("退回时请写明修改意见", field="note")
            # The draft's files were never sent: they leave the reply (the next letter does not list them, the
            # applicant cannot download them) and stay on record as withdrawn.
            withdrawn = [a for a in req.attachments if a.kind == "reply"]
            for a in withdrawn:
                a.kind = "withdrawn"
            transition(WORKFLOW, req, Status.ASSIGNED, "reply_returned", now=now, actor=actor,
                       detail={"note": note.strip(), **({"withdrawn_files": [a.filename for a in withdrawn]}
                                                        if withdrawn else {})})
            # The clerk's work is not lost: the returned reply, its files attached again, is the saved draft the
            # handling page refills the form with; the clerks are told with the note (issue 18 review item 1).
            reply_drafts.from_returned(req, _returned_values(req), _files_of(withdrawn), author_id=req.reply_author_id,
                                       returned_by=_who(actor), note=note.strip(), now=now)
            req.outcome = req.reply_text = req.replied_on = req.legal_ground = req.reply_paper_number = None
            _store(req, not_held.NotHeld(), disclosed.Disclosure())
            log_event(req, "reply_draft_cleared", now=now, actor=actor, detail={})
            tell_handlers(req.department_id, "reply_returned", now=now, entity=(ENTITY, req.id), skip=actor,
                          context={"label": f"{req.number} {req.title}", "approver": _who(actor),
                                   "note": note.strip()})
    return req


def _who(user: Any) -> str:
    return getattr(user, "label", None) or "审批人"


def _returned_values(req):
    """The reply form's values of a returned reply; its day only for the 补录 of a paper letter (which keeps its
    day and number), else the form offers the day of the new submit."""
    values = {"outcome": req.outcome, "text": req.reply_text, "legal_ground": req.legal_ground,
              "not_held_basis": req.not_held_basis, "not_ours_reason": req.not_ours_reason,
              "holder_organ": req.holder_organ, "holder_contact": req.holder_contact,
              "disclosure_basis": req.disclosure_basis, "disclosure_access": req.disclosure_access}
    if req.reply_paper_number:
        values.update(paper_number=req.reply_paper_number, on=req.replied_on.isoformat() if req.replied_on else None)
    return values


def _files_of(attachments):
    """(filename, bytes) of stored attachments; one missing from storage is left out (it stays on record)."""
    out = []
    for a in attachments:
        try:
            out.append((a.filename, path_for(a.stored_name).read_bytes()))
        except (OSError, ValueError):
            continue
    return out


def preview(req: DisclosureRequest, *, outcome: str, text: str, on: date, now: datetime, actor: Any,
            legal_ground: str | None = None, holder_organ: str | None = None, holder_contact: str | None = None,
            not_held_basis: str | None = None, not_ours_reason: str | None = None, disclosure_basis: str | None = None,
            disclosure_access: str | None = None, files: Sequence[Any] = (),
            paper_number: str | None = None) -> Any:
    """The letter as it will be issued for these reply values, before anything is saved (issue 15 item 9):
    the same checks as `reply`, no document number (it is assigned on issue), marked as a draft."""
    from requests_module.letter import compose, reply_attachment_names
    from requests_module.remedy import RemedyError

    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "reply_preview")
    _, nh, dc = _validate(req, outcome, legal_ground, text, holder=holder_organ, contact=holder_contact,
                          basis=not_held_basis, reason=not_ours_reason, disclosure_basis=disclosure_basis,
                          disclosure_access=disclosure_access)
    check_date(on, now, not_before=req.received_on, req=req)
    paper = _paper(req, on, now, paper_number, actor)
    _check_order(req, outcome, on)
    names = [f.filename for f in check_files(files)]
    drafted = needs_signoff(req, actor)
    try:
        return compose(req, outcome=outcome, text=text, legal_ground=(legal_ground or "").strip() or None,
                       not_held=nh, disclosure=dc, attachments=reply_attachment_names(req) + names,
                       day=on if paper or not drafted else None, paper_number=paper)
    except RemedyError as exc:
        raise DomainError(str(exc)) from None


def draft_letter(req: DisclosureRequest) -> Any:
    """The letter of a reply awaiting sign-off, as the approver will issue it (dated on sign-off, numbered then)."""
    from requests_module.letter import compose, reply_attachment_names

    WORKFLOW.require(Status(req.status), {Status.AWAITING_SIGNOFF}, "draft_preview")
    paper = req.reply_paper_number  # a paper letter's 补录 keeps its own day and number
    return compose(req, outcome=req.outcome, text=req.reply_text, legal_ground=req.legal_ground,
                   not_held=not_held.stored(req), disclosure=disclosed.stored(req), attachments=reply_attachment_names(req),
                   day=req.replied_on if paper else None, paper_number=paper)
