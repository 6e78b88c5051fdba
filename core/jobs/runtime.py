"""The application a job runs in when the worker process has none, and fork safety for RQ work horses."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

_app = None


def job_app() -> Flask:
    global _app
    if _app is None:
        from app import create_app
        _app = create_app()
    return _app


def dispose_engines_after_fork() -> None:
    """A forked work horse must not share the parent's database connections."""
    def _dispose() -> None:
        from flask import has_app_context

        from core.extensions import db
        if has_app_context():
            db.engine.dispose(close=False)
        elif _app is not None:
            with _app.app_context():
                db.engine.dispose(close=False)
    os.register_at_fork(after_in_child=_dispose)
