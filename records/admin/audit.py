import functools
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kernel.admin_lists import CappedCountMixin
from kernel.audit import action_codes, action_label
from kernel.models import AuditEvent
from records.admin.base import NotFoundOutsideScopeMixin
from records.permissions import staff_user
from records.selectors import (
    audit_event_page_keys,
    audit_events_counted,
    audit_events_visible_to,
)
from records.staff_search import staff_search_audit_events


def _object_kind(object_type: str) -> str:
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return str(model._meta.verbose_name)
    return object_type


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # The actions the portal writes, not those found in the account's events: finding
        # them would read every event of a province on every page.
        return sorted(((code, action_label(code)) for code in action_codes()), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(CappedCountMixin, NotFoundOutsideScopeMixin, admin.ModelAdmin):
    """The audit trail, read-only. Staff see the events of records in their jurisdiction and
    the events their own bureau's accounts caused; the national administrator sees all.
    Times are shown in China Standard Time, actions and objects by name in the staff's
    language (the codes stay searchable)."""

    list_display = ["at_display", "action_display", "object_display", "actor", "reason"]
    list_filter = [ActionFilter, ("at", admin.DateFieldListFilter)]
    list_count_cap = 1
    # The page's ids are found in the list's covering index (kernel AuditEvent.Meta.indexes:
    # the order, the scopes and the action), so a deep page of a city or a province skips
    # its events in that index only.
    list_page_keys_first = True
    list_max_show_all = 0  # a count of "50+" says nothing of how many "all" would be
    search_fields = ["object_id", "action"]  # the search box; see get_search_results
    list_select_related = ["actor"]

    @admin.display(description=_("time"), ordering="at")
    def at_display(self, event: AuditEvent) -> str:
        # One format in every language, the same as the record's history.
        return date_format(timezone.localtime(event.at), "Y-m-d H:i")

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, event: AuditEvent) -> str:
        return action_label(event.action)

    @admin.display(description=_("object"), ordering="object_type")
    def object_display(self, event: AuditEvent) -> str:
        if event.object_type == "badrecord" and event.object_id.isdigit():
            return f"{_object_kind(event.object_type)} TR{int(event.object_id):08d}"
        return f"{_object_kind(event.object_type)} #{event.object_id}"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        return staff_search_audit_events(queryset, search_term), False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return audit_events_visible_to(super().get_queryset(request), staff_user(request))

    def list_page_keys(self, request: HttpRequest) -> Any:
        return functools.partial(audit_event_page_keys, user=staff_user(request))

    def list_counted(self, request: HttpRequest) -> Any:
        return functools.partial(audit_events_counted, user=staff_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
