from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from accounts.staff_signin import staff_login
from blacklist_portal.health import healthz
from blacklist_portal.moved_admin import OLD_ADMIN_PATTERN, moved_admin_redirect
from licensing.views import public as licensing_public
from publication.views import open_data

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(OLD_ADMIN_PATTERN, moved_admin_redirect),
    # Before the admin's own URLs: staff sign in with a second factor and sign-in limits.
    path("admin/login/", staff_login, name="staff_login"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", open_data.api_docs, name="api_docs"),
    path("accounts/", include("accounts.urls")),
    path("archive/", include("archive.urls")),
    path("licensing/", include("licensing.urls")),
    path("intake/", include("intake.urls")),
    path("rights/", include("rights.urls")),
    path("supervision/accountability/", include("supervision.accountability_urls")),
    path("supervision/", include("supervision.urls")),
    path("verify/", licensing_public.verify, name="verify"),
    path("api/v1/licensing/", include("licensing.api_urls")),
    path("", include("publication.urls")),
]

handler400 = "blacklist_portal.errors.bad_request"
handler403 = "blacklist_portal.errors.permission_denied"
handler404 = "blacklist_portal.errors.page_not_found"
handler500 = "blacklist_portal.errors.server_error"
