"""Parsing calendar files (CSV `date,kind,name` and iCalendar) into validated rows, all or nothing."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.inputs import check_year
from core.inputs import parse_date as parse_iso_date

KIND_WORDS = {
    "holiday": "holiday", "休": "holiday", "假": "holiday", "放假": "holiday", "休息": "holiday",
    "workday": "workday", "班": "workday", "上班": "workday", "调休上班": "workday", "补班": "workday",
}


class CalendarFileError(ValueError):
    """A calendar file with bad rows; `errors` names each row and nothing is imported."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ParsedDay:
    day: date
    kind: str
    name: str
    line: int


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise CalendarFileError(["文件编码无法识别，请使用 UTF-8 或 GB18030 编码"])


def _check(rows: list[ParsedDay], errors: list[str]) -> list[ParsedDay]:
    seen: dict[date, int] = {}
    for r in rows:
        if r.day in seen:
            errors.append(f"第 {r.line} 行：日期 {r.day} 与第 {seen[r.day]} 行重复")
        seen[r.day] = r.line
    if not rows and not errors:
        errors.append("文件中没有任何日期")
    if errors:
        raise CalendarFileError(errors)
    return rows


def parse_csv(data: bytes | str) -> list[ParsedDay]:
    """Rows of `date,kind,name` (header optional); kind is holiday/workday or 休/班."""
    text = _decode(data)
    rows, errors = [], []
    for line_no, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not fields or all(not f.strip() for f in fields):
            continue
        if line_no == 1 and fields[0].strip().lower() in ("date", "日期"):
            continue
        if len(fields) < 2 or len(fields) > 3:
            errors.append(f"第 {line_no} 行：应为 “日期,类型,名称” 三列，收到 {len(fields)} 列")
            continue
        try:
            day = parse_iso_date(fields[0])
        except ValueError as exc:
            errors.append(f"第 {line_no} 行：{exc}")
            continue
        kind = KIND_WORDS.get(fields[1].strip().lower())
        if kind is None:
            errors.append(f"第 {line_no} 行：类型应为 holiday/workday（或 休/班），收到 “{fields[1].strip()}”")
            continue
        name = fields[2].strip() if len(fields) == 3 else ""
        if len(name) > 60:
            errors.append(f"第 {line_no} 行：名称过长（最多 60 字）")
            continue
        rows.append(ParsedDay(day, kind, name, line_no))
    return _check(rows, errors)


def _unfold(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for raw in text.splitlines():
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        else:
            lines.append((len(lines) + 1, raw))
    return lines


def _ics_date(value: str) -> date:
    value = value.strip()
    if not re.fullmatch(r"\d{8}(T\d{6}Z?)?", value):
        raise ValueError(f"无法识别的日期 “{value}”")
    check_year(int(value[:4]), value)
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValueError(f"不存在的日期 “{value}”") from None


def _ics_kind(summary: str, categories: str) -> str:
    text = f"{summary} {categories}".lower()
    if "workday" in text or re.search(r"(调休上班|补班|上班|（班）|\(班\)|\s班$)", summary.strip()):
        return "workday"
    return "holiday"


def parse_ics(data: bytes | str) -> list[ParsedDay]:
    """VEVENTs with all-day DTSTART/DTEND; SUMMARY containing 班/上班 (or CATEGORIES:WORKDAY) is a make-up day."""
    text = _decode(data)
    lines = _unfold(text)
    if not any(line.strip().upper() == "BEGIN:VCALENDAR" for _, line in lines):
        raise CalendarFileError(["不是 iCalendar 文件（缺少 BEGIN:VCALENDAR）"])
    rows: list[ParsedDay]
    errors: list[str]
    event: dict[str, str] | None
    rows, errors, event, start_line = [], [], None, 0
    for line_no, line in lines:
        key, _, value = line.partition(":")
        name = key.split(";")[0].strip().upper()
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            event, start_line = {}, line_no
        elif name == "END" and value.strip().upper() == "VEVENT" and event is not None:
            try:
                if "DTSTART" not in event:
                    raise ValueError("缺少 DTSTART")
                first = _ics_date(event["DTSTART"])
                end = _ics_date(event["DTEND"]) if "DTEND" in event else first + timedelta(days=1)
                if end <= first:
                    raise ValueError("DTEND 不晚于 DTSTART")
                if (end - first).days > 31:
                    raise ValueError("单个事件超过 31 天")
                summary = event.get("SUMMARY", "").replace("\\,", ",").strip()
                kind = _ics_kind(summary, event.get("CATEGORIES", ""))
                label = re.sub(r"\s*[（(]?(休|班|上班|调休上班|补班)[)）]?$", "", summary)[:60]
                d = first
                while d < end:
                    rows.append(ParsedDay(d, kind, label, start_line))
                    d += timedelta(days=1)
            except ValueError as exc:
                errors.append(f"第 {start_line} 行的事件：{exc}")
            event = None
        elif event is not None and name in ("DTSTART", "DTEND", "SUMMARY", "CATEGORIES"):
            event[name] = value
    return _check(rows, errors)


def parse_calendar_file(filename: str, data: bytes | str) -> list[ParsedDay]:
    """Parse by extension: .csv or .ics."""
    lower = (filename or "").lower()
    if lower.endswith(".csv"):
        return parse_csv(data)
    if lower.endswith(".ics") or lower.endswith(".ical"):
        return parse_ics(data)
    raise CalendarFileError(["只支持 .csv 或 .ics 文件"])
