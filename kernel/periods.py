"""Publication-period arithmetic (SPEC §3).

Dates are calendar dates in China Standard Time. A record published on date S for P years is
public on every day from S up to, but not including, S + P years; 29 February + P years falls
on 28 February when the target year has no 29 February. The last public day is the day before.
"""

import datetime


def add_years(start: datetime.date, years: int) -> datetime.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        return start.replace(year=start.year + years, day=28)


def last_public_day(public_from: datetime.date, period_years: int) -> datetime.date:
    return add_years(public_from, period_years) - datetime.timedelta(days=1)
