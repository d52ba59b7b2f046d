from django.urls import path

from rights.views import public, subject

app_name = "rights"

urlpatterns = [
    path("", subject.home, name="home"),
    path("claims/new/", subject.claim_new, name="claim_new"),
    path("claims/<int:pk>/proof/<int:proof_pk>/", subject.claim_proof, name="claim_proof"),
    path("records/<int:pk>/objection/", subject.objection_new, name="objection_new"),
    path("records/<int:pk>/repair/", subject.repair_new, name="repair_new"),
    path(
        "objections/<int:pk>/proof/<int:proof_pk>/",
        subject.objection_proof,
        name="objection_proof",
    ),
    path("repairs/<int:pk>/proof/<int:proof_pk>/", subject.repair_proof, name="repair_proof"),
    path("statistics/", public.statistics, name="statistics"),
]
