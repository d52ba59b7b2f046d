from django.urls import path, re_path

from licensing.views import officer, tokens

app_name = "licensing"

urlpatterns = [
    path("", officer.check_new, name="check_new"),
    path("checks/<str:number>/", officer.check_detail, name="check_detail"),
    path("checks/<str:number>/conclusion/", officer.check_conclusion, name="check_conclusion"),
    path("checks/<str:number>/print/", officer.check_print, name="check_print"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("batches/", officer.batch_new, name="batch_new"),
    re_path(
        r"^batches/template\.(?P<fmt>csv|xlsx)$", officer.batch_template, name="batch_template"
    ),
    path("batches/<int:batch_id>/", officer.batch_detail, name="batch_detail"),
    re_path(
        r"^batches/(?P<batch_id>[0-9]+)/results\.(?P<fmt>csv|xlsx)$",
        officer.batch_results,
        name="batch_results",
    ),
]
