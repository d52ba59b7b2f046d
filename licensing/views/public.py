"""Public page of the licence-review lookup: anyone holding a check's number and verification
code may confirm it. A wrong number and a wrong code get the same answer, attempts are
throttled per address, and the page shows only date, bureau, application type, the
applicant's name as entered and the verdict (never an identifier)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from licensing.models import ApplicantCheck
from licensing.services.checks import code_matches


class VerifyThrottle(SimpleRateThrottle):
    scope = "licensing_verify"

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public. Confirms a check given its number and verification code. The code is posted,
    so that it stays out of addresses, server logs and referrers."""
    number = (request.POST.get("number") or "").strip().upper()[:24]
    code = (request.POST.get("code") or "")[:32]
    context: dict[str, object] = {"number": number, "code": code}
    status = 200
    # DRF's throttle reads only the address and the cache, which a Django request has.
    if (number or code) and not VerifyThrottle().allow_request(request, None):  # type: ignore[arg-type]
        context["throttled"] = True
        status = 429
    elif number or code:
        check = ApplicantCheck.objects.select_related("bureau").filter(number=number).first()
        # Compare a code even when the number is unknown, so both answers take as long.
        found = code_matches(check or ApplicantCheck(verification_code="-" * 10), code)
        if check is not None and found:
            context["check"] = check
        else:
            context["not_found"] = True
            status = 404
    response = render(request, "licensing/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    # Not `no-referrer`: under it a browser posts the form with `Origin: null`, which the
    # CSRF check rightly refuses. `same-origin` still keeps the page out of other sites'
    # referrers, and the code itself is posted, never in the address.
    response["Referrer-Policy"] = "same-origin"
    return response
