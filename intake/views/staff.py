"""Staff pages of the spreadsheet intake, for filers of a bureau (filers import for their own
bureau only). Anonymous visitors go to the admin sign-in page, other staff get 403. An
import is fetched through `_visible_import`, which answers 404 outside the account's bureau."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intake.forms import ConfirmForm, EvidenceZipForm, UploadForm
from intake.models import Import, ImportRow
from intake.services.evidence import import_evidence_zip
from intake.services.imports import import_confirm, import_discard, import_upload
from intake.template import template_xlsx
from kernel.errors import add_service_errors
from records.permissions import can_file, staff_user

LOGIN_URL = "/admin/login/"
ROWS_PER_PAGE = 100
SHOWN = {
    "bad": [ImportRow.Status.BAD],
    "good": [ImportRow.Status.GOOD, ImportRow.Status.CREATED],
    "already": [ImportRow.Status.ALREADY],
}


def filer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not request.user.is_staff:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        if not can_file(staff_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible_import(request: HttpRequest, import_id: int) -> Import:
    batch = (
        Import.objects.visible_to(staff_user(request))
        .select_related("uploaded_by")
        .filter(pk=import_id)
        .first()
    )
    if batch is None:
        raise Http404
    return batch


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)


@filer_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Filers: upload a spreadsheet; the bureau's recent imports."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_upload(by=staff_user(request), upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("intake:detail", import_id=batch.pk)
    imports = Import.objects.visible_to(staff_user(request)).select_related("uploaded_by")
    return _page(
        request,
        "intake/import_list.html",
        {"title": _("Import records from a spreadsheet"), "form": form, "imports": imports[:20]},
        status=400 if form.errors else 200,
    )


@filer_required
def import_template(request: HttpRequest) -> HttpResponse:
    """Filers: the XLSX template to fill in."""
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="records-template.xlsx"'
    return response


@filer_required
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """Filers of the bureau: progress while the worker checks the file (the page reloads
    itself), then the preview: each row's subject, fields and errors per cell."""
    batch = _visible_import(request, import_id)
    shown = request.GET.get("show", "")
    rows = batch.rows.order_by("number")
    if shown in SHOWN:
        rows = rows.filter(status__in=SHOWN[shown])
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(
        request,
        "intake/import_detail.html",
        {
            "title": _("Import: %(file)s") % {"file": batch.original_name},
            "batch": batch,
            "page": page,
            "shown": shown,
            "confirm_form": ConfirmForm(),
            "running": batch.status in (Import.Status.CHECKING, Import.Status.CONFIRMING),
        },
    )


@filer_required
@require_POST
def import_confirm_view(request: HttpRequest, import_id: int) -> HttpResponse:
    """Filers of the bureau: create the good rows as drafts or submitted."""
    batch = _visible_import(request, import_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose drafts or submitted for review."))
        return redirect("intake:detail", import_id=batch.pk)
    try:
        import_confirm(
            batch=batch, by=staff_user(request), create_as=form.cleaned_data["create_as"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The records are being created."))
    return redirect("intake:detail", import_id=batch.pk)


@filer_required
@require_POST
def import_discard_view(request: HttpRequest, import_id: int) -> HttpResponse:
    """Filers of the bureau: drop an import before it is confirmed."""
    batch = _visible_import(request, import_id)
    try:
        import_discard(batch=batch, by=staff_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:detail", import_id=batch.pk)
    messages.success(request, _("The import was discarded; nothing was created."))
    return redirect("intake:list")


@filer_required
@require_http_methods(["GET", "POST"])
def import_evidence(request: HttpRequest, import_id: int) -> HttpResponse:
    """Filers of the bureau: one ZIP of evidence for the imported records, each file going
    to the record whose row's reference starts its name."""
    batch = _visible_import(request, import_id)
    if batch.status != Import.Status.CONFIRMED:
        raise Http404
    form = EvidenceZipForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_evidence_zip(
                batch=batch, by=staff_user(request), upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return _page(
        request,
        "intake/import_evidence.html",
        {
            "title": _("Evidence for import: %(file)s") % {"file": batch.original_name},
            "batch": batch,
            "form": form,
            "report": report,
        },
        status=400 if form.errors else 200,
    )
