"""Reads of the working-day calendar that screens and tasks share."""

import datetime

from django.conf import settings

from workdays.calendar import PACKAGE_YEARS
from workdays.models import CalendarStatus, CalendarYear


def calendar_missing_for(year: int) -> bool:
    """No official calendar: none approved here, and the chinese-calendar package lacks it."""
    if year in PACKAGE_YEARS:
        return False
    return not CalendarYear.objects.filter(year=year, status=CalendarStatus.APPROVED).exists()


def calendar_warning_year(*, today: datetime.date) -> int | None:
    """Next year, when the warning season has begun and next year has no approved calendar."""
    month, day = settings.CALENDAR_WARNING_MONTH, settings.CALENDAR_WARNING_DAY
    start = datetime.date(today.year, month, day)
    if today < start or not calendar_missing_for(today.year + 1):
        return None
    return today.year + 1
