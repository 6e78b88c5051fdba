"""The console's category field: what the operator typed (a code, a code prefix or a name fragment) read
as one leaf category of the catalogue (GB/T 33358-2016 style three-level 事项分类). The same matching
runs in static/js/console.js when Enter is pressed in the field; here it keeps a half-typed category
from saving a ticket when the form is sent without JavaScript (Enter in a text field submits)."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import ValidationError
from hotline.catalogue import SYNONYMS
from hotline.validation import clean_ticket

if TYPE_CHECKING:
    from hotline.models import Category


def _clean(text):
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\x00", "")
    return " ".join(text.split())[:200]


def label(category: Category) -> str:
    return f"{category.code} {category.name}"


def matches(text: str | None, categories: Sequence[Category]) -> list[Category]:
    """Leaf categories matching `text`, best first: the exact code or label; else codes starting with
    the digits typed; else code or name containing the fragment (case-insensitive); else the same with
    everyday words read as the catalogue's (catalogue.SYNONYMS: 噪音 → 噪声)."""
    typed = _clean(text).lower()
    if not typed:
        return []
    found = _matches(typed, categories)
    if found:
        return found
    for word, canonical in SYNONYMS.items():
        if word in typed:
            found = _matches(typed.replace(word, canonical), categories) or _matches(canonical, categories)
            if found:
                return found
    return []


def _matches(typed, categories):
    exact = [c for c in categories if typed in (c.code, label(c).lower(), c.name.lower())]
    if exact:
        return exact[:1]
    if typed.isdigit():
        by_code = [c for c in categories if c.code.startswith(typed)]
        if by_code:
            return by_code
    return [c for c in categories if typed in label(c).lower()]


@dataclass(frozen=True)
class Choice:
    value: str          # what the field should read now
    ready: bool         # the field names exactly one category: the ticket may be saved
    message: str = ""   # why it was not saved, in Chinese


def read_category(text: str | None, categories: Sequence[Category]) -> Category | None:
    """Read the category field of a posted console form. Not `ready` when the text is only a fragment:
    the form comes back with the category picked (one match) or the choices listed (several)."""
    typed = _clean(text)
    found = matches(typed, categories)
    if not typed or not found:
        return Choice(typed, True)  # empty or unknown: the intake's own check answers (请选择有效的事项分类)
    first = found[0]
    if typed.lower() in (first.code, label(first).lower(), first.name.lower()):
        return Choice(label(first), True)
    if len(found) == 1:
        return Choice(label(first), False, f"分类“{typed}”已选定为 {label(first)}，请核对后再保存（本次未保存）。")
    shown = "、".join(label(c) for c in found[:8]) + ("等" if len(found) > 8 else "")
    return Choice(typed, False, f"“{typed}”匹配 {len(found)} 个分类：{shown}。请输入更完整的代码或名称（本次未保存）。")


def read_form(values: dict[str, Any], categories: Sequence[Category]) -> dict[str, Any]:
    """A posted intake form (the console, the inbox's 转为工单) with its category field read in place. A half-typed
    category never saves the ticket (issue 16 item 9): ValidationError, with the other fields' errors at once,
    not one save later."""
    choice = read_category(values.get("category"), categories)
    values["category"] = choice.value
    values["category_code"] = (values.get("category") or "").split(" ")[0]
    if not choice.ready:
        fields: dict[str, str] = {}
        try:
            clean_ticket(values)
        except ValidationError as err:
            fields = dict(err.fields or {})
        raise ValidationError(choice.message, fields={**fields, "category_code": choice.message})
    return values
