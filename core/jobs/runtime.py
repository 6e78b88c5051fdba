"""The application a job runs in when the worker process has none, and fork safety for RQ work horses.

core never builds the application: the command that starts a worker (`flask worker`, core/jobs/cli.py)
already has one and binds it here; a job without an application context runs in the bound one. Jobs
run in-process (no REDIS_URL) or by hand (`flask jobs …`) use the current application.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

_app: Flask | None = None


def bind(app: Flask) -> None:
    """Jobs that find no application context run in `app` (the worker's own application)."""
    global _app
    _app = app


def job_app() -> Flask:
    """The bound application; a job started outside any application is a wiring mistake."""
    if _app is None:
        raise RuntimeError("no application for this job: start workers with `flask --app app worker` "
                           "(it binds its application), or call core.jobs.runtime.bind(app) first")
    return _app


def dispose_engines_after_fork() -> None:
    """A forked work horse must not share the parent's database connections."""
    def _dispose() -> None:
        from flask import current_app, has_app_context

        from core.extensions import db
        from core.replica import dispose
        if has_app_context():
            db.engine.dispose(close=False)
            dispose(current_app._get_current_object())  # type: ignore[attr-defined]
        elif _app is not None:
            with _app.app_context():
                db.engine.dispose(close=False)
            dispose(_app)
    os.register_at_fork(after_in_child=_dispose)
