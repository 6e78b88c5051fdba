"""The database unreachable (issue 21 item 3): 503 with Retry-After, never a 500 with a stack in the log.

While PostgreSQL restarts or the network to it is cut, a request that needs it fails at its first statement
(the pool checks each connection before use: `pool_pre_ping`, config.py). That is an outage, not a bug: the
answer is 503 with `Retry-After`, a Chinese page that says typed work is not lost (browsers keep a form on
back) or the JSON error of docs/api.md, and one log line. Nothing half-done is stored — the unit of work
rolled back — so a client may retry; with an Idempotency-Key (core/idempotency.py) a retry never doubles.
Once the server answers again the pool opens new connections by itself: no restart of the app.

Only connection-level errors count: SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shutting
down or starting), a driver error without SQLSTATE (nothing reached a server), an invalidated connection, a pool
that gave up waiting. A deadlock or a bad statement stays what it is."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, g, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.extensions import db

if TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

RETRY_AFTER_SECONDS = 5
MESSAGE = "数据库暂时无法连接，请稍后重试；您填写的内容未丢失（请不要关闭页面），刚才的提交没有被保存。"
_SHUTDOWN_STATES = {"57P01", "57P02", "57P03"}  # admin_shutdown, crash_shutdown, cannot_connect_now


def connection_lost(err: BaseException) -> bool:
    """True when `err` says the database could not be reached (not that a statement failed)."""
    if isinstance(err, PoolTimeout):
        return True
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    orig = err.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in _SHUTDOWN_STATES
    if isinstance(err, InterfaceError):
        return True
    if isinstance(err, OperationalError):
        # psycopg raises OperationalError without SQLSTATE when no server answered; SQLite when the file is gone
        return type(orig).__module__.startswith("psycopg") or "unable to open database" in str(orig)
    return False


def unavailable() -> ResponseReturnValue:
    """503 + Retry-After: the JSON error for the API, else a page that needs nothing from the database."""
    from core.errors import wants_json
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json():
        return {"error": "unavailable", "message": MESSAGE}, 503, headers
    return render_template("errors/unavailable.html", message=MESSAGE), 503, headers


def register_outage_handler(app: Flask) -> None:
    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database_error(err: SQLAlchemyError) -> ResponseReturnValue:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        if not connection_lost(err):
            current_app.logger.exception("unhandled database error")
            from core.errors import error_response
            return error_response(500)
        # the access log's after_request asks for the user: let it see an anonymous one rather than reload the
        # account from the database that just failed (Flask-Login keeps the loaded user in g._login_user)
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
        orig = getattr(err, "orig", None)
        current_app.logger.warning("database unreachable: %s %s answered 503 (%s)", request.method, request.path,
                                   type(orig or err).__name__)
        return unavailable()
