"""CSRF failures as pages. Tokens live WTF_CSRF_TIME_LIMIT (a day); a form posted with this session's
own token that is only too old loses nothing: one page, for every form, says “页面停留时间过长，请再次
提交” and carries everything typed (as hidden fields, with a fresh token) back to the same address.
Passwords are typed again and files attached again (a browser cannot be handed a file); the view then
answers as usual, its own form with the values when something else is wrong.

The token must verify as this session's (the signature and the session's raw token, any age) — an old
token of another session (an attacker's own, posted cross-site) gets the plain CSRF refusal, never a
page that would put someone else's values one click from being submitted."""
from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any, cast

from flask import current_app, render_template, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from wtforms import PasswordField
from wtforms.fields.core import UnboundField

if TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

EXPIRED_MESSAGE = "页面停留时间过长，请再次提交"
REFUSED_MESSAGE = "页面已过期或缺少安全校验（CSRF），请刷新页面后重新提交。"
SALT = "wtf-csrf-token"  # Flask-WTF's salt for its tokens (flask_wtf.csrf.generate_csrf)


def field_name() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _serializer() -> URLSafeTimedSerializer:
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    return URLSafeTimedSerializer(cast(str | bytes, secret), salt=SALT)


def expired_own_token() -> bool:
    """True when the posted token is this session's own and was refused only for its age."""
    field = field_name()
    token = request.form.get(field) or request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    raw = session.get(field)
    if not token or not isinstance(raw, str):
        return False
    serializer = _serializer()
    try:
        value = serializer.loads(token)  # the signature, at any age
    except BadData:
        return False
    if not isinstance(value, str) or not hmac.compare_digest(value, raw):
        return False
    try:
        serializer.loads(token, max_age=current_app.config["WTF_CSRF_TIME_LIMIT"])
    except SignatureExpired:
        return True
    return False


def password_fields() -> set[str]:
    """Names of every PasswordField declared on a form of the app: never written back into a page."""
    names, todo = set(), [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField) and issubclass(value.field_class, PasswordField):
                    names.add(name)
    return names


def resubmit_page() -> ResponseReturnValue:
    """The re-submit page for the current (refused) post, status 400: nothing was done yet."""
    field, secret = field_name(), password_fields()
    fields, retype = [], []
    for name, values in request.form.lists():
        if name == field:
            continue
        if name in secret or "password" in name.lower():
            retype.append(name)
        else:
            fields += [(name, value) for value in values]
    kept, files = _keep_uploads(fields)
    action = request.full_path if request.query_string else request.path
    return render_template("errors/resubmit.html", message=EXPIRED_MESSAGE, action=action, fields=fields,
                           retype=retype, files=files, kept=kept, multipart=bool(request.files)), 400


# The file fields of forms that take pending uploads (core/pending_uploads.py) by their tokens; others (e.g. the
# calendar import) are asked for again.
PENDING_FILE_FIELDS = ("attachments", "evidence")


def _keep_uploads(fields: list[tuple[str, str]]) -> tuple[list[Any], list[tuple[str, list[str]]]]:
    """The chosen files kept server-side as pending uploads (their tokens added to `fields`), and [(field, names)]
    of those to choose again (another form's, or refused by the content check)."""
    from core import pending_uploads
    from core.db import unit_of_work, utcnow

    kept, again = [], []
    for name in request.files:
        chosen = [(f.filename, f.read()) for f in request.files.getlist(name) if f.filename]
        if not chosen:
            continue
        if name not in PENDING_FILE_FIELDS:
            again.append((name, [n for n, _ in chosen]))
            continue
        with unit_of_work():
            added, _ = pending_uploads.stash(chosen, owner=pending_uploads.owner_key(), now=utcnow(), field=name)
        kept += added
        fields += [(pending_uploads.FIELD, k.token) for k in added]
        refused = [n for n, _ in chosen if n not in {k.filename for k in added}]
        if refused:
            again.append((name, refused))
    return kept, again


def register_csrf_errors(app: Flask) -> None:
    from core.errors import error_response, wants_json

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError) -> ResponseReturnValue:
        expired = expired_own_token()
        if expired and not wants_json():
            return resubmit_page()
        return error_response(400, EXPIRED_MESSAGE + "。" if expired else REFUSED_MESSAGE)
