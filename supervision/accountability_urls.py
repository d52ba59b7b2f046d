"""The accountability report's staff pages, mounted at /supervision/accountability/."""

from django.urls import path

from supervision.accountability import views

app_name = "accountability"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("print/", views.report_print, name="print"),
    path("report.xlsx", views.report_export, name="export"),
]
