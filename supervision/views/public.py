"""Public pages of leads (举报线索): anyone files a lead without an account and follows it with
its receipt number and secret code. Limits per client address and per contact stop floods;
following is limited per address and per receipt number so that a code cannot be guessed.
The follow page shows the status and the answer, never the internal note or the contact."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kernel.client_address import client_address
from kernel.errors import add_service_errors
from kernel.limits import Verdict, limits_hit
from supervision.forms import LeadForm
from supervision.services.leads import contact_key, lead_file, lead_find

RECEIPT_SESSION_KEY = "lead_receipt"


def _too_many(verdict: Verdict) -> str:
    minutes = verdict.retry_after_minutes
    return ngettext(
        "Too many leads from this address or contact. Try again in %(minutes)d minute.",
        "Too many leads from this address or contact. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # Not `no-referrer`: under it a browser posts the form with `Origin: null`, which the
    # CSRF check refuses; `same-origin` still keeps these pages out of other sites' logs.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    """Public. The lead form; no account needed."""
    status = 200
    if request.method == "POST":
        form = LeadForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = limits_hit(
                scope="lead_file",
                idents={
                    "address": client_address(request),
                    "contact": contact_key(form.cleaned_data.get("contact") or ""),
                },
                rates={
                    "address": settings.LEAD_RATE_PER_ADDRESS,
                    "contact": settings.LEAD_RATE_PER_CONTACT,
                },
            )
            if not verdict.allowed:
                form.add_error(None, _too_many(verdict))
                status = 429
            else:
                try:
                    lead, code = lead_file(
                        data=form.service_data(),
                        uploads=form.cleaned_data.get("attachments") or [],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    # Shown once on the next page, then gone from the session.
                    request.session[RECEIPT_SESSION_KEY] = {"number": lead.number, "code": code}
                    return redirect("supervision:lead_filed")
        if status == 200:
            status = 400
    else:
        form = LeadForm()
    context = {
        "form": form,
        "answer_days": settings.LEAD_FIRST_ANSWER_WORKING_DAYS,
        "max_files": settings.LEAD_MAX_ATTACHMENTS,
    }
    response = render(request, "supervision/leads/new.html", context, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return _private(response)


@require_http_methods(["GET", "HEAD"])
def lead_filed(request: HttpRequest) -> HttpResponse:
    """Public. The receipt number and secret code, shown once after filing."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if receipt is None:
        messages.info(request, _("Follow a lead with its receipt number and code."))
        return redirect("supervision:lead_follow")
    return _private(render(request, "supervision/leads/filed.html", {"receipt": receipt}))


@require_http_methods(["GET", "HEAD", "POST"])
def lead_follow(request: HttpRequest) -> HttpResponse:
    """Public. The status of a lead given its receipt number and code. The code is posted,
    so that it stays out of addresses, server logs and referrers."""
    number = (request.POST.get("number") or "").strip().upper()[:20]
    code = (request.POST.get("code") or "")[:32]
    context: dict[str, object] = {"number": number}
    status = 200
    verdict = (
        limits_hit(
            scope="lead_follow",
            idents={"address": client_address(request), "number": number},
            rates={
                "address": settings.LEAD_FOLLOW_RATE_PER_ADDRESS,
                "number": settings.LEAD_FOLLOW_RATE_PER_NUMBER,
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
        lead = lead_find(number=number, code=code)
        if lead is not None:
            context["lead"] = lead
        else:
            context["not_found"] = True
            status = 404
    response = _private(render(request, "supervision/leads/follow.html", context, status=status))
    if status == 429 and verdict is not None:
        response["Retry-After"] = str(verdict.retry_after)
    return response
