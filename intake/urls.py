from django.urls import path

from intake.views import staff

app_name = "intake"

urlpatterns = [
    path("", staff.import_list, name="list"),
    path("template.xlsx", staff.import_template, name="template"),
    path("<int:import_id>/", staff.import_detail, name="detail"),
    path("<int:import_id>/confirm/", staff.import_confirm_view, name="confirm"),
    path("<int:import_id>/discard/", staff.import_discard_view, name="discard"),
    path("<int:import_id>/evidence/", staff.import_evidence, name="evidence"),
]
