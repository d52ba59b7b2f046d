from django.urls import path

from supervision.views import public

app_name = "supervision"

urlpatterns = [
    path("leads/new/", public.lead_new, name="lead_new"),
    path("leads/filed/", public.lead_filed, name="lead_filed"),
    path("leads/follow/", public.lead_follow, name="lead_follow"),
]
