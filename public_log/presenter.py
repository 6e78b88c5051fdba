"""How public records look to the public (pages, JSON, feed) and to reviewers: only masked text leaves
here for the public; highlighted snippets are escaped before marking."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import url_for
from markupsafe import Markup, escape

from public_log.masking import Masking, spans
from public_log.queries import KINDS, category_label, type_label

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from public_log.models import PublicRecord

SNIPPET_CHARS = 90


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    terms = [t for t in terms if t]
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE)


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """Escape `text` and wrap each occurrence of the terms in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[pos:m.start()]), Markup("<mark>"), escape(m.group()), Markup("</mark>")]
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def snippet_text(record: PublicRecord, terms: Iterable[str], width: int = SNIPPET_CHARS) -> str:
    """A window of the reply (else the request) around the first hit, as plain text."""
    pattern = _pattern(terms)
    for text in (record.reply_text, record.request_text):
        m = pattern.search(text) if pattern else None
        if m:
            start = max(0, m.start() - width // 3)
            end = min(len(text), start + width)
            return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    text = record.reply_text or record.request_text
    return text[:width] + ("…" if len(text) > width else "")


def snippet(record: PublicRecord, terms: Iterable[str]) -> Markup:
    return highlight(snippet_text(record, terms), terms)


STATUS_LABELS = {"pending": "待审查", "published": "已公开", "refused": "不予公开", "withdrawn": "已撤回"}


def status_label(record: PublicRecord, *, corrected: bool = False) -> str:
    """The record's state in Chinese; with `corrected`, a corrected published record shows as 已更正."""
    if corrected and record.status == "published" and record.corrected_at:
        return "已更正"
    return STATUS_LABELS[record.status]


def labels(record: PublicRecord) -> dict[str, str]:
    return {"kind": KINDS.get(record.kind, record.kind), "status": status_label(record),
            "type": type_label(record.type_code),
            "category": category_label(record.category_code),
            "department": record.department.name if record.department else "",
            "request_text": field_label("request_text", record.kind)}


def public_json(record: PublicRecord, terms: Iterable[str] = (), full: bool = False) -> dict[str, Any]:
    """The public view of a record: masked text and facts, never originals, authors or reviewers."""
    lab = labels(record)
    out = {"public_id": record.public_id, "kind": record.kind, "kind_label": lab["kind"],
           "title": record.title, "department": record.department.code if record.department else None,
           "department_name": lab["department"], "type": record.type_code, "type_label": lab["type"],
           "category": record.category_code, "category_label": lab["category"] or None,
           "replied_on": record.replied_on.isoformat(), "published_at": record.published_at.isoformat(),
           "corrected_at": record.corrected_at.isoformat() if record.corrected_at else None,
           "url": url_for("public_log.record", public_id=record.public_id, _external=True)}
    if full:
        out.update(request_text=record.request_text, reply_text=record.reply_text,
                   correction_note=record.correction_note)
    else:
        out["snippet"] = snippet_text(record, terms)
    return out


def review_json(record: PublicRecord) -> dict[str, Any]:
    """What a reviewer sees: the original beside the masked text and every masking with its reason."""
    return {"id": record.id, "public_id": record.public_id, "kind": record.kind, "source_id": record.source_id,
            "status": record.status, "department": record.department.code if record.department else None,
            "type": record.type_code, "category": record.category_code,
            "replied_on": record.replied_on.isoformat(),
            "original": {"title": record.original_title, "request_text": record.original_request,
                         "reply_text": record.original_reply},
            "public": {"title": record.title, "request_text": record.request_text, "reply_text": record.reply_text},
            "maskings": masking_rows(record), "restored": restored_rows(record),
            "refusal_reason": record.refusal_reason,
            "published_at": record.published_at.isoformat() if record.published_at else None}


FIELD_LABELS = {"title": "标题", "reply_text": "答复"}


def field_label(field: str, kind: str) -> str:
    """A record's field as pages name it: the request text is the 申请内容 of a disclosure application and the
    诉求内容 of a 12345 ticket (one wording on every page)."""
    if field == "request_text":
        return "申请内容" if kind == "disclosure" else "诉求内容"
    return FIELD_LABELS[field]
_ORIGINAL = {"title": "original_title", "request_text": "original_request", "reply_text": "original_reply"}


def masking_rows(record: PublicRecord) -> list[dict[str, Any]]:
    """Each masking: what (the original text), where (field and position), why (reason), and how."""
    rows = []
    for m in record.maskings or []:
        original = getattr(record, _ORIGINAL[m["field"]])
        rows.append({"field": m["field"], "field_label": field_label(m["field"], record.kind), "kind": m["kind"],
                     "what": original[m["start"]:m["end"]], "start": m["start"], "end": m["end"],
                     "replacement": m["replacement"], "reason": m["reason"],
                     "confidence": m.get("confidence", "高")})
    return rows


def restored_rows(record: PublicRecord) -> list[dict[str, Any]]:
    """Spans a reviewer restored (judged not personal), with the reason; for reviewers only."""
    restored = (record.known or {}).get("restored", [])
    return [{"value": d["value"], "reason": d["reason"], "at": d["at"]} for d in restored]


def masked_markup(record: PublicRecord) -> dict[str, dict[str, Any]]:
    """Per field, the masked text as the reviewer approves it, each masked span in a <mark> whose title names its
    kind (手机号, 身份证号, 姓名 …): built from the masking's own parts (masking.spans, the rule `apply` joins), every
    piece escaped and only the marks added as markup. `current` is False when the stored public text is no longer
    the engine's output (a reviewer edited it): the page then says the marks show the automatic version."""
    out = {}
    for field, original_attr in _ORIGINAL.items():
        original = getattr(record, original_attr) or ""
        found = [Masking(m["kind"], m["start"], m["end"], m["replacement"], m["reason"], m.get("confidence", "高"))
                 for m in record.maskings or [] if m["field"] == field]
        parts = spans(original, found)
        html = Markup("").join(
            escape(piece) if m is None
            else Markup('<mark class="masked" title="{0}">{1}<span class="visually-hidden">（{0}）</span></mark>').format(
                m.kind, piece)
            for piece, m in parts)
        out[field] = {"html": html, "count": len(found),
                      "current": "".join(p for p, _ in parts) == (getattr(record, field) or "")}
    return out
