"""One normalisation of what people type as a login, a phone number or a code, used by registration,
login, password reset and the status look-ups alike.

Text is NFKC-normalised first, so fullwidth characters typed with a Chinese input method
('１３８…', '＠') become their ASCII forms and name the same account. After that only ASCII digits
count as digits: other scripts' digits (Arabic-Indic '١٢', Devanagari …) are refused rather than
read as numbers, so no two spellings of one number can ever be two accounts. Email addresses must be
ASCII too (no look-alike letters from other scripts)."""
from __future__ import annotations

import re
import unicodedata

from core.errors import ValidationError

MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]+")


def nfkc(text: str | None) -> str:
    """NFKC form without surrounding spaces; None becomes ''."""
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def normalize_phone(text: str | None) -> str | None:
    """A mainland mobile number as 11 ASCII digits (spaces, dashes and +86 ignored), else None."""
    value = _SEPARATORS.sub("", nfkc(text))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value if MOBILE.fullmatch(value) else None


def normalize_login(text: str | None) -> tuple[str, str]:
    """('email', value) or ('phone', value) from what the user typed; raises on anything else."""
    phone = normalize_phone(text)
    if phone:
        return "phone", phone
    value = nfkc(text)
    if len(value) <= 254 and EMAIL.fullmatch(value):
        return "email", value.lower()
    raise ValidationError("请输入有效的手机号（11位）或电子邮箱", field="login")


def try_login(text: str | None) -> tuple[str, str] | None:
    """normalize_login, or None for text that is no login at all (treated like an unknown account)."""
    try:
        return normalize_login(text)
    except ValidationError:
        return None


def normalize_code(text: str | None) -> str:
    """A code as typed (access code, verification code): NFKC, no spaces or dashes, upper case."""
    return _SEPARATORS.sub("", nfkc(text)).upper()


def normalize_number(text: str | None) -> str:
    """A tracking number as typed: NFKC (fullwidth letters and dashes), no spaces, upper case."""
    return re.sub(r"\s+", "", nfkc(text)).upper()


def password_problems(password: str | None, login: str | None = None) -> list[str]:
    """Every rule `password` breaks (at least 8 characters with letters and digits, not the login name itself),
    all at once: a form shows them together, not one per attempt."""
    password = password or ""
    problems = []
    if len(password) < 8:
        problems.append("密码至少 8 位")
    if len(password) > 128:
        problems.append("密码最多 128 位")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"[0-9]", password):
        problems.append("密码须同时包含字母和数字")
    if login and password.lower() == login.lower():
        problems.append("密码不能与账号相同")
    return problems


def check_password_rules(password: str, login: str | None = None) -> None:
    """Raise with every rule the password breaks (password_problems)."""
    problems = password_problems(password, login)
    if problems:
        raise ValidationError("；".join(problems), field="password")
