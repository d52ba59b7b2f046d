"""Reads for staff pages. Visibility comes from the QuerySet methods; nothing here repeats
a filter of its own."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kernel.models import AuditEvent
from records.models import BadRecord, User
from records.models.bureaus import BureauLevel
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


_AUDIT_LIST_ORDER = {("-at", "-id"), ("-at", "-pk")}
# Regions whose events are few enough to be sorted (a few percent of the country's each).
_SMALL_REGIONS = {BureauLevel.CITY, BureauLevel.COUNTY}


def audit_event_page_keys(
    events: QuerySet[AuditEvent], bottom: int, top: int, *, user: User
) -> list[int]:
    """The ids of rows `bottom` to `top` of an account's audit list (`events`: the list as
    audit_events_visible_to gave it, filtered and in its order, newest first). For a region,
    its events are those its record scope holds and those only its actor scope holds: two
    disjoint parts, each read from its scope's index alone (kernel AuditEvent.Meta.indexes)
    and merged in the list's order. Walking the whole list's order instead would test both
    scopes of every event newer than the page: 100,000 for a city's page 50."""
    ordered = tuple(str(field) for field in events.query.order_by) in _AUDIT_LIST_ORDER
    merged = _audit_region_parts(events, user)
    bureau = getattr(user, "bureau", None)
    small = bureau is not None and bureau.level in _SMALL_REGIONS
    if merged is None or not ordered or not small:
        # A province holds a tenth of the country or more: walking the list's order finds
        # its page sooner than sorting all of its events.
        return list(events.values_list("pk", flat=True)[bottom:top])
    return [pk for pk, _at in merged.order_by("-at", "-id")[bottom:top]]


def audit_events_counted(events: QuerySet[AuditEvent], limit: int, *, user: User) -> int:
    """An account's audit list (as for audit_event_page_keys) counted up to `limit`, from
    the same two parts: a city's 2,501 events without testing 100,000 others."""
    merged = _audit_region_parts(events, user)
    if merged is None:
        return events.order_by()[:limit].count()
    return merged[:limit].count()


def _audit_region_parts(events: QuerySet[AuditEvent], user: User) -> QuerySet | None:
    """(id, at) of the events that the region's record scope holds, and of those that only
    its actor scope holds: disjoint, and together all of `events`. None for an account
    whose list has no region (the national administrator's)."""
    bureau = getattr(user, "bureau", None)
    if has_role(user, Role.NATIONAL_ADMIN) or bureau is None:
        return None
    region = bureau.path
    held = events.order_by().filter(record_scope__startswith=region)
    caused = (
        events.order_by()
        .filter(actor_scope__startswith=region)
        .exclude(record_scope__startswith=region)
    )
    return held.values_list("id", "at").union(caused.values_list("id", "at"), all=True)
