"""Working days on China's official holiday calendar (SPEC §3, timeliness).

The State Council publishes each year's holidays and the adjusted working days (调休) in late
autumn; the national administrator enters them (workdays/services.py). A year without an
approved calendar counts on a provisional one (workdays/calendar.py), and a deadline counted
across such a year is marked provisional on staff screens.
"""

import datetime

from workdays.calendar import year_calendar


def is_working_day(day: datetime.date) -> bool:
    return year_calendar(day.year).is_working_day(day)


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
    """Working days in (start, end]; negative when end is before start. Counted a year at a
    time (a record overdue for two years is counted in three steps, not 700)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    first = start + datetime.timedelta(days=1)
    for year in range(first.year, end.year + 1):
        count += year_calendar(year).working_days_in(
            max(first, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
        )
    return count


def deadline_is_provisional(start: datetime.date, end: datetime.date) -> bool:
    """Whether counting from `start` to `end` crossed a year with no official calendar."""
    first, last = sorted((start, end))
    return any(year_calendar(y).is_provisional for y in range(first.year, last.year + 1))
