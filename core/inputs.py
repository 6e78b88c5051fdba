"""The ranges every typed value must keep (issue 14), one rule for the API, the forms and the files.

Years lie in 1900–2100: the working-day calendar and every clock work there, and a date outside it is
always a typing error (0001, 9999) that date arithmetic would turn into an overflow. Integers fit a
database INTEGER (ids, counts, days); numbers are finite (no NaN or Infinity). Each parser answers a
Chinese ValueError naming the bad value; callers attach it to their field.
"""
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import ValidationError

YEAR_MIN, YEAR_MAX = 1900, 2100
INT_MAX = 2**31 - 1  # PostgreSQL INTEGER: every id and count column of the schema

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# RFC 3339 (the JSON Schema "date-time" format): date, "T" or space, time, optional fraction, a zone.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)
_INT = re.compile(r"[+-]?\d+", re.ASCII)
YEAR_MESSAGE = f"年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间"
DATE_HINT = f"日期格式应为 YYYY-MM-DD，{YEAR_MESSAGE}"
DATETIME_HINT = f"时间应为 ISO 8601 格式并带时区，如 2026-11-20T10:00:00+08:00，{YEAR_MESSAGE}"


def check_year(year: int, text: str | None = None) -> int:
    """A year in 1900–2100, else ValueError naming the value."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"{YEAR_MESSAGE}，收到 “{text if text is not None else year}”")
    return year


def _typed(value: object) -> str:
    """The typed text of a value from a form, a query or a JSON body (a number or a list as its text)."""
    return "" if value is None else (value if isinstance(value, str) else str(value)).strip()


def _shown(text: str) -> str:
    """At most 40 characters of a refused value, control characters (NUL…) shown as �, to quote it back."""
    return "".join("\ufffd" if ord(c) < 32 or ord(c) == 127 else c for c in text[:40])


def _stamp(value: object, pattern: re.Pattern[str], hint: str, convert: Callable[[str], Any], missing: str) -> Any:
    text = _typed(value)
    if not pattern.fullmatch(text):
        raise ValueError(f"{hint}，收到 “{_shown(text)}”")
    check_year(int(text[:4]), text)
    try:
        return convert(text)
    except ValueError:
        raise ValueError(f"{missing} “{text}”") from None


def parse_date(text: object) -> date:
    """A YYYY-MM-DD date in 1900–2100, with a Chinese message naming the bad value; anything else (NUL bytes,
    year 0001 or 9999, a number, a list) is a ValueError, never another exception."""
    return _stamp(text, _DATE, "日期格式应为 YYYY-MM-DD", date.fromisoformat, "不存在的日期")


def parse_datetime(text: object) -> datetime:
    """An RFC 3339 date-time with its zone (Z or ±hh:mm), year 1900–2100."""
    return _stamp(text, _DATETIME, DATETIME_HINT,
                  lambda t: datetime.fromisoformat(t.upper().replace("Z", "+00:00")), "不存在的时间")


def date_field(data: Mapping[str, Any], key: str, *, default: date | None = None, required: bool = False,
               label: str = "") -> date | None:
    """The date in `data[key]` — a JSON body, request.form or request.args — for a view: `default` when it is
    empty (None or ""), unless `required`; else parse_date's value, or ValidationError naming the field
    (the message prefixed with `label`, as 有效期：…)."""
    value = data.get(key)
    if (value is None or value == "") and not required:
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ValidationError(f"{label}：{exc}" if label else str(exc), field=key) from None


def parse_int(text: object, low: int = 0, high: int = INT_MAX) -> int:
    """A whole number in [low, high] from typed text."""
    text = str(text if text is not None else "").strip()
    if not _INT.fullmatch(text):
        raise ValueError(f"应为整数，收到 “{text[:40]}”")
    value = int(text) if len(text) <= 40 else None  # longer: out of any range, and int() would refuse it
    if value is None or not low <= value <= high:
        raise ValueError(f"应在 {low} 到 {high} 之间")
    return value


def parse_decimal(text: object, low: Decimal | int, high: Decimal | int) -> Decimal:
    """A finite decimal amount in (low, high] — NaN, Infinity and exponents beyond range refused."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"应为数字，收到 “{str(text)[:40]}”") from None
    if not value.is_finite():
        raise ValueError("应为有限的数字")
    if not low < value <= high:
        raise ValueError(f"应大于 {low} 且不超过 {high}")
    return value


def is_finite(number: object) -> bool:
    return not isinstance(number, float) or math.isfinite(number)
