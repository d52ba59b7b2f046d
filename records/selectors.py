"""Reads for staff pages. Visibility comes from the QuerySet methods; nothing here repeats
a filter of its own."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kernel.models import AuditEvent
from records.models import BadRecord, User
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
    lives here; it reads the scopes written with each event (`records.audit_scopes`): the
    record's filing bureau and the actor's bureau as they were when the event was written."""
    if has_role(user, Role.NATIONAL_ADMIN):
        return events
    bureau = getattr(user, "bureau", None)
    if not getattr(user, "is_active", False) or bureau is None:
        return events.none()
    # Two prefix ranges, each indexed (kernel AuditEvent.Meta.indexes): no join, so a page
    # newest-first is found without reading every event of a province.
    return events.filter(
        Q(record_scope__startswith=bureau.path) | Q(actor_scope__startswith=bureau.path)
    )
