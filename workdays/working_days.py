"""Working days on China's official holiday calendar (SPEC §3, timeliness).

The State Council publishes each year's holidays and the adjusted working days (调休) in late
autumn. For the years the chinese-calendar package carries, we follow it; beyond them we fall
back to Monday to Friday, which is what a bureau would assume before the notice is out.
"""

import datetime

import chinese_calendar


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (start itself is not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
