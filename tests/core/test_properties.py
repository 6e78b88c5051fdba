"""Property-based tests (Hypothesis) of the pure clock and masking functions: what must hold for every
date, every amount of time and every way a number can hide in a sentence."""
import random
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.worktime import WorkSchedule, add_work_hours, work_minutes_between
from core.worktime.hours import sub_work_hours
from public_log.masking import mask
from tests.conftest import official_calendar

CAL = official_calendar()  # the official 2004–2026 calendar, holidays and make-up working days
SCHEDULE = WorkSchedule.parse("08:30-12:00,13:30-17:30", "Asia/Shanghai")
PROPS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

days = st.dates(min_value=date(2010, 1, 1), max_value=date(2025, 12, 31))
moments = st.builds(lambda d, m: datetime.combine(d, time(0), tzinfo=SCHEDULE.tz) + timedelta(minutes=m),
                    days, st.integers(0, 24 * 60 - 1))
work_hours = st.integers(0, 40 * 60).map(lambda minutes: minutes / 60)  # whole minutes, up to 40 hours


@PROPS
@given(days, st.integers(1, 60))
def test_adding_working_days_lands_on_a_working_day_exactly_n_ahead(day, n):
    due = CAL.add_workdays(day, n)
    assert CAL.is_workday(due) and due > day
    assert CAL.workdays_between(day, due) == n


@PROPS
@given(moments, work_hours)
def test_working_hours_added_are_the_working_minutes_between(start, hours):
    end = add_work_hours(CAL, start, hours, SCHEDULE)
    assert end >= start
    assert abs(work_minutes_between(CAL, start, end, SCHEDULE) - hours * 60) < 0.02


@PROPS
@given(moments, work_hours, work_hours)
def test_more_hours_never_end_earlier(start, a, b):
    a, b = sorted((a, b))
    assert add_work_hours(CAL, start, a, SCHEDULE) <= add_work_hours(CAL, start, b, SCHEDULE)


@PROPS
@given(moments, work_hours)
def test_warning_point_leaves_at_most_the_lead(end, hours):
    warn = sub_work_hours(CAL, end, hours, SCHEDULE)
    assert warn <= end
    assert work_minutes_between(CAL, warn, end, SCHEDULE) <= hours * 60 + 0.02


# Masking: numbers hidden in Chinese sentences, written as people write them.
FILLER = st.text(alphabet="市民反映小区门口道路积水请尽快处理谢谢来电人称其住在附近联系", min_size=0, max_size=12)


def _mobile(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _styled(number, style):
    if style == "spaces":
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == "dashes":
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == "fullwidth":
        return number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return number


def _resident_id(rng):
    body = rng.choice(["110105", "320902", "440305"]) + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}" \
        f"{rng.randint(1, 28):02d}" + f"{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


@PROPS
@given(FILLER, FILLER, st.integers(0, 10**9), st.sampled_from(["plain", "spaces", "dashes", "fullwidth"]))
def test_a_mobile_number_never_survives(before, after, seed, style):
    number = _mobile(random.Random(seed))
    masked, found = mask(f"{before}电话{_styled(number, style)}{after}")
    digits = "".join(c for c in masked.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if c.isdigit())
    assert number not in digits and number[3:7] not in digits
    assert found and found[0].kind


@PROPS
@given(FILLER, FILLER, st.integers(0, 10**9))
def test_a_valid_identity_number_never_survives(before, after, seed):
    number = _resident_id(random.Random(seed))
    masked, _ = mask(f"{before}身份证号{number}{after}")
    assert number not in masked and number[6:14] not in masked


@PROPS
@given(st.text(alphabet="市民反映小区门口道路积水请尽快处理谢谢关于年月日第号文件，。、", max_size=60))
def test_plain_chinese_text_is_left_alone(text):
    assert mask(text) == (text, [])


@PROPS
@given(FILLER, FILLER, st.integers(0, 10**9), st.sampled_from(["plain", "spaces", "dashes", "fullwidth"]))
def test_masking_twice_changes_nothing_more(before, after, seed, style):
    once, _ = mask(f"{before}{_styled(_mobile(random.Random(seed)), style)}{after}")
    assert mask(once) == (once, [])
