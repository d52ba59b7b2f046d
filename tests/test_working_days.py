import datetime
import random

import pytest

from kernel.periods import add_years, last_public_day
from workdays.working_days import add_working_days, is_working_day, working_days_between

# The calendar is data now: every count may read the database.
pytestmark = pytest.mark.django_db

D = datetime.date


def test_deadline_across_the_2026_spring_festival_counts_the_adjusted_saturday():
    # Obtained Thu 12 Feb: Fri 13, Sat 14 (调休 working day), then the holiday to 23 Feb.
    assert is_working_day(D(2026, 2, 14))
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)


def test_deadline_across_the_2026_national_day_counts_saturday_10_october():
    assert not is_working_day(D(2026, 10, 5))
    assert is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_years_without_a_published_calendar_count_statutory_holidays_and_weekends():
    assert add_working_days(D(2031, 1, 3), 5) == D(2031, 1, 10)
    assert not is_working_day(D(2031, 1, 4))


def test_working_days_between_counts_forwards_and_backwards():
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 26)) == 5
    assert working_days_between(D(2026, 2, 26), D(2026, 2, 12)) == -5


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (D(2024, 2, 29), 2, D(2026, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2026, 11, 26), 2, D(2028, 11, 26)),
    ],
)
def test_adding_years_takes_29_february_to_28_february(start, years, end):
    assert add_years(start, years) == end


def test_the_last_public_day_is_the_day_before_the_period_ends():
    assert last_public_day(D(2024, 2, 29), 2) == D(2026, 2, 27)
    assert last_public_day(D(2026, 1, 1), 2) == D(2027, 12, 31)


def test_new_years_day_2027_is_not_the_working_day_after_31_december_2026():
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 4)) == 1


def test_the_2027_spring_festival_is_not_counted_as_working_days_before_the_notice():
    # Formerly Monday 8 February, in the middle of the festival.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 11)


def _counted_day_by_day(start: datetime.date, end: datetime.date) -> int:
    sign, (first, last) = (1, (start, end)) if start <= end else (-1, (end, start))
    days = (last - first).days
    return sign * sum(
        is_working_day(first + datetime.timedelta(days=n)) for n in range(1, days + 1)
    )


def test_working_days_between_counts_as_day_by_day_across_years_and_calendars():
    """Counted a year at a time by arithmetic (a record two years overdue is shown on every
    staff list): the same as counting each day, across package years (adjusted weekends,
    holidays on weekdays and weekends), a year boundary, and provisional years."""
    rng = random.Random(20261203)
    spans = [(D(2025, 12, 28), D(2026, 1, 5)), (D(2026, 2, 13), D(2026, 2, 15))]
    for _ in range(300):
        start = D(2023, 6, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 8))
        spans.append((start, start + datetime.timedelta(days=rng.randrange(-800, 800))))
    for start, end in spans:
        assert working_days_between(start, end) == _counted_day_by_day(start, end), (start, end)
