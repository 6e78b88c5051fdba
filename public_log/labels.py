"""The labels the public log shows for codes it does not own, handed over by each workflow's init_app.

The public log depends on no workflow: each registers its own labels (the 12345 诉求类型 and 分类, the
disclosure 办理结果). A value may be a callable returning the labels, read each time they are asked for.
Registering a kind again replaces its labels (create_app may run many times in one process).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeAlias, TypeVar

Labels: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]  # {code: label} or (code, label) pairs
Rows: TypeAlias = Iterable[Sequence[str]]  # (code, name, …) rows of a category catalogue
T = TypeVar("T", Labels, Rows)

TYPES: dict[str, Labels | Callable[[], Labels]] = {}  # kind -> labels or a callable returning them
CATEGORIES: dict[str, Rows | Callable[[], Rows]] = {}  # kind -> rows or a callable returning them


def register_labels(kind: str, *, types: Labels | Callable[[], Labels] | None = None,
                    categories: Rows | Callable[[], Rows] | None = None) -> None:
    """Hand the public log the labels of one kind of record ("disclosure", "hotline")."""
    if types is not None:
        TYPES[kind] = types
    if categories is not None:
        CATEGORIES[kind] = categories


def _resolved(value: T | Callable[[], T]) -> T:
    return value() if callable(value) else value


def types_by_kind() -> dict[str, dict[str, str]]:
    """{kind: {code: label}} of every registered kind, in registration order."""
    return {kind: dict(_resolved(value)) for kind, value in TYPES.items()}


def categories() -> list[Sequence[str]]:
    """(code, name, …) rows of every registered category catalogue."""
    return [row for value in CATEGORIES.values() for row in _resolved(value)]
