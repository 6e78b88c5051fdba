"""The application a job runs in when the worker process has none, and fork safety for RQ work horses."""
import os

_app = None


def job_app():
    global _app
    if _app is None:
        from app import create_app
        _app = create_app()
    return _app


def dispose_engines_after_fork():
    """A forked work horse must not share the parent's database connections."""
    def _dispose():
        from flask import has_app_context

        from core.extensions import db
        if has_app_context():
            db.engine.dispose(close=False)
        elif _app is not None:
            with _app.app_context():
                db.engine.dispose(close=False)
    os.register_at_fork(after_in_child=_dispose)
