"""公开答复库.

`init_app(app)` wires the public log into an application (called from app.py): its tables, blueprints,
the search index catch-up run after every deadline sweep, the migration filters of the search backends'
own structures, `flask log`, its links, the search's rate limit and the public (cacheable) pages. public_log imports no workflow: they hand it their labels
(public_log/labels.py) and submit records through public_log.review.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import public_log.models  # noqa: F401  (the tables, for the metadata)
    from core.auth.models import Role
    from core.jobs.periodic import register_periodic
    from core.limits import register_limit
    from core.security import register_public_endpoints
    from core.templating import NAV, Link, register_links
    from public_log.api import log_bp as log_api_bp
    from public_log.api import reviews_bp
    from public_log.cli import log_cli
    from public_log.indexing import search_catch_up
    from public_log.review_views import bp as public_review_bp
    from public_log.search import include_name, include_object
    from public_log.views import bp as public_log_bp

    for bp in (public_log_bp, public_review_bp, log_api_bp, reviews_bp):
        app.register_blueprint(bp)
    register_periodic(search_catch_up, "检索索引补做")  # index what a lost job left out, drop withdrawn records
    # Alembic leaves the search backends' own tables and index alone (kept in migration 0007)
    app.extensions["migrate"].configure_args.update(include_name=include_name, include_object=include_object)
    app.cli.add_command(log_cli)
    register_links(app, NAV, Link("公开答复库", "public_log.index", None, 30),
                   Link("公开审查", "public_review.queue", frozenset({Role.APPROVER, Role.SUPERVISOR, Role.ADMIN}), 40))
    register_limit(app, "public_log.index", "search")  # the page and the API share one search budget
    register_limit(app, "log_api.search", "search")
    register_public_endpoints(app, "public_log.index", "public_log.record", "public_log.feed",
                              "public_log.department_feed", "log_api.search", "log_api.record")
