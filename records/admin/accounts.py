from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from records.admin.base import (
    NoBulkDeleteMixin,
    NotFoundOutsideScopeMixin,
    SafeAutocompleteMixin,
)
from records.models import Bureau, User
from records.permissions import signed_in_account, staff_user
from records.roles import Role, has_role
from records.services.accounts import (
    account_audit,
    account_check_manageable,
    account_password_audit,
    account_state,
)


def _is_national_admin(request: HttpRequest) -> bool:
    return has_role(request.user, Role.NATIONAL_ADMIN)


def _is_bureau_admin(request: HttpRequest) -> bool:
    user = signed_in_account(request)
    return user is not None and has_role(user, Role.BUREAU_ADMIN) and user.bureau_id is not None


@admin.register(User)
class PortalUserAdmin(
    SafeAutocompleteMixin, NotFoundOutsideScopeMixin, NoBulkDeleteMixin, UserAdmin
):
    """Accounts. The national administrator manages all; a bureau administrator manages the
    accounts of their own bureau and cannot hand out the national administrator's role.
    Accounts are deactivated, never deleted, so the audit trail keeps its actors."""

    list_display = ["username", "last_name", "first_name", "bureau", "is_active", "roles"]
    list_filter = ["is_active", "groups"]
    list_select_related = ["bureau"]
    search_fields = ["username", "first_name", "last_name", "email", "bureau__name"]
    autocomplete_fields = ["bureau"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["last_name", "first_name", "email"]}),
        (_("Bureau and roles"), {"fields": ["bureau", "groups", "is_active", "is_staff"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Bureau and roles"), {"fields": ["bureau", "groups", "is_staff"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    # Roles as a list of checkboxes: Django's two-box filter widget puts aria-label on a
    # <span>, which screen readers ignore (axe: aria-prohibited-attr), and a handful of
    # roles needs no filtering.
    filter_horizontal = ()

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(
            str(Role(name).label)
            for name in user.groups.values_list("name", flat=True)
            if name in Role.values
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request).prefetch_related("groups")
        if _is_national_admin(request):
            return users
        if _is_bureau_admin(request):
            return users.filter(bureau=staff_user(request).bureau_id)
        return users.none()

    def _may_manage(self, request: HttpRequest) -> bool:
        return _is_national_admin(request) or _is_bureau_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "bureau" and not _is_national_admin(request):
            kwargs["queryset"] = Bureau.objects.filter(staff=staff_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            groups = Group.objects.filter(name__in=Role.values)
            if not _is_national_admin(request):
                groups = groups.exclude(name=Role.NATIONAL_ADMIN)
            kwargs["queryset"] = groups
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request: HttpRequest) -> Any:
        return self.autocomplete_fields if _is_national_admin(request) else []

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not _is_national_admin(request):
            obj.bureau_id = staff_user(request).bureau_id
            obj.is_superuser = False
        request._account_before = (  # type: ignore[attr-defined]
            account_state(User.objects.get(pk=obj.pk)) if change else {}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        account = form.instance
        account_check_manageable(  # raises inside the admin's transaction: nothing is kept
            by=staff_user(request),
            bureau_id=account.bureau_id,
            roles=account.groups.values_list("name", flat=True),
        )
        account_audit(
            by=staff_user(request),
            account=form.instance,
            before=getattr(request, "_account_before", {}),
            created=not change,
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account_password_audit(by=staff_user(request), account=self.get_object(request, id))
        return response


admin.site.unregister(Group)
