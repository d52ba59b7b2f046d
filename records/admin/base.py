from typing import Any

from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest


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
