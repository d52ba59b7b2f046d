from django.urls import path

from licensing.api import ApplicantCheckApi

app_name = "licensing_api"

urlpatterns = [path("checks/", ApplicantCheckApi.as_view(), name="checks")]
