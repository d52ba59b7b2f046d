"""Staff pages of the accountability report (/supervision/accountability/…). Restricted:
supervisors, bureau administrators and the national administrator
(supervision.accountability.access); other staff get 403, anonymous visitors and public
accounts go to the staff sign-in page. The bureau is fetched through `bureau_in_scope`,
which answers 404 outside the account's region. Every page runs the same queries whatever
the region's size."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from records.models import Bureau
from records.permissions import staff_user
from supervision.accountability import chart
from supervision.accountability.access import bureau_in_scope, can_read_accountability
from supervision.accountability.periods import PeriodForm, period_form_data
from supervision.accountability.report import (
    LATE_EXPORT_MAX,
    Report,
    Row,
    accountability_report,
    filed_url,
    late_publications,
    overdue_url,
    published_url,
    repaired_url,
)
from supervision.accountability.xlsx import report_xlsx

LOGIN_URL = "/admin/login/"
# The printed page fits one A4 sheet with this many late publications; the XLSX has them all.
PRINT_LATE_LISTED = 12


def report_reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Like the admin: whoever is not signed in as staff is sent to the staff sign-in.
        if not request.user.is_authenticated or not request.user.is_staff:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        if not can_read_accountability(staff_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _chosen(request: HttpRequest) -> tuple[PeriodForm, Report | None]:
    """The form of the query string and, when it is valid, the report it asks for."""
    today = timezone.localdate()
    form = PeriodForm(period_form_data(request.GET.dict(), today=today), today=today)
    if not form.is_valid():
        return form, None
    bureau = bureau_in_scope(staff_user(request), form.cleaned_data.get("bureau") or "")
    report = accountability_report(bureau=bureau, period=form.period(), today=today)
    return form, report


def _query(report: Report, bureau: Bureau | None = None) -> str:
    params = {"bureau": (bureau or report.bureau).code} | report.period.query()
    return urlencode(params)


def _links(report: Report, row: Row) -> dict[str, Any]:
    period = report.period
    return {
        "row": row,
        "drill": None if row.own or row is report.total else "?" + _query(report, row.bureau),
        "filed_url": filed_url(row, period),
        "published_url": published_url(row, period),
        "on_time_url": published_url(row, period, late=False),
        "late_url": published_url(row, period, late=True),
        "overdue_url": overdue_url(row),
        "repaired_url": repaired_url(row, report.period),
    }


def _parents(bureau: Bureau, user_bureau: Bureau) -> list[Bureau]:
    """The bureaus from the account's own down to the one shown (for the breadcrumb)."""
    codes = bureau.path.strip("/").split("/")
    own_depth = len(user_bureau.path.strip("/").split("/"))
    wanted = codes[own_depth:-1]
    found = {b.code: b for b in Bureau.objects.filter(code__in=wanted)}
    return [found[code] for code in wanted if code in found]


@report_reader_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    """The report of a bureau and the bureaus below it for a period, with drill-down."""
    form, report = _chosen(request)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Timeliness accountability"),
        # The report is wide: the page gives it the admin's whole width.
        "is_nav_sidebar_enabled": False,
        "form": form,
        "report": report,
    }
    if report is None:
        return render(request, "supervision/accountability/report.html", context, status=400)
    user = staff_user(request)
    context |= {
        "rows": [_links(report, row) for row in report.rows],
        "total": _links(report, report.total),
        "ranking": [_links(report, row) for row in report.ranking],
        "bars": chart.trend_bars(report.trend),
        "chart": {"width": chart.WIDTH, "height": chart.HEIGHT, "base": chart.HEIGHT - 36},
        "query": _query(report),
        "period_query": urlencode(report.period.query()),
        "parents": _parents(report.bureau, user.bureau) if user.bureau else [],
        "late_all_url": published_url(report.total, report.period, late=True),
    }
    return render(request, "supervision/accountability/report.html", context)


@report_reader_required
@require_GET
def report_print(request: HttpRequest) -> HttpResponse:
    """The report on one A4 page, to attach to an accountability notice."""
    form, report = _chosen(request)
    if report is None:
        context = {**admin.site.each_context(request), "form": form, "report": None}
        return render(request, "supervision/accountability/report.html", context, status=400)
    return render(
        request,
        "supervision/accountability/print.html",
        {
            "report": report,
            "late_shown": report.late_records[:PRINT_LATE_LISTED],
            "query": _query(report),
            "produced_at": timezone.localtime(),
            "produced_by": staff_user(request),
        },
    )


@report_reader_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    """The report as an XLSX workbook."""
    form, report = _chosen(request)
    if report is None:
        context = {**admin.site.each_context(request), "form": form, "report": None}
        return render(request, "supervision/accountability/report.html", context, status=400)
    late = late_publications(bureau=report.bureau, period=report.period, limit=LATE_EXPORT_MAX)
    response = HttpResponse(
        report_xlsx(report, late),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"timeliness-{report.bureau.code}-{report.period.start}-{report.period.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
