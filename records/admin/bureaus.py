from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from records.models import Bureau
from records.permissions import signed_in_account, staff_user
from records.services.bureaus import bureau_rename


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    """Every staff account may look bureaus up (for autocomplete of regions); bureaus are
    loaded by `manage.py load_bureaus` and only the national administrator changes them."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "level", "parent"]

    def has_view_permission(self, request: HttpRequest, obj: Bureau | None = None) -> bool:
        user = signed_in_account(request)
        return user is not None and user.is_active and user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Bureau | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Bureau, form: Any, change: bool) -> None:
        bureau_rename(bureau=obj, by=staff_user(request), name=form.cleaned_data["name"])
