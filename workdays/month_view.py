"""The twelve month grids of a year's calendar, as data for the admin's month view."""

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workdays.models import DayKind

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


@dataclass(frozen=True)
class Cell:
    day: datetime.date | None
    kind: str  # "off", "work" (adjusted working day), "weekend", "weekday", "" (no day)
    name: str = ""


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[Cell]]


def month_grids(year: int, days: dict[datetime.date, tuple[str, str]]) -> list[Month]:
    """`days` maps a date to (kind, name) for the days the calendar lists."""
    grid = stdlib_calendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(Cell(None, ""))
                elif day in days:
                    kind, name = days[day]
                    row.append(Cell(day, "off" if kind == DayKind.DAY_OFF else "work", name))
                else:
                    row.append(Cell(day, "weekend" if day.weekday() >= 5 else "weekday"))
            weeks.append(row)
        months.append(Month(year, month, weeks))
    return months
