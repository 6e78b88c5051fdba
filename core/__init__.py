"""Shared pieces: extensions, accounts, departments, calendar, clock, audit, API.

`init_app(app)` wires core into an application (app.py calls it first, then each workflow's own
`init_app`): extensions, core's tables, its calendar recompute hook, blueprints, CLI, error pages,
template helpers, security headers and request logging. core imports no workflow and not `app`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import core.models  # noqa: F401  (core's tables, for the metadata)
    import core.saved_filters  # noqa: F401  (its table, with its views: not a model-only module)
    from core.calendar.hooks import register_recompute
    from core.cli import register_cli
    from core.clocks.digest import DIGEST, digest_links
    from core.clocks.recompute import recompute_open_clocks
    from core.errors import register_error_handlers
    from core.extensions import csrf, db, login_manager, migrate
    from core.idempotency import init_app as init_idempotency
    from core.logs import configure_logging
    from core.notifications.links import register_details
    from core.pending_uploads import init_app as init_pending_uploads
    from core.replica import init_app as init_replica
    from core.security import register_security_headers
    from core.templating import register_template_helpers
    from core.wellformed import register_wellformed

    db.init_app(app)
    init_replica(app)  # reads the public log and reports may take from a PostgreSQL replica
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    register_recompute(recompute_open_clocks)  # open clocks follow an imported official calendar
    register_details(DIGEST, digest_links)  # a supervisors' escalation digest links its items and overdue lists
    _register_blueprints(app)
    app.extensions.setdefault("seeders", [])  # workflows add theirs; `flask seed` runs them
    register_cli(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_wellformed(app)
    configure_logging(app)
    init_pending_uploads(app)  # expired pending uploads are purged; file inputs' accepted kinds
    init_idempotency(app)  # expired idempotency keys are purged; forms get their one-time field


def _register_blueprints(app: Flask) -> None:
    from core import saved_filters
    from core.api import bp as api_bp
    from core.auth.views import bp as auth_bp
    from core.calendar.views import bp as calendar_bp
    from core.departments.views import bp as departments_bp
    from core.health import bp as health_bp
    from core.jobs.views import bp as jobs_bp
    from core.notifications.views import bp as notifications_bp
    from core.views import bp as main_bp

    for bp in (main_bp, health_bp, auth_bp, departments_bp, calendar_bp, notifications_bp, jobs_bp, api_bp):
        app.register_blueprint(bp)
    saved_filters.init_app(app)
