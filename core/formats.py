"""Chinese formats and checks, one source for each: the date as 公文 write it, phone numbers, the resident
identity number (居民身份证号码) and the unified social credit code (统一社会信用代码).

Used by validation (applications, correction requests, tickets), masking, notices, notifications and
templates (the `zh_date` and `local_dt` filters). Pure functions: no app, no database.

One date format on every page and in every message: 2026年12月2日, never zero-padded (no 12月02日, no
2026-12-02 in running text); tests/core/test_date_format.py keeps the padded patterns out of the code.
"""
import re
from datetime import date, datetime, tzinfo
from typing import Any

# 11-digit mainland mobile (1 then 3–9); landline with its area code (0 + 2–3 digits, optional hyphen).
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999
_ID_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"\d{17}[\dX]")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def zh_date(day: date | None) -> str:
    """A date as Chinese documents write it: 2026年11月30日 (no leading zeros); "" for none."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def zh_moment(moment: datetime, tz: tzinfo | None = None) -> str:
    """A due moment in a message: the day as zh_date, then the local time (2026年12月2日 17:30)."""
    if tz is None:
        from core.calendar.service import local_zone  # the app's configuration: only when no zone is given
        tz = local_zone()
    local = moment.astimezone(tz)
    return f"{zh_date(local.date())} {local:%H:%M}"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


def detail_text(value: Any) -> str:
    """A stored detail value (JSON: audit details, job counts) as readable text: dates as zh_date, moments as
    local_dt, yes/no, lists joined with 、, mappings as 键：值; "" for none. Never raises on odd input."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return local_datetime(value) if value.tzinfo else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return zh_date(value)
    if isinstance(value, str):
        try:
            if _ISO_DATE.fullmatch(value):
                return zh_date(date.fromisoformat(value))
            if _ISO_MOMENT.fullmatch(value):
                return local_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:  # 2026-13-45 and the like: shown as typed
            pass
        return value
    if isinstance(value, (list, tuple)):
        return "、".join(t for t in (detail_text(v) for v in value) if t)
    if isinstance(value, dict):
        return "；".join(f"{k}：{t}" for k, v in value.items() if (t := detail_text(v)))
    return str(value)


_CLAUSE_END = "。．.，,、；;：:！!？? \t\r\n\u3000"


def clause(text: Any) -> str:
    """Free text set inside a sentence of a message, without the full stop or semicolon it may end with: the
    sentence around it supplies its own punctuation (no "。。" or "。；"); "" for none."""
    return "" if text is None else str(text).strip().rstrip(_CLAUSE_END)


def is_mobile(value: str) -> bool:
    """An 11-digit mainland mobile number, nothing around it."""
    return MOBILE.fullmatch(value) is not None


def is_landline(value: str) -> bool:
    """A fixed-line number with its area code, as 0515-88888888 or 051588888888."""
    return LANDLINE.fullmatch(value) is not None


def is_phone(value: str) -> bool:
    """A mobile or a landline with its area code (the contact phone of an application or a ticket)."""
    return is_mobile(value) or is_landline(value)


def is_email(value: str) -> bool:
    """Something@domain.tld without spaces: the check a contact address gets before mail is sent to it."""
    return EMAIL.fullmatch(value) is not None


def resident_id_check_char(first17: str) -> str:
    """The check character (0–9 or X) of an 18-digit identity number from its first 17 digits (GB 11643)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def valid_resident_id(value: str) -> bool:
    """An 18-digit mainland identity number (upper-case X) whose check character is right."""
    return _RESIDENT_ID.fullmatch(value) is not None and resident_id_check_char(value[:17]) == value[17]


def valid_uscc(value: str) -> bool:
    """A unified social credit code (GB 32100-2015): 18 characters of its alphabet, the last one the check."""
    if len(value) != 18 or any(c not in _USCC_CHARS for c in value):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def local_datetime(moment: datetime | None, tz: tzinfo | None = None) -> str:
    """An aware moment as the pages and messages show it, 2026-11-20 10:00, in `tz` or else the configured local
    zone (the app's TIMEZONE, the work schedule's zone); "" for none. The template filter `local_dt`."""
    if moment is None:
        return ""
    if tz is None:
        from core.calendar.service import local_zone  # the app's configuration: only when no zone is given
        tz = local_zone()
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
