"""Working-day arithmetic against 2026's real holidays and make-up days (no database)."""
import random
from datetime import date, timedelta

import pytest

from bench.workdays_reference import naive_add_workdays
from core.calendar.provisional import statutory_holidays
from core.worktime import MAX_WORKDAYS, WorkCalendar, merge_intervals
from core.worktime.workdays import DayInfo


def test_make_up_weekends_of_2026_are_working_days(cal):
    for d in (date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
              date(2026, 9, 20), date(2026, 10, 10)):
        assert d.weekday() >= 5 and cal.is_workday(d), d
    for d in (date(2026, 10, 1), date(2026, 10, 7), date(2026, 2, 16), date(2026, 2, 23)):
        assert not cal.is_workday(d), d


def test_golden_week_2026_twenty_workdays_lands_on_october_30(cal):
    # 9/29, 9/30, then 10/1–10/7 off, 10/8, 10/9, Saturday 10/10 worked ... 10/30 is the 20th.
    assert cal.add_workdays(date(2026, 9, 28), 20) == date(2026, 10, 30)
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)
    # Sunday 9/20 is a working day: a request received on Saturday 9/19 has 9/20 as day 1.
    assert cal.add_workdays(date(2026, 9, 19), 1) == date(2026, 9, 20)


def test_spring_festival_2026_with_make_up_saturdays(cal):
    # Friday 2/13 received: Saturday 2/14 is worked, then 2/15–2/23 off.
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # 2/24..2/27 are days 2..5 after 2/14; Saturday 2/28 is day 6.
    assert cal.add_workdays(date(2026, 2, 14), 5) == date(2026, 2, 28)


def test_start_day_is_never_counted(cal):
    assert cal.add_workdays(date(2026, 11, 16), 1) == date(2026, 11, 17)
    assert cal.add_workdays(date(2026, 11, 16), 0) == date(2026, 11, 16)
    # Received on a Sunday: day 1 is Monday.
    assert cal.add_workdays(date(2026, 11, 15), 1) == date(2026, 11, 16)


def test_matches_day_by_day_loop_on_many_random_sums(cal):
    rng = random.Random(20261128)
    for _ in range(2000):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(365 * 3 + 200))
        n = rng.randrange(0, 60)
        assert cal.add_workdays(start, n) == naive_add_workdays(cal, start, n), (start, n)


def test_workdays_between_counts_after_start_up_to_end(cal):
    assert cal.workdays_between(date(2026, 9, 28), date(2026, 10, 30)) == 20
    assert cal.workdays_between(date(2026, 10, 30), date(2026, 9, 28)) == -20
    assert cal.workdays_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert cal.workdays_between(date(2026, 10, 5), date(2026, 10, 5)) == 0


def test_into_an_unpublished_year_is_provisional_and_does_not_crash(cal):
    assert 2027 not in cal.official_years
    due = cal.add_workdays(date(2026, 12, 28), 20)
    # 12/29–12/31 (3), 1/1 off (元旦), Jan 2027 weekdays from 1/4 ... law-derived holidays only.
    assert due == naive_add_workdays(cal, date(2026, 12, 28), 20) == date(2027, 1, 26)
    assert cal.span_is_provisional(date(2026, 12, 28), due)
    assert not cal.span_is_provisional(date(2026, 9, 28), date(2026, 10, 30))
    assert not cal.is_workday(date(2027, 2, 6))  # lunar new year 2027 (provisional)
    # Far years (beyond the lunar tables): fixed-date holidays only, still no crash.
    # Monday 2150-09-28: 9/29, 9/30, then 10/1–10/2 off (Thu, Fri), 10/3 (Sat) made up on Monday 10/5
    # (放假办法 Art. 6), then 10/6, 10/7, 10/8.
    assert cal.add_workdays(date(2150, 9, 28), 5) == date(2150, 10, 8)
    assert cal.add_workdays(date(2026, 1, 5), MAX_WORKDAYS) > date(2060, 1, 1)


def test_bad_counts_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_workdays(date(2026, 1, 5), -1)
    with pytest.raises(ValueError):
        cal.add_workdays(date(2026, 1, 5), MAX_WORKDAYS + 1)
    with pytest.raises(TypeError):
        cal.add_workdays(date(2026, 1, 5), 2.5)
    with pytest.raises(TypeError):
        cal.add_workdays(date(2026, 1, 5), True)
    with pytest.raises(ValueError):
        cal.add_workdays(date(9998, 12, 1), 200)


def test_overlapping_pauses_count_each_day_once(cal):
    received = date(2026, 11, 2)  # Monday
    base = cal.add_workdays(received, 20)
    assert base == date(2026, 11, 30)
    # Consultation A: sent 11/4, answered 11/10 → working days 11/5,6,9,10 = 4.
    # Consultation B: sent 11/6, answered 11/12 → 11/9..11/12, overlapping A on 11/9, 11/10.
    pauses = [(date(2026, 11, 4), date(2026, 11, 10)), (date(2026, 11, 6), date(2026, 11, 12))]
    assert cal.paused_workdays(pauses) == 6  # 11/5, 6, 9, 10, 11, 12
    assert cal.due_date(received, 20, pauses) == cal.add_workdays(base, 6) == date(2026, 12, 8)
    # A pause inside another adds nothing; an empty pause nothing.
    assert cal.paused_workdays(pauses + [(date(2026, 11, 9), date(2026, 11, 10)),
                                         (date(2026, 11, 20), date(2026, 11, 20))]) == 6


def test_pause_over_golden_week_counts_only_working_days(cal):
    assert cal.paused_workdays([(date(2026, 9, 29), date(2026, 10, 9))]) == 3  # 9/30, 10/8, 10/9


def test_extension_adds_working_days_after_the_due_date(cal):
    received = date(2026, 9, 28)
    assert cal.due_date(received, 20, extension=20) == cal.add_workdays(date(2026, 10, 30), 20)


def test_merge_intervals():
    d = date(2026, 1, 1)
    r = merge_intervals([(d, d + timedelta(5)), (d + timedelta(3), d + timedelta(8)), (d + timedelta(10), d + timedelta(12))])
    assert r == [(d, d + timedelta(8)), (d + timedelta(10), d + timedelta(12))]


def test_official_data_replaces_provisional_for_its_year():
    prov = WorkCalendar({}, set(), statutory_holidays)
    # Provisional 2027: 2/5–2/8 off for Spring Festival, 2/9–2/10 made up for 2/6–2/7 (Art. 6); 2/11 works.
    assert not prov.is_workday(date(2027, 2, 9)) and not prov.is_workday(date(2027, 2, 10))
    assert prov.is_workday(date(2027, 2, 11))
    official = {date(2027, 2, 5) + timedelta(i): DayInfo("holiday", "春节", "official") for i in range(9)}
    official[date(2027, 2, 20)] = DayInfo("workday", "春节", "official")
    cal = WorkCalendar(official, {2027}, statutory_holidays)
    assert not cal.is_workday(date(2027, 2, 11))
    assert cal.is_workday(date(2027, 2, 20))
    # Official years use only their own rows: the provisional 中秋 is gone unless listed.
    assert cal.is_workday(date(2027, 9, 15))
