from django.urls import path

from publication.views import public

app_name = "publication"

urlpatterns = [
    path("", public.home, name="home"),
]
