"""The error pages (DEBUG off): in the site's frame and the visitor's language, with a way
back; in the admin's frame under /admin/; JSON under /api/, like the API's own errors.

The 500 page is rendered without context processors and without the database: it must
show when the database is what failed."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"


def _error(request: HttpRequest, status: int, template: str, title: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": title}, status=status)
    # A request refused before authentication (RefuseNulCharactersMiddleware) has no user
    # for the admin's frame to show: it gets the site's.
    if request.path.startswith(ADMIN_PREFIX) and hasattr(request, "user"):
        from django.contrib import admin

        context = {**admin.site.each_context(request), "title": title, "kind": template}
        return render(request, "admin/error.html", context, status=status)
    return render(request, template, {"title": title}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html", _("Invalid request"))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html", _("You are not allowed to open this page"))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html", _("Page not found"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired or foreign form, said plainly (Django logs the
    reason; the visitor needs only what to do)."""
    return _error(request, 403, "403_csrf.html", _("The form has expired"))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Something went wrong on our side")
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": title}, status=500)
    # No RequestContext: context processors may touch the session or the database.
    html = loader.get_template("500.html").render({"request": request, "title": title})
    return HttpResponse(html, status=500)
