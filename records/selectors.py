"""Reads for staff pages. Visibility comes from the QuerySet methods; nothing here repeats
a filter of its own."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from records.models import BadRecord, User
from records.timeliness import warning_horizon


@dataclass(frozen=True)
class DeadlineSummary:
    overdue: int
    due_soon: int


def deadline_summary(*, user: User, today: datetime.date | None = None) -> DeadlineSummary:
    """Unpublished records in the account's jurisdiction past, or near, their deadline."""
    today = today or timezone.localdate()
    counts = (
        BadRecord.objects.visible_to(user)
        .pending_due(by=warning_horizon(today))
        .aggregate(
            due_soon=Count("id"),
            overdue=Count("id", filter=Q(publish_deadline__lt=today)),
        )
    )
    return DeadlineSummary(overdue=counts["overdue"], due_soon=counts["due_soon"])
