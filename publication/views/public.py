"""Public pages: anyone may use them, signed in or not. Everything they show comes from
`publication.selectors.disclosures()`, i.e. today's public list and its published fields."""

import dataclasses

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from publication.caching import list_conditional
from publication.filters import DisclosureFilter
from publication.pagination import paginate
from publication.prepared_lists import prepared_list
from publication.presenters import disclosure_rows, listed_rows
from publication.selectors import (
    ROW_COLUMNS,
    disclosure_get,
    disclosure_statistics,
    disclosures,
    disclosures_count,
    disclosures_for_number,
    region_choices,
    region_trail,
    statistics_provinces,
)
from records.published_fields import Reading, published_texts

NUMBER_MAX_LENGTH = 60


def _region_options(selected: str) -> str:
    """The <option>s of the region filter: the provinces, and the cities and counties of the
    chosen one (pick a province, apply, then narrow down — no script needed). Rendered once
    per province and cached: a template loop over them costs more than the rest of the page."""
    province = selected[:2] if selected.isdigit() else ""
    key = f"region-options-html:{province}"
    html = cache.get(key)
    if html is None:
        choices = region_choices(within=province)
        html = format_html_join("", '<option value="{}">{}</option>', choices)
        cache.set(key, html, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
    if selected.isdigit():
        html = html.replace(f'value="{selected}"', f'value="{selected}" selected', 1)
    return mark_safe(html)  # noqa: S308 - built by format_html_join from escaped values


def _filter_querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@list_conditional
def home(request: HttpRequest) -> HttpResponse:
    """Public. One search box, the size of the list and the latest publications."""
    queryset = disclosures()
    latest = listed_rows(queryset.values_list(*ROW_COLUMNS).order_by("-public_from", "-id")[:10])
    total = disclosures_count(queryset, cache_key="all")
    return render(request, "publication/home.html", {"latest": latest, "total": total})


@require_safe
@list_conditional
def disclosure_list(request: HttpRequest) -> HttpResponse:
    """Public. The list with its filters, sorting and pages; bad filter values are named
    on the page and no rows are shown for them."""
    filterset = DisclosureFilter(request.GET, queryset=disclosures())
    page = None
    querystring = _filter_querystring(request)
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    else:
        status = 200
        prepared = prepared_list(filterset, rows_only=True)
        queryset = None if prepared else filterset.qs
        page = paginate(
            queryset, request.GET, cache_key=querystring, prepared=prepared, values=ROW_COLUMNS
        )
        page = dataclasses.replace(page, rows=listed_rows(page.rows))
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "region_options": _region_options(request.GET.get("region", "")),
        "querystring": querystring,
        "page_sizes": [10, 20, 50, 100],
    }
    return render(request, "publication/disclosure_list.html", context, status=status)


@require_safe
@list_conditional
def disclosure_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Public. One record of today's list with exactly its published fields; a record that
    is not on the list today (never published, withdrawn, ended, archived) is not found."""
    record = disclosure_get(reference=reference)
    if record is None:
        raise Http404
    regions = region_trail(path=record.filing_bureau.path)
    base = reverse("publication:detail", args=["X"])[:-1]
    fields = published_texts(record, Reading(detail_base_url=request.build_absolute_uri(base)))
    return render(
        request,
        "publication/disclosure_detail.html",
        {
            "record": record,
            "fields": fields,
            "regions": regions,
            "objection_pending": settings.OBJECTION_FLAG_PUBLIC and record.objection_open,
        },
    )


@require_safe
def quick_check_form(request: HttpRequest) -> HttpResponse:
    """Public. The quick-check box; a typed number goes to /check/<number>."""
    # Whitespace collapsed: a line break typed or pasted could not be part of the address.
    number = " ".join((request.GET.get("number") or "").split())[:NUMBER_MAX_LENGTH]
    if number:
        return redirect(reverse("publication:quick_check", args=[number]))
    return render(request, "publication/quick_check.html", {"number": "", "checked": False})


@require_safe
@list_conditional
def quick_check(request: HttpRequest, number: str) -> HttpResponse:
    """Public. Whether a travel agency licence or guide certificate number (any case or
    spacing) is on today's list, and its records if so. Short enough for a QR code."""
    number = number.strip()[:NUMBER_MAX_LENGTH]
    records = disclosure_rows(disclosures_for_number(number=number))
    return render(
        request,
        "publication/quick_check.html",
        {"number": number, "checked": True, "records": records},
    )


@require_safe
@list_conditional
def statistics(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public. Today's list by ground, by province and by month of publication, drawn as
    bars with the figures beside them; for a province (its six-digit code), by its cities
    and counties instead of by province. Any other code is not found."""
    if code and code not in statistics_provinces():
        raise Http404
    return render(
        request,
        "publication/statistics.html",
        {"stats": disclosure_statistics(province=code), "bar_width": 100},
    )
