"""The credit archive for interested parties (SPEC §6). Restricted: every page here is for
one requester (and, where said, the archive reviewers who may decide the request). Requests are
fetched through `_request_or_404`, so a request that is not yours does not exist for you."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.forms import ArchiveRequestForm
from archive.models import ArchiveRequest
from archive.services import (
    archive_access_log,
    archive_records_for,
    archive_request_file,
    can_decide,
    can_read_request,
    is_interested_party,
)
from kernel.files import private_file_response
from records.forms import add_service_errors
from records.models import User


def _account_or_404(request: HttpRequest) -> User:
    """The signed-in account; 404 for an anonymous visitor."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _request_or_404(request: HttpRequest, pk: int) -> ArchiveRequest:
    """The request if the account filed it or is an archive reviewer who may decide it; 404
    for everyone else, other staff of the bureau and anonymous visitors included."""
    user = _account_or_404(request)
    archive_request = (
        ArchiveRequest.objects.select_related("bureau", "requester").filter(pk=pk).first()
    )
    if archive_request is None:
        raise Http404
    if archive_request.requester_id == user.pk or can_read_request(user, archive_request):
        return archive_request
    raise Http404


def _party_or_404(request: HttpRequest) -> User:
    user = _account_or_404(request)
    if not is_interested_party(user):
        raise Http404
    return user


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """A verified public account: its own requests, their status and deadlines."""
    party = _party_or_404(request)
    requests = ArchiveRequest.objects.filter(requester=party).select_related("bureau")
    return render(
        request,
        "archive/request_list.html",
        {"archive_requests": requests, "today": timezone.localdate()},
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """A verified public account: file a request about one subject."""
    party = _party_or_404(request)
    form = ArchiveRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            archive_request = archive_request_file(
                by=party,
                data=form.service_data(),
                proofs=form.cleaned_data.get("proofs") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Request %(reference)s filed.") % {"reference": archive_request.reference},
            )
            return redirect("archive:detail", archive_request.pk)
    return render(
        request,
        "archive/request_form.html",
        {"form": form, "deadline_days": settings.ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS},
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester, or an archive reviewer who may decide it: status, deadline, decision.
    Before the decision it shows nothing that depends on whether records exist."""
    archive_request = _request_or_404(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "archive/request_detail.html",
        {
            "archive_request": archive_request,
            "proofs": archive_request.proofs.all(),
            "access_open": archive_request.access_open(today),
            "today": today,
        },
    )


def request_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The granted requester while the access window is open, or an archive reviewer who may
    decide it: the archived records of the request's subject in the bureau's region. Every
    record shown is logged. 404 for everyone else, and for the requester outside the window."""
    archive_request = _request_or_404(request, pk)
    user = _account_or_404(request)
    today = timezone.localdate()
    is_requester = archive_request.requester_id == user.pk
    if is_requester and not archive_request.access_open(today):
        raise Http404
    records = list(archive_records_for(archive_request=archive_request, user=user, on=today))
    archive_access_log(by=user, archive_request=archive_request, records=records)
    return render(
        request,
        "archive/records.html",
        {"archive_request": archive_request, "records": records, "is_requester": is_requester},
    )


def proof_download(request: HttpRequest, pk: int, proof_pk: int) -> FileResponse:
    """The requester, or an archive reviewer with jurisdiction: one proof file, as an
    attachment."""
    archive_request = _request_or_404(request, pk)
    return private_file_response(
        request,
        archive_request.proofs.filter(pk=proof_pk).first(),
        allowed=archive_request.requester_id == request.user.pk
        or can_decide(request.user, archive_request),
    )
