"""Decision pages in the admin: a page that shows one object, asks for a form and calls one
service (submit, publish, return, withdraw or correct a record; decide an archive request).
The shape is the same everywhere: the object comes through the admin's scoped queryset (404
outside it), a permission check, the form, the service's errors shown on the form, then a
message and the way back to the object."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise

from kernel.errors import add_service_errors


@dataclass(frozen=True)
class DecisionPage:
    """One decision. `decide(obj, user, cleaned_data)` is the service call; a ValidationError
    it raises is shown on the form, a PermissionDenied as a message on the object's page."""

    title: Callable[[Any], str | Promise]
    form: Callable[[Any, Any], forms.BaseForm]  # (obj, POST data or None) -> bound form
    allowed: Callable[[Any, Any], bool]  # (user, obj)
    decide: Callable[[Any, Any, dict[str, Any]], Any]
    done_message: Callable[[Any], str | Promise]
    summary_template: str
    submit_label: str | Promise | None = None  # the title when None
    is_open: Callable[[Any], bool] = lambda obj: True  # closed: back to the object's page
    context: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})


class DecisionPageMixin:
    """For a ModelAdmin: serves `decision_pages` at the routes of `decision_routes`
    (route, URL name, fixed page name or None when the route has a <slug:page>)."""

    decision_pages: dict[str, DecisionPage] = {}
    decision_routes: list[tuple[str, str, str | None]] = []
    # A page the account may not use answers 404 unless the admin says the account may know
    # the object exists (it sees it in its list), in which case 403 tells it the truth.
    decision_denied_is_forbidden = False

    def get_urls(self) -> list[Any]:
        site = self.admin_site  # type: ignore[attr-defined]
        own: list[URLPattern] = [
            path(route, site.admin_view(self.decision_view), {"page": page} if page else {}, name)
            for route, name, page in self.decision_routes
        ]
        inherited: list[Any] = super().get_urls()  # type: ignore[misc]
        return own + inherited

    def decision_change_url(self, obj: models.Model) -> str:
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def decision_view(self, request: HttpRequest, object_id: int, page: str) -> HttpResponse:
        decision = self.decision_pages.get(page)
        if decision is None:
            raise Http404
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)  # type: ignore[attr-defined]
        if not decision.allowed(request.user, obj):
            raise PermissionDenied if self.decision_denied_is_forbidden else Http404
        change_url = self.decision_change_url(obj)
        if not decision.is_open(obj):
            return HttpResponseRedirect(change_url)
        form = decision.form(obj, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                decision.decide(obj, request.user, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)  # type: ignore[attr-defined]
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(request, decision.done_message(obj))  # type: ignore[attr-defined]
                return HttpResponseRedirect(change_url)
        title = decision.title(obj)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            **decision.context(obj),
            "title": title,
            "object": obj,
            "form": form,
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "page": page,
            "summary_template": decision.summary_template,
            "submit_label": decision.submit_label or title,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/decision_page.html", context)
