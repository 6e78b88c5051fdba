"""Application factory: config, then each package's init_app (core first), then rate limits. No routes here."""

from flask import Flask
from werkzeug.routing import IntegerConverter

import core
import hotline
import public_log
import reports
import requests_module
from config import INSTANCE_DIR, config_from_env
from core.limits import init_limits


class DatabaseInt(IntegerConverter):
    """<int:…> in URLs only matches ids a database integer can hold (a larger one is a plain 404,
    not an overflow deep in SQLite or PostgreSQL)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config=None):
    config = config or config_from_env()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    # the SQLite database, uploads and backups live here by default: make it, whether or not SECRET_KEY is set
    # (a deployment that keeps everything elsewhere may leave it unwritable)
    try:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    app.url_map.converters["int"] = DatabaseInt
    if hasattr(config, "prepare"):
        config.prepare()  # development: a local secret; production: refuse to start without secrets
    app.config.from_object(config)
    app.json.ensure_ascii = False
    if app.config["PROXY_COUNT"]:  # behind nginx: client address and https from X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # Each package wires itself: tables, blueprints, periodic duties, hooks, labels, seeders, CLI.
    core.init_app(app)
    requests_module.init_app(app)
    hotline.init_app(app)
    public_log.init_app(app)
    reports.init_app(app)
    init_limits(app)  # last: it wraps endpoints of every package
    return app
