"""Public page of the licence-review lookup: anyone holding a check's number and verification
code may confirm it. A wrong number and a wrong code get the same answer, attempts are
throttled per address, and the page shows only date, bureau, application type, the
applicant's name as entered and the verdict (never an identifier)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kernel.client_address import client_address
from kernel.limits import limits_hit
from licensing.models import ApplicantCheck
from licensing.services.checks import code_matches


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public. Confirms a check given its number and verification code. The code is posted,
    so that it stays out of addresses, server logs and referrers."""
    number = (request.POST.get("number") or "").strip().upper()[:24]
    code = (request.POST.get("code") or "")[:32]
    context: dict[str, object] = {"number": number, "code": code}
    status = 200
    # Counted per client address and per check number: rotating addresses (or a forged
    # X-Forwarded-For, see kernel.client_address) does not buy more guesses at one code.
    verdict = (
        limits_hit(
            scope="check_verify",
            idents={"address": client_address(request), "number": number},
            rates={
                "address": settings.LICENSING_VERIFY_RATE,
                "number": settings.CHECK_VERIFY_RATE_PER_NUMBER,
            },
        )
        if number or code
        else None
    )
    if verdict is not None and not verdict.allowed:
        context["throttled"] = True
        context["retry_after_minutes"] = verdict.retry_after_minutes
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
    if status == 429:
        response["Retry-After"] = str(verdict.retry_after if verdict else 60)
    # Not `no-referrer`: under it a browser posts the form with `Origin: null`, which the
    # CSRF check rightly refuses. `same-origin` still keeps the page out of other sites'
    # referrers, and the code itself is posted, never in the address.
    response["Referrer-Policy"] = "same-origin"
    return response
