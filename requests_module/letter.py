"""The formal reply letter (政府信息公开申请答复书) as PDF, with ReportLab's built-in Chinese CID font
(no font file needed: the PDF names Adobe's STSong-Light, which every PDF reader supplies).

It reads like an official document (issue 15 item 9): one salutation addressing the applicant as a person
(张三： … 您) or as an organisation (单位名称： … 贵单位), the organ that received the application signs it
(remedy.issuing_organ, 条例 Art. 27), 本机关不掌握 says which of Art. 36 (4) or (5) it is (under (5) the reasons,
and the responsible organ with its contact details when known: requests_module/not_held.py), 予以公开 says
which of Art. 36 (1) or (2) it is with the 方式、途径（和时间） (requests_module/disclosed.py), a fee paid is
stated with its refund if any (refunds.fee_sentence), the attachments are listed, and no line starts with a
closing punctuation mark (requests_module/pdf.py breaks the lines of every document with the rules of Chinese
typesetting). A draft is rendered the same way, marked 草稿（预览）, and carries no document number: the number
is assigned when the letter is issued (closing.close, numbering.py).
The system's letter bears the day it is issued (no 倒签); a reply entered as the 补录 of a letter issued earlier on
paper carries that letter's day and number and is marked as a 补录 copy (numbering.paper_number, backfill_note).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from core.formats import zh_date
from requests_module import disclosed as disclosed_rule
from requests_module import not_held as not_held_rule
from requests_module import outcomes, refunds
from requests_module.pdf import DRAFT_MARK, official_document
from requests_module.remedy import issuing_organ, remedy_text

if TYPE_CHECKING:
    from requests_module.disclosed import Disclosure
    from requests_module.models import DisclosureRequest
    from requests_module.not_held import NotHeld

TITLE = "政府信息公开申请答复书"


@dataclass
class Letter:
    """What the letter says; `number` is None for a draft (no document number before issue)."""

    organ: str
    number: str | None
    salutation: str
    paragraphs: list[str]
    attachments: list[str] = field(default_factory=list)
    day: date | None = None
    paper_number: str | None = None  # the 补录 of a paper letter: that letter's own number

    @property
    def backfill_note(self) -> str | None:
        """本件为补录，原件于…作出，文号… — the copy of a paper letter entered later says so (no 倒签)."""
        if not self.paper_number:
            return None
        made = f"于{zh_date(self.day)}" if self.day else ""
        return f"本件为补录，原件{made}作出，文号{self.paper_number}。"

    @property
    def is_draft(self) -> bool:
        return self.number is None


def addressee(req: DisclosureRequest) -> tuple[str, str]:
    """(salutation name, pronoun): a person by name and 您, an organisation by its name and 贵单位."""
    return (req.name.strip(), "贵单位") if req.applicant_type == "org" else (req.name.strip(), "您")


def compose(req: DisclosureRequest, *, outcome: str, text: str | None, legal_ground: str | None = None,
            holder_organ: str | None = None, holder_contact: str | None = None, not_held: NotHeld | None = None,
            disclosure: Disclosure | None = None, attachments: Iterable[str] = (), day: date | None = None,
            number: str | None = None, paper_number: str | None = None) -> Letter:
    """The letter for these reply values (the issued reply's or a draft's); `not_held` (not_held.NotHeld) carries
    the Art. 36 (4)/(5) basis, reasons and responsible organ, and then replaces holder_organ/holder_contact;
    `disclosure` (disclosed.Disclosure) the Art. 36 (1)/(2) choice and the 方式、途径和时间 (Art. 37 too)."""
    outcomes.get(outcome)  # an unknown code is refused before anything is composed
    organ, body = issuing_organ(req)
    name, you = addressee(req)
    received = zh_date(req.received_on) if req.received_on else zh_date(req.submitted_at.date())
    paras = [f"本机关于{received}收到{you}提出的政府信息公开申请（申请编号：{req.number}），"
             f"申请获取“{req.title}”。现答复如下："]
    typed = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if typed and typed[0].rstrip(":：") in (name, "您好", "你好", "贵单位"):
        typed = typed[1:]  # a salutation typed into the reply text: the letter has exactly one, above
    paras += typed
    # The outcome in the words of the law (requests_module/outcomes.ANSWERS: 条例 Art. 36 (1)–(7) …); the
    # annual-report category is for counting only. 本机关不掌握 is Art. 36 (4) "不存在" or (5) "不属于本机关负责公开"
    # with its reasons and, when it can be determined, the responsible organ and its contacts.
    basis = reason = None
    if not_held is not None:
        basis, reason, holder_organ, holder_contact = not_held.basis, not_held.reason, not_held.organ, not_held.contact
    dc = disclosure or disclosed_rule.Disclosure()
    paras.append(outcomes.answer_sentence(outcome, you, holder_organ, holder_contact, basis, reason,
                                          dc.basis, dc.access))
    if legal_ground:
        paras.append(f"依据：{legal_ground.strip().rstrip('。')}。")
    fee = refunds.fee_sentence(req, you)  # a fee paid is stated, with its refund (国办函〔2020〕109号)
    if fee:
        paras.append(fee)
    paras.append(remedy_text(outcome, organ, body))  # requests_module/remedy.py (行政复议法 Art. 23, 24, 27)
    return Letter(organ=organ, number=number, salutation=f"{name}：", paragraphs=paras,
                  attachments=[a for a in attachments if a], day=day, paper_number=paper_number)


def issued_letter(req: DisclosureRequest) -> Letter:
    """The letter of a replied application, as issued (its number, its day, its reply attachments)."""
    return compose(req, outcome=req.outcome, text=req.reply_text, legal_ground=req.legal_ground,
                   not_held=not_held_rule.stored(req), disclosure=disclosed_rule.stored(req),
                   attachments=reply_attachment_names(req), day=req.replied_on, number=req.reply_doc_number,
                   paper_number=req.reply_paper_number)


def reply_attachment_names(req: DisclosureRequest) -> list[str]:
    return [a.filename for a in req.attachments if a.kind == "reply"]


def letter_text(req: DisclosureRequest) -> tuple[str, list[str]]:
    """(organ, [salutation, paragraphs…, attachment list]) of the issued letter as plain text."""
    letter = issued_letter(req)
    return letter.organ, [letter.salutation, *letter.paragraphs, *attachment_lines(letter)]


def attachment_lines(letter: Letter) -> list[str]:
    if not letter.attachments:
        return []
    if len(letter.attachments) == 1:
        return [f"附件：{_title(letter.attachments[0])}"]
    return ["附件：" + "\n".join(f"{i}. {_title(name)}" for i, name in enumerate(letter.attachments, 1))]


def _title(filename: str) -> str:
    """An attachment as the letter names it: the file's name without its extension (GB/T 9704-2012 7.3.3)."""
    stem, ext = os.path.splitext(filename)
    return stem if stem and ext else filename


def _pdf(letter: Letter, subject: str) -> bytes:
    return official_document(organ=letter.organ, title=TITLE, number=letter.number,
                             paras=[letter.salutation, *letter.paragraphs], tail=attachment_lines(letter),
                             dated=letter.day, subject=subject, draft=letter.is_draft, mark=letter.backfill_note)


def render_pdf(req: DisclosureRequest) -> bytes:
    """PDF bytes of the reply letter of a closed application."""
    if req.outcome is None or req.replied_on is None or req.reply_doc_number is None:
        raise ValueError("only a replied application has a letter")
    return _pdf(issued_letter(req), req.number)


def render_draft_pdf(letter: Letter) -> bytes:
    """PDF bytes of a letter not yet issued: marked 草稿（预览）, no document number."""
    if not letter.is_draft:
        raise ValueError("a draft has no document number")
    return _pdf(letter, DRAFT_MARK)
