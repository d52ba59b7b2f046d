from django.urls import path

from publication.api import views as api
from publication.caching import list_conditional
from publication.views import language, open_data, public

app_name = "publication"

urlpatterns = [
    path("", public.home, name="home"),
    path("disclosures/", public.disclosure_list, name="list"),
    path("disclosures.csv", open_data.export_csv, name="export_csv"),
    path("disclosures/feed.atom", open_data.new_publications_feed, name="feed"),
    path("disclosures/<str:reference>", public.disclosure_detail, name="detail"),
    path("check/", public.quick_check_form, name="quick_check_form"),
    # <path:>: a number as typed may hold a slash (a/b), which <str:> could not take back.
    path("check/<path:number>", public.quick_check, name="quick_check"),
    path("statistics/", public.statistics, name="statistics"),
    path("statistics/<str:code>/", public.statistics, name="statistics_region"),
    path("language/<str:code>/", language.switch_language, name="language"),
    path(
        "api/v1/disclosures/",
        list_conditional(api.DisclosureListApi.as_view()),
        name="api_list",
    ),
    path(
        "api/v1/disclosures/changes/",
        api.ChangesApi.as_view(),
        name="api_changes",
    ),
    path(
        "api/v1/disclosures/<str:reference>/",
        list_conditional(api.DisclosureDetailApi.as_view()),
        name="api_detail",
    ),
]
