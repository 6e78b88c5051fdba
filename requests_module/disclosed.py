"""予以公开 and 部分公开: what the applicant is told, concretely (条例 Art. 36 (1), (2), Art. 37).

- Art. 36 (1) "所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径" — basis `published`;
- Art. 36 (2) "所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间"
  — basis `provided`;
- Art. 37 (部分公开): the part that can be disclosed is provided (向申请人提供可以公开的政府信息内容), so the same
  方式、途径和时间 of obtaining it is required; its basis is Art. 37 itself, no choice is made.

A `disclosed` reply chooses (1) or (2) and writes the 方式、途径（和时间）; a `partly_disclosed` reply writes the
方式、途径和时间 of the disclosed part; no other outcome takes either. Pure functions: reply.py validates with
`check`, the letter words it with `sentence` (the same pattern as not_held.py for Art. 36 (4)/(5)).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import ValidationError
from requests_module.common import check_choice, typed_text

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

DISCLOSED, PARTLY = "disclosed", "partly_disclosed"
PUBLISHED, PROVIDED = "published", "provided"
BASES = {
    PUBLISHED: "已经主动公开，告知获取的方式、途径（条例第三十六条第（一）项）",
    PROVIDED: "可以公开，予以提供或告知获取的方式、途径和时间（条例第三十六条第（二）项）",
}
MAX_ACCESS = 500


@dataclass(frozen=True)
class Disclosure:
    """The stored values of a disclosing reply (both None for any other outcome; basis None for 部分公开)."""

    basis: str | None = None
    access: str | None = None


def stored(req: DisclosureRequest) -> Disclosure:
    """The values stored on the application (a draft awaiting sign-off, or the issued reply)."""
    return Disclosure(basis=req.disclosure_basis, access=req.disclosure_access)


def check(outcome: str, basis: str, access: str) -> Disclosure:
    """The disclosure details of a reply, checked (条例 Art. 36 (1), (2), Art. 37); raises ValidationError naming
    the field."""
    basis, access = typed_text(basis, "disclosure_basis"), typed_text(access, "disclosure_access")
    if outcome not in (DISCLOSED, PARTLY):
        if basis:
            raise ValidationError("只有“予以公开”的答复才选择公开的情形", field="disclosure_basis")
        if access:
            raise ValidationError("只有“予以公开”或“部分公开”的答复才填写获取信息的方式、途径和时间",
                                  field="disclosure_access")
        return Disclosure()
    if outcome == PARTLY:
        if basis:
            raise ValidationError("部分公开按条例第三十七条作区分处理，不选择第三十六条第（一）项或第（二）项",
                                  field="disclosure_basis")
    else:
        check_choice(basis, BASES, field="disclosure_basis",
                     missing="请选择公开的情形：已经主动公开（条例第三十六条第（一）项），"
                             "或者可以公开、予以提供（条例第三十六条第（二）项）",
                     invalid="公开的情形只能是 published（第三十六条第（一）项）或 provided（第三十六条第（二）项）")
    if not access:
        raise ValidationError(_MISSING[basis or PARTLY], field="disclosure_access")
    if len(access) > MAX_ACCESS:
        raise ValidationError(f"获取信息的方式、途径和时间不超过 {MAX_ACCESS} 字", field="disclosure_access")
    return Disclosure(basis=basis or None, access=access)


_MISSING = {
    PUBLISHED: "请写明获取该政府信息的方式、途径，如公开的网站栏目、网址或查阅场所（条例第三十六条第（一）项）",
    PROVIDED: "请写明提供该政府信息的方式、途径和时间，如随答复书附送、电子邮件发送或某日到某处领取（条例第三十六条第（二）项）",
    PARTLY: "请写明可以公开部分的提供方式、途径和时间（条例第三十六条第（二）项）",
}
_SENTENCES = {
    PUBLISHED: "{you}所申请公开的信息已经主动公开，{you}可以通过以下方式、途径获取：{access}（条例第三十六条第（一）项）。",
    PROVIDED: "{you}所申请公开的信息可以公开，本机关予以公开。提供该政府信息的方式、途径和时间：{access}"
              "（条例第三十六条第（二）项）。",
    # Art. 37 separates; the 方式、途径和时间 of providing the disclosable part are those of Art. 36 (2)
    PARTLY: "可以公开部分的提供方式、途径和时间：{access}（条例第三十六条第（二）项）。",
}


def sentence(you: str, outcome: str, basis: str, access: str) -> str | None:
    """The letter's answer for a disclosing reply with its concrete 方式、途径（和时间）; None when the reply carries
    none (a reply issued before these were fields: the general sentence of outcomes.ANSWERS stands)."""
    access = (access or "").strip().rstrip("。；;.")
    if not access:
        return None
    if outcome == PARTLY:
        return _SENTENCES[PARTLY].format(you=you, access=access)
    if outcome == DISCLOSED and basis in BASES:
        return _SENTENCES[basis].format(you=you, access=access)
    return None
