"""本机关不掌握相关政府信息: one annual-report code (unavailable_not_held, 国办公开办函〔2021〕30号), two different
answers to the applicant (条例 Art. 36):

- (4) "经检索没有所申请公开信息的，告知申请人该政府信息不存在" — basis `not_exist`;
- (5) "所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，
  告知申请人该行政机关的名称、联系方式" — basis `not_ours`, with its reasons (`not_ours_reason`) and, when the
  responsible organ can be determined, that organ's name and contact details.

"Not ours, and we cannot tell whose" is (5), never (4): telling the applicant the information does not exist
would be false. Pure functions: reply.py validates with `check`, the letter words it with `sentence`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import ValidationError
from requests_module.common import check_choice, typed_text

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

CODE = "unavailable_not_held"
NOT_EXIST, NOT_OURS = "not_exist", "not_ours"
BASES = {
    NOT_EXIST: "经检索没有所申请公开的信息（条例第三十六条第（四）项）",
    NOT_OURS: "不属于本机关负责公开（条例第三十六条第（五）项）",
}
MAX_ORGAN, MAX_CONTACT, MAX_REASON = 120, 200, 1000


@dataclass(frozen=True)
class NotHeld:
    """The stored values of a not-held reply (all None for any other outcome)."""

    basis: str | None = None
    reason: str | None = None
    organ: str | None = None
    contact: str | None = None


def stored(req: DisclosureRequest) -> NotHeld:
    """The values stored on the application (a draft awaiting sign-off, or the issued reply)."""
    return NotHeld(basis=req.not_held_basis, reason=req.not_ours_reason, organ=req.holder_organ,
                   contact=req.holder_contact)


def check(outcome: str, basis: str, reason: str, organ: str, contact: str) -> NotHeld:
    """The not-held details of a reply, checked (条例 Art. 36 (4), (5)); raises ValidationError naming the field."""
    basis, reason = typed_text(basis, "not_held_basis"), typed_text(reason, "not_ours_reason")
    organ, contact = typed_text(organ, "holder_organ"), typed_text(contact, "holder_contact")
    if outcome != CODE:
        if basis or reason:
            raise ValidationError("只有“本机关不掌握相关政府信息”的答复才选择不掌握的情形", field="not_held_basis")
        if organ or contact:
            raise ValidationError("只有“本机关不掌握相关政府信息”的答复才填写掌握该信息的机关", field="holder_organ")
        return NotHeld()
    if not basis and organ:
        basis = NOT_OURS  # API compatibility: naming a holder organ can only mean Art. 36 (5)
    check_choice(basis, BASES, field="not_held_basis",
                 missing="请选择不掌握的情形：经检索没有所申请公开的信息（条例第三十六条第（四）项），"
                         "或者不属于本机关负责公开（条例第三十六条第（五）项）",
                 invalid="不掌握的情形只能是 not_exist（第三十六条第（四）项）或 not_ours（第三十六条第（五）项）")
    if basis == NOT_EXIST:
        # Art. 36 (4) tells the applicant the information does not exist: there is no organ to name, no reason.
        if organ or contact:
            raise ValidationError("经检索没有所申请公开的信息（条例第三十六条第（四）项）的，不填写负责公开的机关；"
                                  "信息由其他机关负责公开的，请选择“不属于本机关负责公开”", field="holder_organ")
        if reason:
            raise ValidationError("“不属于本机关负责公开的理由”只在选择条例第三十六条第（五）项时填写",
                                  field="not_ours_reason")
        return NotHeld(basis=NOT_EXIST)
    # Art. 36 (5): the applicant is told why (说明理由); the organ's name and contacts when it can be determined.
    if not reason:
        raise ValidationError("请说明不属于本机关负责公开的理由（条例第三十六条第（五）项）", field="not_ours_reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"理由不超过 {MAX_REASON} 字", field="not_ours_reason")
    if organ and not contact:
        raise ValidationError("请填写负责公开该信息的机关的联系方式（条例第三十六条第（五）项）", field="holder_contact")
    if contact and not organ:
        raise ValidationError("请填写负责公开该信息的机关名称", field="holder_organ")
    if len(organ) > MAX_ORGAN:
        raise ValidationError(f"机关名称不超过 {MAX_ORGAN} 字", field="holder_organ")
    if len(contact) > MAX_CONTACT:
        raise ValidationError(f"联系方式不超过 {MAX_CONTACT} 字", field="holder_contact")
    return NotHeld(basis=NOT_OURS, reason=reason, organ=organ or None, contact=contact or None)


NOT_EXIST_SENTENCE = "经检索，本机关没有{you}所申请公开的信息，现告知{you}该政府信息不存在（条例第三十六条第（四）项）。"
_NOT_OURS = "{you}所申请公开信息不属于本机关负责公开。理由是：{reason}。"
_ORGAN = ("负责公开该政府信息的行政机关为{organ}，联系方式：{contact}。{you}可以向该机关提出申请"
          "（条例第三十六条第（五）项）。")
_NO_ORGAN = "本机关无法确定负责公开该政府信息的行政机关（条例第三十六条第（五）项）。"


_CLOSING = "。．.，,、；;：:！!？? \t\n"


def _bare(text):
    return (text or "").strip().rstrip(_CLOSING)


def sentence(you: str, basis: str | None = None, reason: str | None = None, organ: str | None = None, contact: str | None = None) -> str:
    """The letter's answer: Art. 36 (4) "该政府信息不存在", or Art. 36 (5) with its reasons and, when known, the
    responsible organ's name and contacts (else that it cannot be determined)."""
    # typed values lose their own closing punctuation: the sentence supplies its own (GB/T 15834)
    organ, contact, reason = (_bare(organ), _bare(contact), _bare(reason))
    if basis is None:  # a letter composed without a basis: a named organ can only be (5)
        basis = NOT_OURS if organ else NOT_EXIST
    if basis == NOT_EXIST:
        return NOT_EXIST_SENTENCE.format(you=you)
    # A reply issued before the reason was a field of its own (migration 0028) said the organ was the reason.
    reason = reason or (f"该信息由{organ}负责公开" if organ else "")
    head = _NOT_OURS.format(you=you, reason=reason) if reason else \
        f"{you}所申请公开信息不属于本机关负责公开。"
    if organ:
        return head + _ORGAN.format(you=you, organ=organ, contact=contact or "见上文")
    return head + _NO_ORGAN
