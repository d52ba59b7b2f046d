"""Officer pages of the licence-review lookup (/licensing/…). Restricted: licensing officers
and bureau or national administrators only (licensing.permissions.can_run_checks); everyone
else signed in gets 403, anonymous visitors go to the sign-in page. Checks and batches are
fetched through `_visible_check` / `_visible_batch`, which answer 404 outside the account's
scope (an officer: their bureau; an administrator: their bureau and below)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from licensing import exports
from licensing.forms import BatchForm, CheckForm, ConclusionForm
from licensing.inputs import clean_check_input
from licensing.models import ApplicantCheck, CheckBatch, CheckBatchPart, CheckSource
from licensing.permissions import can_run_checks
from licensing.services.batches import batch_create
from licensing.services.checks import applicant_check, check_conclude
from licensing.verdicts import presented
from records.permissions import staff_user

LOGIN_URL = "/admin/login/"


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        if not can_run_checks(staff_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible_check(request: HttpRequest, number: str) -> ApplicantCheck:
    check = (
        ApplicantCheck.objects.visible_to(staff_user(request))
        .select_related("bureau", "officer")
        .filter(number=number)
        .first()
    )
    if check is None:
        raise Http404
    return check


def _visible_batch(request: HttpRequest, batch_id: int) -> CheckBatch:
    batch = (
        CheckBatch.objects.visible_to(staff_user(request)).filter(pk=batch_id).defer("rows").first()
    )
    if batch is None:
        raise Http404
    return batch


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, errors in error.error_dict.items():
        if field in form.errors:
            continue  # the form said it already
        form.add_error(field if field in form.fields else None, errors)


@officer_required
@require_http_methods(["GET", "POST"])
def check_new(request: HttpRequest) -> HttpResponse:
    """Licensing officers and administrators: the check form, and the recent checks of the
    account's scope."""
    form = CheckForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()  # lengths and choices; the rules are clean_check_input's
        try:
            data = clean_check_input(request.POST.dict())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if not form.errors:
                check = applicant_check(by=staff_user(request), data=data, source=CheckSource.WEB)
                return redirect("licensing:check_detail", number=check.number)
    checks = ApplicantCheck.objects.visible_to(staff_user(request)).select_related(
        "officer", "bureau"
    )
    page = Paginator(checks.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(request, "licensing/check_new.html", {"form": form, "page": page})


@officer_required
def check_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Licensing officers and administrators within scope: one check, its result and the
    conclusions recorded on it."""
    check = _visible_check(request, number)
    return render(
        request,
        "licensing/check_detail.html",
        {
            "check": check,
            "result": presented(check),
            "conclusions": check.conclusions.select_related("by"),
            "form": ConclusionForm(),
            "may_conclude": check.bureau_id == staff_user(request).bureau_id,
        },
    )


@officer_required
@require_POST
def check_conclusion(request: HttpRequest, number: str) -> HttpResponse:
    """Licensing officers and administrators of the bureau that ran the check."""
    check = _visible_check(request, number)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            check_conclude(
                by=staff_user(request),
                check=check,
                conclusion=form.cleaned_data["conclusion"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("licensing:check_detail", number=check.number)
    return render(
        request,
        "licensing/check_detail.html",
        {
            "check": check,
            "result": presented(check),
            "conclusions": check.conclusions.select_related("by"),
            "form": form,
            "may_conclude": check.bureau_id == staff_user(request).bureau_id,
        },
        status=400,
    )


@officer_required
def check_print(request: HttpRequest, number: str) -> HttpResponse:
    """Licensing officers and administrators within scope: the printable check record."""
    check = _visible_check(request, number)
    conclusion = check.conclusions.select_related("by").first()
    return render(
        request,
        "licensing/check_print.html",
        {"check": check, "result": presented(check), "conclusion": conclusion},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """Licensing officers and administrators: upload a file of applicants; the batches of
    the account's scope."""
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = batch_create(
                by=staff_user(request), file_name=upload.name, content=upload.read()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("licensing:batch_detail", batch_id=batch.pk)
    batches = (
        CheckBatch.objects.visible_to(staff_user(request)).defer("rows").select_related("officer")
    )
    return render(
        request,
        "licensing/batch_new.html",
        {"form": form, "batches": batches.order_by("-created_at", "-pk")[:20]},
        status=400 if form.errors else 200,
    )


@officer_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Licensing officers and administrators within scope: progress of a batch; the page
    reloads itself (no JavaScript) until the batch has finished."""
    batch = _visible_batch(request, batch_id)
    failed_parts = batch.parts.filter(status=CheckBatchPart.Status.FAILED).order_by("first")
    return render(
        request, "licensing/batch_detail.html", {"batch": batch, "failed_parts": failed_parts}
    )


@officer_required
def batch_results(request: HttpRequest, batch_id: str, fmt: str) -> HttpResponse:
    """Licensing officers and administrators within scope: the results file of a batch."""
    batch = _visible_batch(request, int(batch_id))
    if batch.status != CheckBatch.Status.DONE:
        raise Http404
    return _download(exports.result_rows(batch), f"checks-{batch.pk}", fmt)


@officer_required
def batch_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """Licensing officers and administrators: the file to fill in for a batch."""
    return _download(exports.TEMPLATE_ROWS, "applicants-template", fmt)


def _download(rows: list[list[str]], stem: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        body, kind = exports.as_csv(rows), "text/csv; charset=utf-8"
    else:
        body = exports.as_xlsx(rows)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
