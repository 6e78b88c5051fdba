"""Suggest the responsible department from a request's text, with the reason (seed work plan topics)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from core.departments.models import Department


def _run_kind(char: str) -> str | None:
    """'digit' or 'latin' for characters that form runs (numbers, latin words); None for the rest."""
    if char.isdigit():
        return "digit"
    if char.isascii() and char.isalpha():
        return "latin"
    return None


def contains_keyword(text: str, keyword: str) -> bool:
    """Whether `keyword` occurs in `text` as a whole run: "12345" in "拨打12345反映" counts, but not inside a
    caller's phone number 13812345678 or a ticket number RX-2026-012345 (a longer digit run), and a latin
    keyword not inside a longer latin word. Case-insensitive."""
    text, keyword = (text or "").lower(), (keyword or "").lower()
    if not keyword:
        return False
    head, tail = _run_kind(keyword[0]), _run_kind(keyword[-1])
    start = text.find(keyword)
    while start != -1:
        end = start + len(keyword)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not (head and before and _run_kind(before) == head) and not (tail and after and _run_kind(after) == tail):
            return True
        start = text.find(keyword, start + 1)
    return False


@dataclass(frozen=True)
class Suggestion:
    department: Department
    score: int
    reason: str


def suggest_departments(text: str, departments: Iterable[Department], limit: int = 3) -> list[Suggestion]:
    """Departments ranked by lead-topic keywords found in `text`; longer and lead keywords weigh more."""
    text = text or ""
    found = []
    for dep in departments:
        score, reasons = 0, []
        for topic in dep.topics or []:
            hits = [k for k in topic["keywords"] if contains_keyword(text, k)]
            # A keyword inside a longer hit (低保 in 城乡低保) adds nothing new.
            hits = [k for k in hits if not any(k != o and k in o for o in hits)]
            if not hits:
                continue
            score += sum(len(k) for k in hits) * (2 if topic.get("lead") else 1)
            role = "牵头" if topic.get("lead") else "参与"
            reasons.append(f"文本含“{'”“'.join(hits)}”，{dep.name}{role}：{topic['topic']}")
        if score:
            found.append(Suggestion(dep, score, "；".join(reasons)))
    found.sort(key=lambda s: (-s.score, s.department.code))
    return found[:limit]
