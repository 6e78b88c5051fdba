"""The labels the public log shows for codes it does not own, handed over by each workflow's init_app.

The public log depends on no workflow: each registers its own labels (the 12345 诉求类型 and 分类, the
disclosure 办理结果). A value may be a callable returning the labels, read each time they are asked for.
Registering a kind again replaces its labels (create_app may run many times in one process).
"""
TYPES = {}  # kind -> {code: label}, (code, label) pairs, or a callable returning either
CATEGORIES = {}  # kind -> [(code, name, …)] or a callable returning it


def register_labels(kind, *, types=None, categories=None):
    """Hand the public log the labels of one kind of record ("disclosure", "hotline")."""
    if types is not None:
        TYPES[kind] = types
    if categories is not None:
        CATEGORIES[kind] = categories


def _resolved(value):
    return value() if callable(value) else value


def types_by_kind():
    """{kind: {code: label}} of every registered kind, in registration order."""
    return {kind: dict(_resolved(value)) for kind, value in TYPES.items()}


def categories():
    """(code, name, …) rows of every registered category catalogue."""
    return [row for value in CATEGORIES.values() for row in _resolved(value)]
