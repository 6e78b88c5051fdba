"""Closing an application with its single outcome: the reply, a 不予处理 rejection at intake, or a lapse (视为放弃).
The letter is issued, numbered, copied to the documents and (with consent) submitted to the public log."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.clocks.service import stop_clock
from core.formats import zh_date
from requests_module import documents, notice_timing
from requests_module.common import clock, keep_answer_verdict, moment_of, notify_applicant
from requests_module.numbering import reply_doc_number

if TYPE_CHECKING:
    from requests_module.disclosed import Disclosure
    from requests_module.models import DisclosureRequest
    from requests_module.not_held import NotHeld


def close(req: DisclosureRequest, *, outcome: str, text: str, on: date, now: datetime, actor: Any,
          ground: str | None = None, not_held: NotHeld | None = None, disclosure: Disclosure | None = None, paper_number: str | None = None) -> None:
    """Record the single outcome of the application and stop its clocks (the verdict is frozen). The letter
    is issued now: only now does it get its document number, the issuing organ's next of the year
    (numbering.py) — unless it is the 补录 of a paper letter, which keeps that letter's own number
    (`paper_number`, numbering.paper_number: no 倒签 of a system letter)."""
    req.outcome, req.reply_text, req.legal_ground = outcome, text, ground
    # 本机关不掌握 (条例 Art. 36 (4)/(5)): which answer, its reasons, the responsible organ (not_held.check)
    req.not_held_basis = not_held.basis if not_held else None
    req.not_ours_reason = not_held.reason if not_held else None
    req.holder_organ = not_held.organ if not_held else None
    req.holder_contact = not_held.contact if not_held else None
    # 予以公开 / 部分公开 (条例 Art. 36 (1)/(2), 37): which answer and the 方式、途径和时间 (disclosed.check)
    req.disclosure_basis = disclosure.basis if disclosure else None
    req.disclosure_access = disclosure.access if disclosure else None
    req.replied_on, req.closed_at = on, now
    # Art. 33 para. 2: an extension whose notice had not reached the applicant by the original due date did not
    # take effect; the answer is judged against the original due date (notice_timing)
    notice_timing.void_late_extension(req, now=now, actor=actor)
    req.reply_paper_number = paper_number
    req.reply_doc_number = paper_number or reply_doc_number(req, on.year)
    documents.issue(req, "reply", on=on, now=now, addressee=req.name, body=outcome, number=req.reply_doc_number)
    for name in ("answer", "correction", "fee", "reason", "receipt"):
        c = clock(req, name)
        if c is not None and c.state != "stopped":
            stop_clock(c, now=moment_of(on, now), actor=actor, reason=f"closed: {outcome}")
    keep_answer_verdict(req)
    notify_applicant(req, "reply", now=now, context={"due": zh_date(on)})
    if req.publish_consent and not outcome.startswith("other_no_"):
        from public_log.review import submit
        submit(kind="disclosure", source_id=req.id, department_id=req.department_id, type_code=outcome,
               category_code=None, replied_on=on, author_id=req.reply_author_id, title=req.title,
               request_text=req.description, reply_text=text, names=[req.name, req.contact_person],
               phones=[req.phone], ids=[req.id_number], now=now)
