"""Which calendar a year follows, read once per year and process.

1. An approved calendar in the database (entered by the national administrator from the
   State Council's notice, or loaded from the chinese-calendar package by `load_calendar`).
2. Otherwise, for a year the chinese-calendar package carries, the package itself: the same
   official data, so a fresh database (or an emptied test database) counts correctly.
3. Otherwise a provisional calendar: the statutory holidays the `holidays` package computes
   from the lunar calendar, weekends otherwise, no adjusted working days. Deadlines counted
   on it are shown as provisional.
"""

import datetime
import threading
import time
from dataclasses import dataclass, field

import chinese_calendar
import holidays
from django.conf import settings

from workdays.models import CalendarStatus, CalendarYear, DayKind

APPROVED = "approved"
PACKAGE = "package"
PROVISIONAL = "provisional"

PACKAGE_SOURCE = "chinese-calendar package"
PACKAGE_YEARS: frozenset[int] = frozenset(day.year for day in chinese_calendar.holidays)


@dataclass(frozen=True)
class YearCalendar:
    year: int
    source: str
    days_off: frozenset[datetime.date]
    working_days: frozenset[datetime.date]
    names: dict[datetime.date, str] = field(default_factory=dict, compare=False)

    @property
    def is_provisional(self) -> bool:
        return self.source == PROVISIONAL

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def working_days_in(self, first: datetime.date, last: datetime.date) -> int:
        """Working days from `first` to `last`, both included (days of this year): Monday to
        Friday counted by arithmetic, then the listed exceptions within the range (adjusted
        working weekends added, weekdays off taken away), not day by day."""
        if last < first:
            return 0
        days = (last - first).days + 1
        weeks, rest = divmod(days, 7)
        start = first.weekday()
        count = weeks * 5 + sum(1 for offset in range(rest) if (start + offset) % 7 < 5)
        count += sum(1 for d in self.working_days if first <= d <= last and d.weekday() >= 5)
        count -= sum(
            1
            for d in self.days_off
            if first <= d <= last and d.weekday() < 5 and d not in self.working_days
        )
        return count


def package_calendar(year: int) -> YearCalendar | None:
    if year not in PACKAGE_YEARS:
        return None
    off = {d: str(n) for d, n in chinese_calendar.holidays.items() if d.year == year}
    work = {d: str(n) for d, n in chinese_calendar.workdays.items() if d.year == year}
    return YearCalendar(year, PACKAGE, frozenset(off), frozenset(work), {**off, **work})


def provisional_calendar(year: int) -> YearCalendar:
    computed = holidays.country_holidays("CN", years=year)
    off = {day: str(name) for day, name in computed.items()}
    return YearCalendar(year, PROVISIONAL, frozenset(off), frozenset(), off)


def _approved_calendar(year: int) -> YearCalendar | None:
    # One query: the LEFT JOIN yields one row per day, or one row of NULLs for an approved
    # year without days, or nothing when the year has no approved calendar.
    rows = list(
        CalendarYear.objects.filter(year=year, status=CalendarStatus.APPROVED).values_list(
            "days__date", "days__kind", "days__name"
        )
    )
    if not rows:
        return None
    off = frozenset(d for d, kind, _n in rows if d is not None and kind == DayKind.DAY_OFF)
    work = frozenset(d for d, kind, _n in rows if d is not None and kind == DayKind.WORKING_DAY)
    names = {d: n for d, _k, n in rows if d is not None and n}
    return YearCalendar(year, APPROVED, off, work, names)


_cache: dict[int, tuple[float, YearCalendar]] = {}
_lock = threading.Lock()


def year_calendar(year: int) -> YearCalendar:
    now = time.monotonic()
    cached = _cache.get(year)
    if cached is not None and now - cached[0] < settings.WORKDAYS_CALENDAR_CACHE_SECONDS:
        return cached[1]
    calendar = _approved_calendar(year) or package_calendar(year) or provisional_calendar(year)
    with _lock:
        _cache[year] = (now, calendar)
    return calendar


def calendar_cache_clear() -> None:
    """Forget what this process read. The calendar services call it after every change;
    other processes see the change within WORKDAYS_CALENDAR_CACHE_SECONDS."""
    with _lock:
        _cache.clear()
