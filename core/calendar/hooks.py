"""Recompute hooks: modules with open due dates register here to follow calendar changes.

A hook is called inside the import's unit of work as hook(old_calendar, new_calendar, years, now)
and returns how many items' due dates it changed.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.worktime.workdays import WorkCalendar

# hook(old_calendar, new_calendar, years, now) -> number of items changed
RecomputeHook = Callable[["WorkCalendar", "WorkCalendar", list[int], datetime], int]

RECOMPUTE_HOOKS: list[RecomputeHook] = []


def register_recompute(fn: RecomputeHook) -> RecomputeHook:
    """Register a hook (usable as a decorator); registering twice is a no-op."""
    if fn not in RECOMPUTE_HOOKS:
        RECOMPUTE_HOOKS.append(fn)
    return fn


def unregister_recompute(fn: RecomputeHook) -> None:
    if fn in RECOMPUTE_HOOKS:
        RECOMPUTE_HOOKS.remove(fn)
