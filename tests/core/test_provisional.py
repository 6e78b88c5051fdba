"""Law-derived holidays checked against the State Council's real arrangements."""
from datetime import date

import chinese_calendar
import pytest

from core.calendar.provisional import statutory_holidays


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2025, 2026])
def test_every_derived_holiday_was_a_real_day_off(year):
    derived = statutory_holidays(year)
    # 元旦1 + 春节4 + 清明1 + 劳动2 + 端午1 + 中秋1 + 国庆3 (2025 law); in 2020 中秋 fell on 10/1.
    assert len(derived) == (12 if year == 2020 else 13)
    for name in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert any(name in i.name for i in derived.values()), name
    missing = [d for d in derived if d not in chinese_calendar.holidays]
    assert missing == []


def test_2026_lunar_and_solar_dates():
    names = {d: i.name for d, i in statutory_holidays(2026).items()}
    assert names[date(2026, 2, 16)] == "春节"  # lunar new year's eve
    assert names[date(2026, 2, 17)] == "春节"  # lunar 1/1
    assert names[date(2026, 4, 5)] == "清明节"
    assert names[date(2026, 6, 19)] == "端午节"
    assert names[date(2026, 9, 25)] == "中秋节"
    assert all(i.source == "provisional" for i in statutory_holidays(2026).values())


def test_years_beyond_the_lunar_tables_still_answer():
    assert set(statutory_holidays(2150)) == {date(2150, 1, 1), date(2150, 5, 1), date(2150, 5, 2),
                                              date(2150, 10, 1), date(2150, 10, 2), date(2150, 10, 3)}
