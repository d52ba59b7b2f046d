from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.admin_lists import CappedCountMixin
from records.admin.base import (
    NoBulkDeleteMixin,
    NotFoundOutsideScopeMixin,
    SafeAutocompleteMixin,
    ServiceConflictMixin,
    refresh_into,
)
from records.forms import OperatorForm, PractitionerForm
from records.models import Operator, Practitioner
from records.permissions import (
    can_edit_subject,
    can_file,
    can_see_identity_number,
    signed_in_account,
    staff_user,
)
from records.services import subjects as services
from records.services.identity_search import identity_number_in, practitioner_identity_search
from records.staff_search import staff_search_subjects


class SubjectAdmin(
    CappedCountMixin,
    ServiceConflictMixin,
    SafeAutocompleteMixin,
    NotFoundOutsideScopeMixin,
    NoBulkDeleteMixin,
    admin.ModelAdmin,
):
    """Operators and practitioners are shared across the country so that one subject is not
    entered twice; filers see all of them (masked), and change only their own bureau's."""

    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    # The identifiers a search looks inside, besides the name (see get_search_results).
    search_identifiers: list[str] = []

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # The list and the record form's autocomplete both search here.
        found = staff_search_subjects(
            queryset, search_term, identifier_fields=self.search_identifiers
        )
        return found, False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = signed_in_account(request)
        return user is not None and (
            user.is_active
            and user.bureau_id is not None
            and (super().has_view_permission(request, obj))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        user = signed_in_account(request)
        return user is not None and can_file(user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = signed_in_account(request)
        if user is None:
            return False
        if obj is None:
            return can_file(user)
        return can_edit_subject(user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = self.update(obj=obj, by=staff_user(request), data=form.cleaned_data)
        else:
            saved = self.create(by=staff_user(request), data=form.cleaned_data)
        refresh_into(obj, saved)

    def create(self, *, by: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, *, obj: Any, by: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


@admin.register(Operator)
class OperatorAdmin(SubjectAdmin):
    form = OperatorForm
    list_display = ["name", "sector", "credit_code", "licence_no", "region"]
    list_filter = ["sector"]
    # Shows the search box; the search itself is SubjectAdmin.get_search_results.
    search_fields = ["name"]
    search_identifiers = ["credit_code", "licence_no"]

    def create(self, *, by: Any, data: dict[str, Any]) -> Operator:
        return services.operator_create(by=by, data=data)

    def update(self, *, obj: Any, by: Any, data: dict[str, Any]) -> Operator:
        return services.operator_update(operator=obj, by=by, data=data)


@admin.register(Practitioner)
class PractitionerAdmin(SubjectAdmin):
    form = PractitionerForm
    list_display = ["name", "kind", "certificate_no", "identity_number_display", "region"]
    list_filter = ["kind"]
    # Identity numbers are searched by get_search_results below, never as a search field: an
    # exact match on any practitioner would confirm a masked number to anyone.
    search_fields = ["name"]
    search_identifiers = ["certificate_no"]
    autocomplete_fields = ["region", "employer"]

    @admin.display(description=_("resident identity number"))
    def identity_number_display(self, obj: Practitioner) -> str:
        return obj.identity_number_masked

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Practitioner], search_term: str
    ) -> tuple[QuerySet[Practitioner], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = identity_number_in(search_term)
        if not number:
            return results, may_have_duplicates
        search = practitioner_identity_search(by=staff_user(request), number=number)
        if search.refused:
            messages.error(
                request,
                _("Too many searches by identity number. Try again in %(minutes)d minutes.")
                % {"minutes": search.retry_after_minutes},
            )
        return results | queryset.filter(pk__in=search.practitioners.values("pk")), True

    def get_exclude(self, request: HttpRequest, obj: Practitioner | None = None) -> Any:
        if obj is not None and not can_see_identity_number(staff_user(request), obj):
            return ["identity_number"]
        return []

    def get_readonly_fields(self, request: HttpRequest, obj: Practitioner | None = None) -> Any:
        if obj is not None and not can_see_identity_number(staff_user(request), obj):
            return ["identity_number_display"]
        return []

    def create(self, *, by: Any, data: dict[str, Any]) -> Practitioner:
        return services.practitioner_create(by=by, data=data)

    def update(self, *, obj: Any, by: Any, data: dict[str, Any]) -> Practitioner:
        return services.practitioner_update(practitioner=obj, by=by, data=data)
