from django.contrib import admin
from django.urls import include, path

from blacklist_portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("publication.urls_accounts")),
    path("archive/", include("publication.urls_archive")),
    path("", include("publication.urls")),
]
