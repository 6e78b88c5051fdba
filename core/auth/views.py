"""Login, logout, registration and password change pages."""
from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from core import captcha
from core.auth import service
from core.auth.forms import LoginForm, PasswordForm, RegisterForm
from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db, login_manager
from core.forms import apply_domain_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def _load_user(user_id):
    from core.auth.models import User
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target):
    """Only same-site relative paths, so the login page cannot be used to redirect elsewhere."""
    if not target:
        return None
    parts = urlparse(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.login.data, form.password.data, now=utcnow())
        except service.AuthError as err:
            form.form_errors.append(err.message)
        else:
            login_user(user)
            flash(f"欢迎，{user.label}", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    flash("您已安全退出。", "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    refused = captcha.gate()
    if form.validate_on_submit() and refused is None:
        try:
            user = service.register_citizen(form.login.data, form.password.data, form.name.data, now=utcnow())
        except ValidationError as err:
            apply_domain_error(form, err)
        else:
            captcha.count_submission()
            login_user(user)
            flash("注册成功，您已登录。", "success")
            return redirect(url_for("main.home"))
    return (render_template("auth/register.html", form=form, **captcha.context(refused)),
            400 if form.errors or form.form_errors or refused else 200)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current.data, form.password.data, now=utcnow())
        except ValidationError as err:
            apply_domain_error(form, err)
        else:
            flash("密码已修改。", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)
