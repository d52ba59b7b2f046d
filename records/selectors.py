"""Reads for staff pages. Visibility comes from the QuerySet methods; nothing here repeats
a filter of its own."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kernel.models import AuditEvent
from records.models import BadRecord, Bureau, User
from records.roles import Role, has_role
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


def audit_events_visible_to(events: QuerySet[AuditEvent], user: User) -> QuerySet[AuditEvent]:
    """The audit events an account may read: the national administrator all; other staff
    those of records in their jurisdiction and those their own bureau's accounts (or the
    bureaus' below) caused. The kernel's AuditEvent knows nothing of bureaus, so the rule
    lives here."""
    if has_role(user, Role.NATIONAL_ADMIN):
        return events
    bureau = getattr(user, "bureau", None)
    if not getattr(user, "is_active", False) or bureau is None:
        return events.none()
    # EXISTS, not IN: the list reads the newest events first and stops at a page, checking
    # each event's record by its key; IN would first collect every record of a province.
    in_jurisdiction = BadRecord.objects.in_jurisdiction(bureau).filter(pk=OuterRef("record_id"))
    return events.filter(
        Q(Exists(in_jurisdiction)) | Q(actor__bureau__in=Bureau.objects.within(bureau))
    )
