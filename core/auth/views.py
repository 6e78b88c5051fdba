"""Login, logout, registration and password change pages."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from core import captcha
from core.auth import codes, recovery, service, throttle
from core.auth.forms import CodeForm, LoginForm, PasswordForm, RegisterForm, ResetForm, ResetRequestForm
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db, login_manager
from core.forms import apply_domain_error

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from flask.typing import ResponseReturnValue

    from core.auth.models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")
PENDING = "auth_pending"  # the login a code was sent for, between the two steps
REQUESTER = "auth_requester"  # this browser session's token: codes it asks for are redeemable only here


def _requester() -> str:
    """This session's requester token (core/auth/codes.py), made when it first asks for a code."""
    if not session.get(REQUESTER):
        session[REQUESTER] = codes.new_requester()
    return session[REQUESTER]


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """'<id>.<session version>': a session from before a password change or a logout loads no one."""
    from core.auth.models import User
    user_id, _, version = (session_id or "").partition(".")
    if not (user_id.isdigit() and version.isdigit()) or len(session_id) > 40:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_version == int(version) else None


def _start_session(user: User) -> None:
    """A fresh session for the user: nothing of the previous visitor's (look-up grants on a shared
    kiosk, a planted session id) carries over."""
    session.clear()
    login_user(user)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so the login page cannot be used to redirect elsewhere."""
    if not target:
        return None
    parts = urlparse(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _throttled_check(form: Any, check: Callable[..., Any], address: str | None, now: datetime) -> tuple[Any,
                     dict[str, Any]]:
    """Run a throttled password check (`check(captcha_passed)`, core/auth/service.py) for a form: its
    result, or None with the messages put on the form; and the captcha to show next, if any."""
    show_captcha, captcha_error, result = throttle.address_has_failures(address, now), None, None
    if form.validate_on_submit():
        passed, captcha_error = captcha.posted()
        try:
            result = check(passed)
        except service.CaptchaRequired as err:
            show_captcha = True
            form.form_errors.append(captcha_error or err.message)
        except service.AuthError as err:
            show_captcha = show_captcha or captcha_error is not None
            form.form_errors.append(err.message)
        except ValidationError as err:
            show_captcha = show_captcha or captcha_error is not None
            apply_domain_error(form, err)
    challenge = captcha.new_challenge() if show_captcha and result is None else None
    return result, {"challenge": challenge, "captcha_error": captcha_error}


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    now, address = utcnow(), get_remote_address()
    user, captcha_ctx = _throttled_check(form, lambda passed: service.authenticate(
        form.login.data, form.password.data, now=now, address=address, captcha_passed=passed), address, now)
    if user is not None:
        _start_session(user)
        flash(f"欢迎，{user.label}", "success")
        return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, **captcha_ctx), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        service.end_sessions(current_user, now=utcnow())
    logout_user()
    session.clear()
    flash("您已安全退出。", "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Step 1 of 2: the same answer whether or not the login is taken (core/auth/recovery.py)."""
    form = RegisterForm()
    refused = captcha.gate()
    solved, ceiling_error = captcha.posted() if refused is None else (False, None)
    ceiling = False
    if form.validate_on_submit() and refused is None:
        try:
            recovery.start_registration(form.login.data, form.password.data, form.name.data,
                                        requester=_requester(), address=get_remote_address(), now=utcnow(),
                                        captcha_passed=solved)
        except ValidationError as err:
            apply_domain_error(form, err)
            ceiling = getattr(err, "captcha_passes", False)
        else:
            captcha.count_submission()
            session[PENDING] = {"purpose": "register", "login": form.login.data}
            flash("验证码已发送到您填写的手机或邮箱，请在下方输入以完成注册。", "info")
            return redirect(url_for(".register_confirm"))
    context = captcha.context(refused)
    if ceiling and context["challenge"] is None:  # the per-phone ceiling: a captcha lets the next try through
        context = {"challenge": captcha.new_challenge(), "captcha_error": ceiling_error}
    return (render_template("auth/register.html", form=form, **context),
            400 if form.errors or form.form_errors or refused else 200)


def _pending(purpose: str) -> str | None:
    pending = session.get(PENDING) or {}
    return pending.get("login") if pending.get("purpose") == purpose else None


@bp.route("/register/confirm", methods=["GET", "POST"])
def register_confirm() -> ResponseReturnValue:
    login_text = _pending("register")
    if login_text is None:
        return redirect(url_for(".register"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            user = recovery.complete_registration(login_text, form.code.data, requester=session.get(REQUESTER),
                                                  now=utcnow())
        except ValidationError as err:
            apply_domain_error(form, err)
        else:
            _start_session(user)
            flash("注册成功，您已登录。", "success")
            return redirect(url_for("main.home"))
    return (render_template("auth/code.html", form=form, login_text=login_text, title="完成注册",
                            again=url_for(".register")), 400 if form.errors or form.form_errors else 200)


@bp.route("/reset", methods=["GET", "POST"])
def reset() -> ResponseReturnValue:
    """Forgotten password, step 1 of 2: the same answer for every login."""
    form = ResetRequestForm()
    solved, captcha_error = captcha.posted()
    ceiling = False
    if form.validate_on_submit():
        try:
            recovery.start_reset(form.login.data, requester=_requester(), address=get_remote_address(),
                                 now=utcnow(), captcha_passed=solved)
        except ValidationError as err:
            apply_domain_error(form, err)
            ceiling = getattr(err, "captcha_passes", False)
        else:
            session[PENDING] = {"purpose": "reset", "login": form.login.data}
            flash("如果该手机号或邮箱已注册，验证码已发送，请在下方输入并设置新密码。", "info")
            return redirect(url_for(".reset_confirm"))
    challenge = captcha.new_challenge() if ceiling else None  # the per-phone ceiling: a captcha lets it through
    return (render_template("auth/reset.html", form=form, challenge=challenge, captcha_error=captcha_error),
            400 if form.errors or form.form_errors else 200)


@bp.route("/reset/confirm", methods=["GET", "POST"])
def reset_confirm() -> ResponseReturnValue:
    login_text = _pending("reset")
    if login_text is None:
        return redirect(url_for(".reset"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            recovery.complete_reset(login_text, form.code.data, form.password.data,
                                    requester=session.get(REQUESTER), now=utcnow())
        except ValidationError as err:
            apply_domain_error(form, err)
        else:
            session.pop(PENDING, None)
            flash("密码已重新设置，请用新密码登录。", "success")
            return redirect(url_for(".login"))
    return (render_template("auth/code.html", form=form, login_text=login_text, title="设置新密码",
                            again=url_for(".reset")), 400 if form.errors or form.form_errors else 200)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change the password; the current one is checked with the login's throttling (F5)."""
    form = PasswordForm()
    now, address = utcnow(), get_remote_address()
    changed, captcha_ctx = _throttled_check(form, lambda passed: service.change_password(  # type: ignore[func-returns-value]
        current_user, form.current.data, form.password.data, now=now, address=address,
        captcha_passed=passed) or True, address, now)
    if changed:
        login_user(current_user._get_current_object())  # this session goes on with the new version
        flash("密码已修改。", "success")
        return redirect(url_for("main.home"))
    return (render_template("auth/password.html", form=form, **captcha_ctx),
            400 if form.errors or form.form_errors else 200)
