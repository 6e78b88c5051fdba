"""Recompute hooks: modules with open due dates register here to follow calendar changes.

A hook is called inside the import's unit of work as hook(old_calendar, new_calendar, years, now)
and returns how many items' due dates it changed.
"""
RECOMPUTE_HOOKS = []


def register_recompute(fn):
    """Register a hook (usable as a decorator); registering twice is a no-op."""
    if fn not in RECOMPUTE_HOOKS:
        RECOMPUTE_HOOKS.append(fn)
    return fn


def unregister_recompute(fn):
    if fn in RECOMPUTE_HOOKS:
        RECOMPUTE_HOOKS.remove(fn)
