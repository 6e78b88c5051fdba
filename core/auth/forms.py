"""Login, registration and password forms. Each form checks every field at once (the login's format, the
password rules, the repeated password), so every error is shown beside its field in one answer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.validators import ValidationError as FieldError

from core.auth.identity import normalize_login, password_problems, try_login
from core.errors import ValidationError
from core.forms import Form


class LoginFormat:
    """A login that is a mainland mobile number or an email address (identity.normalize_login)."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            normalize_login(field.data)
        except ValidationError as err:
            raise FieldError(err.message) from None


class PasswordRules:
    """The password rules (identity.password_problems), every broken one in one message; `login_of(form)`
    gives the account's login for the rule that the password is not the login itself."""

    def __init__(self, login_of: Callable[[Any], str | None] | None = None) -> None:
        self.login_of = login_of

    def __call__(self, form: Any, field: Any) -> None:
        typed = try_login(self.login_of(form)) if self.login_of else None
        problems = password_problems(field.data, typed[1] if typed else None)
        if problems:
            raise FieldError("；".join(problems))


def _typed_login(form: Any) -> str | None:
    return form.login.data


def _own_login(form: Any) -> str | None:
    return current_user.login_id if current_user.is_authenticated else None


class LoginForm(Form):
    login = StringField("手机号或电子邮箱", validators=[DataRequired("请输入手机号或电子邮箱"), Length(max=254)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=128)])


class RegisterForm(Form):
    login = StringField("手机号或电子邮箱", validators=[DataRequired("请输入手机号或电子邮箱"), Length(max=254),
                                                  LoginFormat()])
    name = StringField("姓名（可选）", validators=[Optional(), Length(max=60)])
    password = PasswordField("密码（至少 8 位，含字母和数字）", validators=[DataRequired("请设置密码"),
                                                                PasswordRules(_typed_login)])
    confirm = PasswordField("再次输入密码", validators=[DataRequired("请再次输入密码"),
                                                     EqualTo("password", "两次输入的密码不一致")])


class PasswordForm(Form):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    password = PasswordField("新密码（至少 8 位，含字母和数字）", validators=[DataRequired("请输入新密码"),
                                                                 PasswordRules(_own_login)])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired("请再次输入新密码"),
                                                      EqualTo("password", "两次输入的密码不一致")])


class CodeForm(Form):
    code = StringField("验证码（6 位数字）", validators=[DataRequired("请输入收到的验证码"), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class ResetRequestForm(Form):
    login = StringField("手机号或电子邮箱", validators=[DataRequired("请输入手机号或电子邮箱"), Length(max=254)])


class ResetForm(Form):
    code = StringField("验证码（6 位数字）", validators=[DataRequired("请输入收到的验证码"), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})
    password = PasswordField("新密码（至少 8 位，含字母和数字）", validators=[DataRequired("请输入新密码"),
                                                                 PasswordRules()])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired("请再次输入新密码"),
                                                      EqualTo("password", "两次输入的密码不一致")])
