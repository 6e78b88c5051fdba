"""The supervisors' escalation digest: one in-app notice per supervisor and sweep naming the items whose
overdue grace ran out (DESIGN §3 督办), instead of one notice per clock; how sweep notices write an item and
its due time."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.clocks.models import Clock
from core.extensions import db
from core.formats import zh_date, zh_moment
from core.notifications.links import TARGETS, overdue_lists

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, tzinfo
    from typing import Any

    from core.notifications.models import Notification

DIGEST = "clock_escalation_digest"  # the digest's event, and its entity kind (it is about no single item)
DIGEST_ITEMS = 20  # the escalated items a digest names one by one; the overdue lists hold them all

CLOCK_NAMES = {
    "answer": "答复期限", "correction_notice": "补正告知期限", "correction": "补正期限",
    "consultation": "征求意见期限", "fee": "缴费期限",
    "reason": "说明理由期限", "receipt": "确认收到时限", "dispatch": "派单时限", "sign_for": "签收时限",
    "return_window": "退单时限", "handling": "办理时限", "callback": "回访时限",
    "supervision_feedback": "督办反馈时限", "sub_sign_for": "分中心签收时限", "sub_handling": "分中心办结时限",
}


def label(row: Any) -> str:
    """How a notice names a clock's item: its label, else kind and id."""
    return row.entity_label or f"{row.entity_kind} {row.entity_id}"


class DueText:
    """The due day (working-day clocks) or local due moment (hour clocks) as messages write it, each formatted once."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.seen: dict[Any, str] = {}

    def __call__(self, row: Any) -> str:
        key = row.due_on if row.due_on is not None else row.due_at
        text = self.seen.get(key)
        if text is None:
            text = self.seen[key] = zh_date(row.due_on) if row.due_on is not None else zh_moment(row.due_at, self.tz)
        return text


def _order(row: Any) -> tuple[Any, int]:
    return row.due_at, row.id  # the longest overdue first


def digest_context(rows: Sequence[Any], *, now: datetime, tz: tzinfo, dep_names: dict[int, str],
                   hours: int) -> dict[str, Any]:
    """What a digest says of the clocks one sweep escalated: how many, how many per department, the first
    DIGEST_ITEMS by due time."""
    due_text = DueText(tz)
    per_dep: dict[str, int] = {}
    for r in rows:
        name = dep_names.get(r.department_id, "") or "未分办"
        per_dep[name] = per_dep.get(name, 0) + 1
    first = sorted(rows, key=_order)[:DIGEST_ITEMS]
    items = "\n".join(f"{i}. {label(r)}（{dep_names.get(r.department_id, '') or '未分办'}，"
                      f"{CLOCK_NAMES.get(r.name, r.name)}，{due_text(r)}到期）" for i, r in enumerate(first, 1))
    by_department = "、".join(f"{name} {n} 件" for name, n in sorted(per_dep.items(), key=lambda kv: (-kv[1], kv[0])))
    return {"count": len(rows), "at": zh_moment(now, tz), "hours": hours, "by_department": by_department,
            "shown": len(first), "items": items}


def digest_links(user: Any, notification: Notification) -> list[tuple[str, str]]:
    """The links a digest shows its reader: each named item's page, then the overdue list of each kind of work in
    it. The items are the clocks the digest's sweep escalated (escalated_at is the sweep's `now`, the digest's
    created_at); one a calendar change has since cleared (no longer overdue) is no longer listed."""
    q = db.session.query(Clock.id, Clock.entity_kind, Clock.entity_id, Clock.entity_label, Clock.due_at).filter(
        Clock.escalated_at == notification.created_at)
    rows = q.order_by(Clock.due_at, Clock.id).limit(DIGEST_ITEMS).all()
    links = []
    for r in rows:
        resolver = TARGETS.get(r.entity_kind)
        url = resolver(user, int(r.entity_id)) if resolver is not None and r.entity_id.isdigit() else None
        if url:
            links.append((label(r), url))
    kinds = [k for (k,) in db.session.query(Clock.entity_kind).filter(
        Clock.escalated_at == notification.created_at).distinct().order_by(Clock.entity_kind)]
    return links + overdue_lists(user, kinds)
