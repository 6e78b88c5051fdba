"""Working-hour and wall-clock deadlines, and urgency (no database)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from core.worktime import Urgency, WorkSchedule, add_wall_hours, add_work_hours, urgency, work_minutes_between
from tests.conftest import at


def test_within_a_morning(cal, schedule):
    assert add_work_hours(cal, at(2026, 11, 16, 9, 0), 2, schedule) == at(2026, 11, 16, 11, 0)


def test_lunch_break_is_skipped(cal, schedule):
    assert add_work_hours(cal, at(2026, 11, 16, 11, 0), 2, schedule) == at(2026, 11, 16, 14, 30)


def test_ending_exactly_at_noon_stays_at_noon(cal, schedule):
    assert add_work_hours(cal, at(2026, 11, 16, 10, 0), 2, schedule) == at(2026, 11, 16, 12, 0)


def test_evening_intake_runs_from_next_working_morning(cal, schedule):
    assert add_work_hours(cal, at(2026, 11, 16, 20, 0), 2, schedule) == at(2026, 11, 17, 10, 30)
    assert add_work_hours(cal, at(2026, 11, 16, 7, 0), 2, schedule) == at(2026, 11, 16, 10, 30)


def test_friday_afternoon_carries_over_the_weekend(cal, schedule):
    assert add_work_hours(cal, at(2026, 11, 20, 16, 30), 2, schedule) == at(2026, 11, 23, 9, 30)


def test_golden_week_and_make_up_saturday(cal, schedule):
    # 9/30 16:00 + 2h: 1.5h on 9/30, holiday 10/1–10/7, then 0.5h on 10/8.
    assert add_work_hours(cal, at(2026, 9, 30, 16, 0), 2, schedule) == at(2026, 10, 8, 9, 0)
    # Friday 10/9 17:00 + 1h: Saturday 10/10 is a working day.
    assert add_work_hours(cal, at(2026, 10, 9, 17, 0), 1, schedule) == at(2026, 10, 10, 9, 0)


def test_whole_working_days_of_hours(cal, schedule):
    # 7.5 h is one working day: 9:00 Monday → 9:00 Tuesday; 15 h → 9:00 Wednesday.
    assert add_work_hours(cal, at(2026, 11, 16, 9, 0), 7.5, schedule) == at(2026, 11, 17, 9, 0)
    assert add_work_hours(cal, at(2026, 11, 16, 9, 0), 15, schedule) == at(2026, 11, 18, 9, 0)
    # Starting at the close of day: 7.5 h ends at the next day's close.
    assert add_work_hours(cal, at(2026, 11, 16, 17, 30), 7.5, schedule) == at(2026, 11, 17, 17, 30)


def test_utc_input_is_read_in_local_time(cal, schedule):
    start = datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc)  # 09:00 Shanghai
    assert add_work_hours(cal, start, 2, schedule) == at(2026, 11, 16, 11, 0)


def test_minutes_between_inverts_adding(cal, schedule):
    start = at(2026, 9, 29, 11, 17)
    for hours in (0.25, 1, 2, 7.5, 8, 16, 40):
        end = add_work_hours(cal, start, hours, schedule)
        assert work_minutes_between(cal, start, end, schedule) == pytest.approx(hours * 60)
        assert work_minutes_between(cal, end, start, schedule) == pytest.approx(-hours * 60)


def test_wall_clock_for_urgent_work_ignores_nights_and_holidays():
    assert add_wall_hours(at(2026, 9, 30, 23, 0), 0.5) == at(2026, 9, 30, 23, 30)
    assert add_wall_hours(at(2026, 9, 30, 20, 0), 24) == at(2026, 10, 1, 20, 0)


def test_bad_input(cal, schedule):
    with pytest.raises(ValueError):
        add_work_hours(cal, at(2026, 11, 16, 9), -1, schedule)
    with pytest.raises(ValueError):
        add_work_hours(cal, datetime(2026, 11, 16, 9), 1, schedule)  # naive
    with pytest.raises(ValueError):
        add_wall_hours(at(2026, 11, 16, 9), -2)
    for bad in ("8:30-12:00,11:00-17:00", "17:00-08:00", "morning", "08:30-25:00"):
        with pytest.raises(ValueError):
            WorkSchedule.parse(bad)


def test_urgency_of_working_day_deadlines(cal, schedule):
    due = date(2026, 10, 30)
    assert urgency(due, at(2026, 10, 20, 9), cal, schedule) is Urgency.NORMAL
    assert urgency(due, at(2026, 10, 27, 9), cal, schedule) is Urgency.DUE_SOON  # 3 working days left
    assert urgency(due, at(2026, 10, 26, 9), cal, schedule) is Urgency.NORMAL  # 4 left
    assert urgency(due, at(2026, 10, 30, 23, 59), cal, schedule) is Urgency.DUE_SOON
    assert urgency(due, at(2026, 10, 31, 0, 0), cal, schedule) is Urgency.OVERDUE
    # Across Golden Week: on 9/30, 10/8 is only one working day away.
    assert urgency(date(2026, 10, 8), at(2026, 9, 30, 9), cal, schedule) is Urgency.DUE_SOON


def test_urgency_of_hour_deadlines(cal, schedule):
    due = at(2026, 11, 17, 10, 30)
    assert urgency(due, at(2026, 11, 16, 9), cal, schedule) is Urgency.NORMAL
    # At 17:00 there are 0.5 h today + 2 h tomorrow morning = 2.5 working hours left.
    assert urgency(due, at(2026, 11, 16, 17, 0), cal, schedule) is Urgency.NORMAL
    # At the close of day only tomorrow's 2 h remain, although 17 wall-clock hours do.
    assert urgency(due, at(2026, 11, 16, 17, 30), cal, schedule) is Urgency.DUE_SOON
    assert urgency(due, at(2026, 11, 17, 10, 31), cal, schedule) is Urgency.OVERDUE
    assert Urgency.OVERDUE.label == "超期" and Urgency.DUE_SOON.label == "临期"


def test_sub_work_hours_is_the_earliest_moment_with_that_much_left(cal, schedule):
    from core.worktime import sub_work_hours
    # 2 h before Tuesday 10:30 is Monday's close: from 17:30 on only 2 working hours remain.
    assert sub_work_hours(cal, at(2026, 11, 17, 10, 30), 2, schedule) == at(2026, 11, 16, 17, 30)
    assert sub_work_hours(cal, at(2026, 11, 17, 11, 0), 2, schedule) == at(2026, 11, 17, 9, 0)
    # 13:30–14:00 then 11:30–12:00; half an hour back is the close of the morning, not 13:30.
    assert sub_work_hours(cal, at(2026, 11, 17, 14, 0), 1, schedule) == at(2026, 11, 17, 11, 30)
    assert sub_work_hours(cal, at(2026, 11, 17, 14, 0), 0.5, schedule) == at(2026, 11, 17, 12, 0)
    # Across Golden Week back to 9/30.
    assert sub_work_hours(cal, at(2026, 10, 8, 9, 0), 1, schedule) == at(2026, 9, 30, 17, 0)
    import random
    rng = random.Random(7)
    for _ in range(300):
        end = at(2026, 9, 1, 8) + timedelta(minutes=rng.randrange(60 * 24 * 90))
        hours = rng.choice((0.5, 1, 2, 7.5, 9, 20))
        start = sub_work_hours(cal, end, hours, schedule)
        assert work_minutes_between(cal, start, end, schedule) == pytest.approx(hours * 60), (end, hours)
        # One minute earlier, more than `hours` remain.
        assert work_minutes_between(cal, start - timedelta(minutes=1), end, schedule) == pytest.approx(hours * 60 + 1)


def test_warn_date_matches_urgency(cal, schedule):
    due = date(2026, 10, 30)
    assert cal.warn_date(due, 3) == date(2026, 10, 27)
    assert cal.warn_date(date(2026, 10, 8), 1) == date(2026, 9, 30)
    for lead in range(0, 6):
        w = cal.warn_date(due, lead)
        assert cal.workdays_between(w, due) <= lead
        assert cal.workdays_between(w - timedelta(days=1), due) > lead or not cal.is_workday(w)


def test_fractional_minutes_never_land_in_the_lunch_break(cal, schedule):
    # 10:00 + 2 h 20 s: 2 h reach 12:00 exactly; the 20 s belong after 13:30, not at 12:00:20.
    end = add_work_hours(cal, at(2026, 11, 16, 10, 0), 2 + 20 / 3600, schedule)
    assert end == at(2026, 11, 16, 13, 30) + timedelta(seconds=20)
