"""The listed subject's pages (restricted). Every page is for a signed-in public account
with a verified e-mail; a page about a record answers 404 unless the account's claim to be
that record's subject was verified, so nobody learns whether a record has an objection or a
repair, nor acts for a subject it was not verified for."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kernel.errors import add_service_errors
from kernel.files import private_file_response
from records.models import BadRecord, User
from rights.forms import ClaimForm, ObjectionForm, RepairForm
from rights.models import Objection, RepairApplication, SubjectClaim
from rights.selectors import own_view
from rights.services.access import (
    answers_for,
    can_decide_claim,
    is_public_account,
    verified_claim,
)
from rights.services.claims import subject_claim_file
from rights.services.objections import objection_file
from rights.services.repairs import repair_apply, repair_possible_from, repair_refusal


def _account_or_404(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_public_account(user):
        raise Http404
    return user


def _own_record_or_404(request: HttpRequest, pk: int) -> tuple[User, BadRecord]:
    user = _account_or_404(request)
    record = BadRecord.objects.select_related("filing_bureau").filter(pk=pk).first()
    if record is None or verified_claim(user, record) is None:
        raise Http404
    return user, record


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A public account: its claims; once verified, its records (public and archived), their
    periods, its objections and repair applications, and the grants of access to its
    archived records."""
    user = _account_or_404(request)
    view = own_view(user)
    today = timezone.localdate()
    rows = [
        {
            "record": record,
            "repair_from": repair_possible_from(record),
            "repair_refusal": repair_refusal(record, today=today),
        }
        for record in view.records
    ]
    return render(
        request,
        "rights/home.html",
        {"view": view, "rows": rows, "today": today, "basis": settings.RIGHTS_LEGAL_BASIS},
    )


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    user = _account_or_404(request)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = subject_claim_file(
                by=user,
                data=form.cleaned_data,
                proofs=form.cleaned_data.get("proofs") or [],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Claim %(reference)s filed; the publishing bureau verifies it.")
                % {"reference": claim.reference},
            )
            return redirect("rights:home")
    return render(request, "rights/claim_form.html", {"form": form})


@login_required
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, record = _own_record_or_404(request, pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = objection_file(
                by=user,
                record=record,
                grounds=form.cleaned_data["grounds"],
                proofs=form.cleaned_data.get("proofs") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Objection %(reference)s filed; the answer is due by %(deadline)s.")
                % {"reference": objection.reference, "deadline": objection.deadline.isoformat()},
            )
            return redirect("rights:home")
    return render(
        request,
        "rights/objection_form.html",
        {
            "form": form,
            "record": record,
            "days": settings.OBJECTION_ANSWER_WORKING_DAYS,
            "basis": settings.RIGHTS_LEGAL_BASIS["objection"],
        },
    )


@login_required
def repair_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, record = _own_record_or_404(request, pk)
    form = RepairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = repair_apply(
                by=user,
                record=record,
                statement=form.cleaned_data["statement"],
                proofs=form.cleaned_data.get("proofs") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Application %(reference)s filed; the decision is due by %(deadline)s.")
                % {
                    "reference": application.reference,
                    "deadline": application.deadline.isoformat(),
                },
            )
            return redirect("rights:home")
    return render(
        request,
        "rights/repair_form.html",
        {
            "form": form,
            "record": record,
            "refusal": repair_refusal(record, today=timezone.localdate()),
            "days": settings.REPAIR_DECISION_WORKING_DAYS,
            "basis": settings.RIGHTS_LEGAL_BASIS["repair"],
        },
    )


def claim_proof(request: HttpRequest, pk: int, proof_pk: int) -> FileResponse:
    """The claimant, or a reviewer of the verifying bureau."""
    claim = SubjectClaim.objects.filter(pk=pk).first()
    if claim is None:
        raise Http404
    return private_file_response(
        request,
        claim.proofs.filter(pk=proof_pk).first(),
        allowed=claim.account_id == request.user.pk or can_decide_claim(request.user, claim),
    )


def objection_proof(request: HttpRequest, pk: int, proof_pk: int) -> FileResponse:
    """The subject who filed it, or a reviewer of the publishing bureau."""
    item = Objection.objects.select_related("claim", "record").filter(pk=pk).first()
    if item is None:
        raise Http404
    return private_file_response(
        request,
        item.proofs.filter(pk=proof_pk).first(),
        allowed=item.claim.account_id == request.user.pk or answers_for(request.user, item.record),
    )


def repair_proof(request: HttpRequest, pk: int, proof_pk: int) -> FileResponse:
    """The subject who applied, or a reviewer of the publishing bureau."""
    item = RepairApplication.objects.select_related("claim", "record").filter(pk=pk).first()
    if item is None:
        raise Http404
    return private_file_response(
        request,
        item.proofs.filter(pk=proof_pk).first(),
        allowed=item.claim.account_id == request.user.pk or answers_for(request.user, item.record),
    )
