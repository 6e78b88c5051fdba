"""Application factory: config → extensions → blueprints → CLI → error handlers. No routes here."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import INSTANCE_DIR, config_from_env


class DatabaseInt(IntegerConverter):
    """<int:…> in URLs only matches ids a database integer can hold (a larger one is a plain 404,
    not an overflow deep in SQLite or PostgreSQL)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config=None):
    config = config or config_from_env()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    app.url_map.converters["int"] = DatabaseInt
    if hasattr(config, "prepare"):
        config.prepare()  # development: a local secret; production: refuse to start without secrets
    app.config.from_object(config)
    app.json.ensure_ascii = False
    if app.config["PROXY_COUNT"]:  # behind nginx: client address and https from X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    _register_blueprints(app)
    from reports.hotline_assessment import weights_from
    weights_from(app.config["HOTLINE_ASSESSMENT_WEIGHTS"])  # a wrong weight refuses to start, not a 500 later
    from core.cli import register_cli
    register_cli(app)
    from public_log.cli import log_cli
    app.cli.add_command(log_cli)
    from core.errors import register_error_handlers
    register_error_handlers(app)
    from core.templating import register_template_helpers
    register_template_helpers(app)
    from core.security import register_security_headers
    register_security_headers(app)
    from core.wellformed import register_wellformed
    register_wellformed(app)
    from core.logs import configure_logging
    configure_logging(app)
    from core.limits import init_limits
    init_limits(app)
    return app

def _init_extensions(app):
    # Models must be imported before Alembic or create_all look at the metadata.
    import core.models  # noqa: F401
    import hotline.jobs  # noqa: F401  (escalates 督办单 with late feedback after each sweep)
    import hotline.knowledge  # noqa: F401
    import hotline.models  # noqa: F401
    import public_log.indexing  # noqa: F401  (index catch-up after each sweep)
    import public_log.models  # noqa: F401
    import reports.models  # noqa: F401
    import reports.runs  # noqa: F401  (re-dispatches report runs a lost job left queued)
    import requests_module.correction_models  # noqa: F401
    import requests_module.jobs  # noqa: F401  (registers its periodic duty)
    import requests_module.models  # noqa: F401
    from core.extensions import csrf, db, login_manager, migrate
    from hotline.seed import seed_categories_message
    from public_log.search import include_name, include_object
    app.extensions["seeders"] = [seed_categories_message]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True,
                     include_name=include_name, include_object=include_object)
    csrf.init_app(app)
    login_manager.init_app(app)

def _register_blueprints(app):
    from core.api import bp as api_bp
    from core.auth.views import bp as auth_bp
    from core.calendar.views import bp as calendar_bp
    from core.departments.views import bp as departments_bp
    from core.health import bp as health_bp
    from core.jobs.views import bp as jobs_bp
    from core.notifications.views import bp as notifications_bp
    from core.views import bp as main_bp
    from hotline.api import bp as tickets_api_bp
    from hotline.citizen_views import bp as hotline_citizen_bp
    from hotline.kb_views import bp as hotline_kb_bp
    from hotline.open311 import bp as open311_bp
    from hotline.sla_views import bp as hotline_sla_bp
    from hotline.staff_views import bp as hotline_bp
    from hotline.supervision_views import bp as hotline_supervision_bp
    from public_log.api import log_bp as log_api_bp
    from public_log.api import reviews_bp
    from public_log.review_views import bp as public_review_bp
    from public_log.views import bp as public_log_bp
    from reports.views import bp as reports_bp
    from requests_module.api import bp as requests_api_bp
    from requests_module.citizen_views import bp as requests_bp
    from requests_module.correction_api import bp as corrections_api_bp
    from requests_module.correction_views import bp as corrections_bp
    from requests_module.correction_views import staff_bp as corrections_staff_bp
    from requests_module.staff_views import bp as requests_staff_bp

    for bp in (main_bp, health_bp, auth_bp, departments_bp, calendar_bp, notifications_bp, jobs_bp, api_bp,
               requests_api_bp, requests_bp, requests_staff_bp, tickets_api_bp, open311_bp, hotline_bp,
               hotline_kb_bp, hotline_citizen_bp, hotline_sla_bp, public_log_bp, public_review_bp, log_api_bp,
               reviews_bp, reports_bp, corrections_api_bp, corrections_bp, corrections_staff_bp,
               hotline_supervision_bp):
        app.register_blueprint(bp)
