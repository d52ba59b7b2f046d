"""Public pages of the rights app: anyone may read them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rights.selectors import objection_statistics


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Public. Objections received, answered on time and upheld, and credit repairs, per
    publishing bureau."""
    return render(
        request,
        "rights/statistics.html",
        {
            "figures": objection_statistics(),
            "days": settings.OBJECTION_ANSWER_WORKING_DAYS,
            "basis": settings.RIGHTS_LEGAL_BASIS,
        },
    )
