"""The portal's URLs plus one trivial Django view, for the HTTP benchmark only: the trivial
view shows what the same server, middleware and workers cost before the portal does anything."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("blacklist_portal.urls")),
]
