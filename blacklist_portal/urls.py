from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from blacklist_portal.health import healthz
from licensing.views import public as licensing_public

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("accounts/", include("publication.urls_accounts")),
    path("archive/", include("publication.urls_archive")),
    path("licensing/", include("licensing.urls")),
    path("verify/", licensing_public.verify, name="verify"),
    path("api/v1/licensing/", include("licensing.api_urls")),
    path("", include("publication.urls")),
]
