"""One use case for the public log's pages and API: browse or search, with suggestions when nothing is
found and a fallback to the newest records when the search itself fails."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.departments.routing import suggest_departments
from core.departments.service import active_departments
from public_log import queries, search

if TYPE_CHECKING:
    from typing import Any

    from public_log.queries import Filters
    from public_log.segment import ParsedQuery

log = logging.getLogger(__name__)


@dataclass
class Result:
    query: str
    filters: object
    records: list
    total: int
    page: int
    per_page: int
    terms: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    failed: bool = False
    capped: bool = False  # more matches than the search window: total is a lower bound

    @property
    def args(self) -> dict[str, Any]:
        """Query-string arguments that reproduce this result (for pagination links)."""
        return dict(self.filters.as_args(), **({"q": self.query} if self.query else {}))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _suggestion(label: str, count: int, q: str = "", filters: Filters | None = None) -> dict[str, Any]:
    args = dict((filters.as_args() if filters else {}), **({"q": q} if q else {}))
    return {"label": label, "count": count, "args": args}


def suggestions(q: str, filters: Filters, parsed: ParsedQuery) -> list[dict[str, Any]]:
    """Useful next steps after an empty search: drop filters, single words, the unquoted phrase,
    the departments that handle such matters."""
    out = []
    if filters.active and (n := search.count(q)):
        out.append(_suggestion(f"不限筛选条件搜索“{q}”", n, q))
    unquoted = " ".join(q.replace('"', " ").replace("“", " ").replace("”", " ").split())
    if parsed.phrases and (n := search.count(unquoted, filters)):
        out.append(_suggestion("不按整句匹配", n, unquoted, filters))
    if len(parsed.terms) > 1:
        for term in parsed.terms[:5]:
            if n := search.count(term.word, filters):
                out.append(_suggestion(f"只搜“{term.word}”", n, term.word, filters))
    for found in suggest_departments(q, active_departments()):
        dep, f = found.department, queries.Filters(department=found.department.code)
        if n := queries.browse(f, per_page=1)[1]:
            out.append(_suggestion(f"浏览{dep.name}的公开答复", n, "", f))
    return out


def find(q: str | None, filters: Filters, *, page: int = 1, per_page: int = queries.PER_PAGE) -> Result:
    q = (q or "").strip()[:100]
    page = min(max(1, page), queries.MAX_PAGE)
    if not q:
        records, total = queries.browse(filters, page=page, per_page=per_page)
        return Result(q, filters, records, total, page, per_page)
    try:
        found = search.search(q, filters, page=page, per_page=per_page)
    except search.SearchError as exc:
        log.error("public log search failed for %r: %s", q, exc)
        records, total = queries.browse(filters, page=1, per_page=per_page)
        return Result(q, filters, records, total, 1, per_page, failed=True,
                      notes=["搜索暂时出现故障，下面列出最新公开的答复；请稍后再试。"])
    result = Result(q, filters, queries.by_ids(found.ids), found.total, page, per_page,
                    terms=found.parsed.highlights, capped=found.capped)
    if found.capped:
        result.notes.append(f"找到的答复超过 {found.total} 条，下面是其中最新的 {found.total} 条按相关程度排列；"
                            "可以增加词语或筛选条件缩小范围。")
    if found.parsed.problem:
        result.notes.append(found.parsed.problem)
    if found.parsed.empty:
        result.notes.append("请输入要搜索的词语，如：低保、扶贫、噪声。")
    elif not found.total:
        result.suggestions = suggestions(q, filters, found.parsed)
    return result
