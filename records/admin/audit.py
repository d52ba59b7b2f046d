from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from kernel.models import AuditEvent
from records.admin.base import NotFoundOutsideScopeMixin
from records.models import BadRecord
from records.roles import Role, has_role


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
        events = super().get_queryset(request)
        user = request.user
        if has_role(user, Role.NATIONAL_ADMIN):
            return events
        if user.bureau_id is None:
            return events.none()
        records = BadRecord.objects.in_jurisdiction(user.bureau).values("pk")
        return events.filter(
            Q(record_id__in=records) | Q(actor__bureau__path__startswith=user.bureau.path)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
