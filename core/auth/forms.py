"""Login, registration and password forms."""
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from core.forms import Form


class LoginForm(Form):
    login = StringField("手机号或电子邮箱", validators=[DataRequired("请输入手机号或电子邮箱"), Length(max=254)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=128)])


class RegisterForm(Form):
    login = StringField("手机号或电子邮箱", validators=[DataRequired("请输入手机号或电子邮箱"), Length(max=254)])
    name = StringField("姓名（可选）", validators=[Optional(), Length(max=60)])
    password = PasswordField("密码（至少 8 位，含字母和数字）", validators=[DataRequired("请设置密码")])
    confirm = PasswordField("再次输入密码", validators=[DataRequired("请再次输入密码"),
                                                     EqualTo("password", "两次输入的密码不一致")])


class PasswordForm(Form):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    password = PasswordField("新密码（至少 8 位，含字母和数字）", validators=[DataRequired("请输入新密码")])
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
    password = PasswordField("新密码（至少 8 位，含字母和数字）", validators=[DataRequired("请输入新密码")])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired("请再次输入新密码"),
                                                      EqualTo("password", "两次输入的密码不一致")])
