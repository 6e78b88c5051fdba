"""Statutory holidays derived from the law for years the State Council has not yet published.

全国年节及纪念日放假办法 (as revised 2024, in force 2025): 元旦 1/1; 春节 lunar eve and 1/1–1/3;
清明 the solar term; 劳动节 5/1–5/2; 端午 lunar 5/5; 中秋 lunar 8/15; 国庆 10/1–10/3.
Art. 6 of the same measures: a statutory day off that falls on a Saturday or Sunday is made up (补假) on a
working day. The State Council notices give it on the next working day after the holiday block (2021 清明
4/4 Sun → 4/5; 2022 元旦 1/1 Sat → 1/3; 2023 元旦 1/1 Sun → 1/2; 2026 清明 4/5 Sun → 4/6), and a day on
which two festivals coincide is made up the same way (2020: 中秋 on 10/1, the 国庆 block ran to 10/8).
The real arrangement adds bridge days and 调休, so these dates are only a provisional answer.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

from core.worktime.workdays import HOLIDAY, OFFICIAL, PROVISIONAL, WORKDAY, DayInfo

LUNAR_MIN, LUNAR_MAX = 1901, 2099


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> date:
    for day, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)):
        if name == "清明":
            return day
    return date(year, 4, 5)


@lru_cache(maxsize=512)
def statutory_holidays(year: int) -> dict[date, DayInfo]:
    """{date: DayInfo} of the statutory days off of `year`, flagged provisional (pure, cached)."""
    days: dict[date, str] = {}

    def add(day: date, name: str) -> None:
        days[day] = f"{days[day]}、{name}" if day in days else name  # 2020: 中秋 fell on 国庆

    add(date(year, 1, 1), "元旦")
    if LUNAR_MIN <= year <= LUNAR_MAX:
        new_year = _lunar(year, 1, 1)
        add(new_year - timedelta(days=1), "春节")
        for i in range(3):
            add(new_year + timedelta(days=i), "春节")
    if 1900 <= year <= 2100:
        add(_qingming(year), "清明节")
    add(date(year, 5, 1), "劳动节")
    add(date(year, 5, 2), "劳动节")
    if LUNAR_MIN <= year <= LUNAR_MAX:
        add(_lunar(year, 5, 5), "端午节")
        add(_lunar(year, 8, 15), "中秋节")
    for d in (1, 2, 3):
        add(date(year, 10, d), "国庆节")
    days = {d: n for d, n in days.items() if d.year == year}
    days.update(make_up_days(days))
    return {d: DayInfo(HOLIDAY, name, PROVISIONAL) for d, name in days.items()}


def make_up_days(days: dict[date, str]) -> dict[date, str]:
    """{date: name} of the 补假 owed for `days` ({date: "节名" or "节名、节名"}), 全国年节及纪念日放假办法 Art. 6.

    Every statutory day off is one day owed. A day owed on a Saturday or Sunday, or a second festival on a
    date already off, is given on the first weekday after it that is not already off, taken in date order,
    so the days of a block (春节, 国庆) that fall on a weekend land on the working days right after the block.
    """
    taken = set(days)
    out: dict[date, str] = {}
    for day in sorted(days):
        names = days[day].split("、")
        owed = names[1:] if day.weekday() < 5 else names  # a weekday itself covers one festival
        for name in owed:
            free = day + timedelta(days=1)
            while free.weekday() >= 5 or free in taken:
                free += timedelta(days=1)
            taken.add(free)
            out[free] = f"{name}补假"
    return out


_ZH_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_days() -> dict[date, DayInfo]:
    """{date: DayInfo} of every official arrangement the chinese-calendar package ships, names in Chinese."""
    days = {d: DayInfo(HOLIDAY, _ZH_NAMES.get(n, n), OFFICIAL) for d, n in chinese_calendar.holidays.items()}
    days.update({d: DayInfo(WORKDAY, _ZH_NAMES.get(n, n), OFFICIAL) for d, n in chinese_calendar.workdays.items()})
    return days
