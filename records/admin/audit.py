from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kernel.models import AuditEvent
from records.admin.base import NotFoundOutsideScopeMixin
from records.permissions import staff_user
from records.selectors import audit_events_visible_to


@admin.register(AuditEvent)
class AuditEventAdmin(NotFoundOutsideScopeMixin, admin.ModelAdmin):
    """The audit trail, read-only. Staff see the events of records in their jurisdiction and
    the events their own bureau's accounts caused; the national administrator sees all."""

    list_display = ["at", "action", "object_type", "object_id", "actor", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return audit_events_visible_to(super().get_queryset(request), staff_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
