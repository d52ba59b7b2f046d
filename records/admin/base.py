from collections.abc import Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _


class NotFoundOutsideScopeMixin:
    """Objects outside the account's scope do not exist for it: the admin answers 404 (not a
    redirect, not 403), so a typed id reveals nothing. The scope is get_queryset()."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = admin.ModelAdmin.get_object(self, request, object_id, from_field)  # type: ignore[arg-type]
        if obj is None:
            raise Http404
        return obj


class NoBulkDeleteMixin:
    """No "delete selected" action: deletion, where allowed at all, is one object at a time
    through a service that checks and audits it."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = admin.ModelAdmin.get_actions(self, request)  # type: ignore[arg-type]
        actions.pop("delete_selected", None)
        return actions


def refresh_into(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved object the one a service saved, so the admin's redirects and
    inlines use it."""
    obj.pk = saved.pk
    obj.refresh_from_db()


class ServiceConflictMixin:
    """A save that loses a race (another account saved the same credit code or document a
    moment earlier) is rolled back and answered with a message, not a server error."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return admin.ModelAdmin.changeform_view(self, request, *args, **kwargs)  # type: ignore[arg-type]
        except (ValidationError, IntegrityError) as error:
            detail = "; ".join(error.messages) if isinstance(error, ValidationError) else ""
            messages.error(
                request,
                _("Nothing was saved: another change was saved at the same moment. %(detail)s")
                % {"detail": detail},
            )
            return HttpResponseRedirect(request.get_full_path())


class ValidValuesAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget queries the posted value when it redraws a form with
    errors; a value that is not a key at all (typed by a script) would end in a server error.
    Such values are dropped: the field's own "choose a valid option" error still shows."""

    def optgroups(
        self, name: str, value: Sequence[str], attrs: dict[str, Any] | None = None
    ) -> Any:
        target = self.field.target_field
        valid = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attrs)


class SafeAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = ValidValuesAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
