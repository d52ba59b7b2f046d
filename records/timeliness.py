"""Publication deadlines as staff see them (SPEC §3): how many working days are left."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from records.models import BadRecord
from records.models.bad_records import PENDING_STATUSES
from workdays.working_days import add_working_days, working_days_between


@dataclass(frozen=True)
class DeadlineState:
    state: str  # "overdue", "due_soon", "on_time", "closed"
    working_days_left: int


def warning_horizon(today: datetime.date | None = None) -> datetime.date:
    """Pending records with a deadline on or before this day are listed as due soon."""
    return add_working_days(today or timezone.localdate(), settings.DEADLINE_WARNING_WORKING_DAYS)


def deadline_state(record: BadRecord, today: datetime.date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    if record.status not in PENDING_STATUSES:
        return DeadlineState("closed", 0)
    left = working_days_between(today, record.publish_deadline)
    if record.publish_deadline < today:
        return DeadlineState("overdue", left)
    if record.publish_deadline <= warning_horizon(today):
        return DeadlineState("due_soon", left)
    return DeadlineState("on_time", left)
