"""How much work a queue holds for a user: its open items and how many of them are 临期 / 超期.

The workflows count their own queues (a `Link`'s `counts`, core/templating.py), each item's urgency decided
by the one rule, `core.clocks.service.urgency_of`, when read (never stored).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.worktime import Urgency

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class WorkCount:
    total: int
    due_soon: int = 0
    overdue: int = 0
    label: str = "待办"  # what the total counts: 待办, 待收件, 待派单 …


def tally(levels: Iterable[Urgency], label: str = "待办") -> WorkCount:
    """Count a queue's items by their urgency (each decided by core.clocks.service.urgency_of)."""
    total = due_soon = overdue = 0
    for level in levels:
        total += 1
        due_soon += level is Urgency.DUE_SOON
        overdue += level is Urgency.OVERDUE
    return WorkCount(total, due_soon, overdue, label)
