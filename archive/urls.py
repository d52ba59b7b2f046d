from django.urls import path

from archive import views as archive

app_name = "archive"

urlpatterns = [
    path("requests/", archive.request_list, name="list"),
    path("requests/new/", archive.request_new, name="new"),
    path("requests/<int:pk>/", archive.request_detail, name="detail"),
    path("requests/<int:pk>/records/", archive.request_records, name="records"),
    path("requests/<int:pk>/proof/<int:proof_pk>/", archive.proof_download, name="proof"),
]
