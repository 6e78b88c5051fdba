"""Domain errors and the handlers that turn them into pages or JSON."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import jsonify, render_template, request

from core.wellformed import NUL_MESSAGE, SURROGATE_MESSAGE

if TYPE_CHECKING:
    from typing import Any

    from flask import Flask
    from flask.typing import ResponseReturnValue
    from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule of the domain forbids the action; the message is shown to the user (Chinese)."""

    status = 409

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """Bad input; `fields` maps field names to messages when several fields are wrong."""

    status = 400

    def __init__(self, message: str, field: str | None = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, field)
        self.fields = fields or ({field: message} if field else {})


class NotTheirs(DomainError):
    """A step the user may see but is not theirs to take (403), with the Chinese reason: who may take it.
    Raised by each workflow's access.py (`require_act`) for pages and API alike."""

    status = 403


class FieldConflict(DomainError):
    """A refused step (409) caused by one input's value, e.g. an amount that is not the tier result: the page
    marks that field, the API names it in `fields`."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message, field)
        self.fields = {field: message}


ERROR_TITLES = {
    400: "请求有误",
    401: "需要登录",
    403: "没有权限",
    404: "页面不存在",
    405: "不支持的请求方式",
    409: "操作冲突",
    413: "提交的内容过大",
    422: "请求无法处理",
    429: "请求过于频繁",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}

ERROR_HINTS = {
    403: "您的账号没有访问此页面的权限。如需办理，请联系本部门管理员。",
    404: "您访问的页面不存在或已被移除，请检查网址。",
    413: "上传的文件或提交的内容超过了允许的大小，请压缩后重试。",
    429: "您的操作过于频繁，请稍等片刻再试；已填写的内容请不要关闭页面。紧急事项请直接拨打 12345。",
    500: "系统暂时出现问题，您提交的内容未丢失。请稍后重试，或联系管理员。",
}


ERROR_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "unprocessable",
               429: "rate_limited", 500: "server_error", 503: "unavailable"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str | None = None,
                   fields: dict[str, str] | None = None) -> ResponseReturnValue:
    """JSON for the API: {"error": code, "message": …, "fields": {name: message}}; a Chinese page otherwise."""
    title = ERROR_TITLES.get(status, "出错了")
    if wants_json():
        body: dict[str, Any] = {"error": ERROR_CODES.get(status, "error"), "message": message or title}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    hint = message or ERROR_HINTS.get(status, "")
    return render_template("errors/error.html", status=status, title=title, hint=hint), status


def register_error_handlers(app: Flask) -> None:
    from sqlalchemy.orm.exc import StaleDataError
    from werkzeug.exceptions import HTTPException

    @app.errorhandler(DomainError)
    def _domain(err: DomainError) -> ResponseReturnValue:
        return error_response(err.status, err.message, getattr(err, "fields", None))

    @app.errorhandler(StaleDataError)
    def _stale(err: Exception) -> ResponseReturnValue:
        from core.extensions import db
        db.session.rollback()
        return error_response(409, "该事项刚被他人修改，请刷新页面后重试。")

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> ResponseReturnValue:
        message = err.description if err.code == 400 and err.description in (NUL_MESSAGE, SURROGATE_MESSAGE) else None
        return error_response(err.code or 500, message)

    from core.outage import register_outage_handler
    register_outage_handler(app)  # the database unreachable: 503 + Retry-After, one log line

    from core.csrf import register_csrf_errors
    register_csrf_errors(app)  # CSRF refusals, and the re-submit page for an expired token

    @app.errorhandler(Exception)
    def _unhandled(err: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error")
        return error_response(500)
