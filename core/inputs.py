"""The ranges every typed value must keep (issue 14), one rule for the API, the forms and the files.

Years lie in 1900–2100: the working-day calendar and every clock work there, and a date outside it is
always a typing error (0001, 9999) that date arithmetic would turn into an overflow. Integers fit a
database INTEGER (ids, counts, days); numbers are finite (no NaN or Infinity). Each parser answers a
Chinese ValueError naming the bad value; callers attach it to their field.
"""
import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

YEAR_MIN, YEAR_MAX = 1900, 2100
INT_MAX = 2**31 - 1  # PostgreSQL INTEGER: every id and count column of the schema

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# RFC 3339 (the JSON Schema "date-time" format): date, "T" or space, time, optional fraction, a zone.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)
_INT = re.compile(r"[+-]?\d+", re.ASCII)
YEAR_MESSAGE = f"年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间"
DATE_HINT = f"日期格式应为 YYYY-MM-DD，{YEAR_MESSAGE}"
DATETIME_HINT = f"时间应为 ISO 8601 格式并带时区，如 2026-11-20T10:00:00+08:00，{YEAR_MESSAGE}"


def check_year(year, text=None):
    """A year in 1900–2100, else ValueError naming the value."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"{YEAR_MESSAGE}，收到 “{text if text is not None else year}”")
    return year


def parse_date(text):
    """A YYYY-MM-DD date in 1900–2100, with a Chinese message naming the bad value."""
    text = (text or "").strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"日期格式应为 YYYY-MM-DD，收到 “{text[:40]}”")
    check_year(int(text[:4]), text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"不存在的日期 “{text}”") from None


def parse_datetime(text):
    """An RFC 3339 date-time with its zone (Z or ±hh:mm), year 1900–2100."""
    text = (text or "").strip()
    if not _DATETIME.fullmatch(text):
        raise ValueError(f"{DATETIME_HINT}，收到 “{text[:40]}”")
    check_year(int(text[:4]), text)
    try:
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"不存在的时间 “{text}”") from None


def parse_int(text, low=0, high=INT_MAX):
    """A whole number in [low, high] from typed text."""
    text = str(text if text is not None else "").strip()
    if not _INT.fullmatch(text):
        raise ValueError(f"应为整数，收到 “{text[:40]}”")
    value = int(text) if len(text) <= 40 else None  # longer: out of any range, and int() would refuse it
    if value is None or not low <= value <= high:
        raise ValueError(f"应在 {low} 到 {high} 之间")
    return value


def parse_decimal(text, low, high):
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


def is_finite(number):
    return not isinstance(number, float) or math.isfinite(number)
