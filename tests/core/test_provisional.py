"""Law-derived holidays checked against the State Council's real arrangements."""
from datetime import date, datetime

import chinese_calendar
import pytest

from core.calendar.provisional import statutory_holidays


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2025, 2026])
def test_every_derived_holiday_was_a_real_day_off(year):
    derived = statutory_holidays(year)
    festivals = {d: i for d, i in derived.items() if not i.name.endswith("补假")}
    # 元旦1 + 春节4 + 清明1 + 劳动2 + 端午1 + 中秋1 + 国庆3 (2025 law); in 2020 中秋 fell on 10/1.
    assert len(festivals) == (12 if year == 2020 else 13)
    for name in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert any(name in i.name for i in derived.values()), name
    missing = [d for d in derived if d not in chinese_calendar.holidays]  # 补假 included: Art. 6
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
                                              date(2150, 10, 1), date(2150, 10, 2), date(2150, 10, 3),
                                              date(2150, 5, 4), date(2150, 10, 5)}  # Art. 6: 5/2, 10/3 Sat


def make_ups(year):
    return {d: i.name for d, i in statutory_holidays(year).items() if i.name.endswith("补假")}


def test_make_up_days_match_the_state_council_notices():
    """全国年节及纪念日放假办法 Art. 6: a statutory day on a Saturday or Sunday is made up on the next working
    day, as the notices did: 2022 元旦 (Sat) → 1/3, 2023 元旦 (Sun) → 1/2, 2026 清明 4/5 (Sun) → 4/6."""
    assert make_ups(2022)[date(2022, 1, 3)] == "元旦补假"
    assert make_ups(2023)[date(2023, 1, 2)] == "元旦补假"
    assert make_ups(2026)[date(2026, 4, 6)] == "清明节补假"
    for d in (date(2022, 1, 3), date(2023, 1, 2), date(2026, 4, 6)):
        assert d in chinese_calendar.holidays
    assert make_ups(2019) == {}  # no statutory day on a weekend in 2019 (2025 law's dates)


def test_make_up_days_of_future_years():
    """Art. 6 in provisional years: 2028 元旦 1/1 is a Saturday → Monday 1/3; 2027 春节 (eve 2/5 Fri,
    初一 2/6 Sat, 初二 2/7 Sun, 初三 2/8 Mon): the two weekend days follow the block on 2/9 and 2/10;
    2027 国庆 10/2 Sat and 10/3 Sun → 10/4 and 10/5; 2031 清明 4/6 Sun → 4/7."""
    assert date(2028, 1, 1).weekday() == 5
    assert make_ups(2028)[date(2028, 1, 3)] == "元旦补假"
    m = make_ups(2027)
    assert m[date(2027, 2, 9)] == m[date(2027, 2, 10)] == "春节补假"
    assert m[date(2027, 10, 4)] == m[date(2027, 10, 5)] == "国庆节补假"
    assert m[date(2027, 5, 3)] == m[date(2027, 5, 4)] == "劳动节补假"  # 5/1 Sat, 5/2 Sun
    assert make_ups(2031)[date(2031, 4, 7)] == "清明节补假"
    assert all(i.source == "provisional" for i in statutory_holidays(2027).values())


def test_coinciding_festivals_owe_a_day():
    """Art. 6 read with the 2020 notice: 中秋 fell on 国庆 10/1 (Thu) and the block ran to 10/8; the second
    festival of the day, and 国庆 10/3 (Sat), are made up on the following working days 10/5 and 10/6."""
    m = make_ups(2020)
    assert date(2020, 10, 5) in m and date(2020, 10, 6) in m
    assert all(d in chinese_calendar.holidays for d in m)


def test_a_weekend_holiday_never_lands_its_make_up_on_another_holiday_or_a_weekend():
    """Art. 6: the make-up day is a working day; 2033: 元旦 1/1 Sat → 1/3 Mon; 春节 2033 eve 1/30 Sun → 2/3."""
    for year in range(2027, 2100):
        days = statutory_holidays(year)
        for d, info in days.items():
            if info.name.endswith("补假"):
                assert d.weekday() < 5 and "补假" not in info.name[:-2]
    assert make_ups(2033)[date(2033, 1, 3)] == "元旦补假"
    assert make_ups(2033)[date(2033, 2, 3)] == "春节补假"


def test_a_due_date_across_a_provisional_make_up_day_moves_and_blocks_automatic_closure():
    """Art. 30 period of 10 working days from a correction notice of 2027-01-29 (Fri): provisional 2027
    has 春节 2/5–2/8 and 补假 2/9, 2/10 (放假办法 Art. 6), so the period ends 2/18, not 2/16; the due date is
    provisional and its lapse may not close the application by itself (issue 15 item 8)."""
    from zoneinfo import ZoneInfo

    from core.clocks.compute import compute_deadlines, may_close_on_lapse
    from core.worktime import WorkCalendar, WorkSchedule

    schedule = WorkSchedule.parse("08:30-12:00,13:30-17:30", "Asia/Shanghai")
    start = datetime(2027, 1, 29, 9, tzinfo=ZoneInfo("Asia/Shanghai"))

    def deadline(cal):
        return compute_deadlines(unit="workdays", length=10, started_at=start, start_on=start.date(), pauses=[],
                                 extension=0, cal=cal, schedule=schedule)

    provisional = deadline(WorkCalendar({}, set(), statutory_holidays))
    assert provisional.due_on == date(2027, 2, 18) and provisional.provisional
    assert not may_close_on_lapse(provisional)
    without_make_up = WorkCalendar({}, set(), lambda y: {d: i for d, i in statutory_holidays(y).items()
                                                          if not i.name.endswith("补假")})
    assert deadline(without_make_up).due_on == date(2027, 2, 16)
    official = deadline(WorkCalendar({}, {2027}, statutory_holidays))  # an (empty) official 2027
    assert not official.provisional and may_close_on_lapse(official)
