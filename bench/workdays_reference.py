"""The reference for working-day arithmetic: walk day by day. The clock benchmark races add_workdays against it
(bench/bench_clock.py) and the tests check add_workdays against it (tests/core/test_clock_workdays.py)."""
from datetime import timedelta


def naive_add_workdays(cal, start, n):
    """The `n`th working day of `cal` after `start`, found by walking day by day."""
    d = start
    while n:
        d += timedelta(days=1)
        if cal.is_workday(d):
            n -= 1
    return d
