"""Open data for anyone: the CSV export of the (filtered) list, the Atom feed of new
publications (both read through publication.selectors, like the pages and the API) and the
API's documentation page."""

import copy
import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from publication.caching import list_conditional
from publication.filters import DisclosureFilter
from publication.pagination import positive_int
from publication.prepared_lists import prepared_list
from publication.selectors import disclosures, disclosures_slice, local_midnight
from records.models import BadRecord
from records.published_fields import SHOWN_FIELDS, Published, Reading, published_texts

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection);
# such cells get a leading apostrophe, which Excel and LibreOffice show as plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 2000


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _detail_base_url(request: HttpRequest) -> str:
    """The absolute address of the detail pages, without the reference."""
    return request.build_absolute_uri(reverse("publication:detail", args=["X"]))[:-1]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_header() -> list[str]:
    return [str(spec.label) for spec in SHOWN_FIELDS]


def _csv_row(record: Published, reading: Reading) -> list[str]:
    return [neutralise(text) for _spec, text in published_texts(record, reading)]


@require_safe
@list_conditional
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """Anyone. Today's list with the active filters as CSV (UTF-8 with a byte-order mark,
    so that Excel shows Chinese), streamed; `page` and `page_size` export one page only."""
    filterset = DisclosureFilter(request.GET, queryset=disclosures())
    if filterset.is_bound and not filterset.is_valid():
        lines = [
            f"{filterset.form.fields[name].label if name in filterset.form.fields else name}: "
            f"{error}"
            for name, errors in filterset.form.errors.items()
            for error in errors
        ]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    paged = "page" in request.GET or "page_size" in request.GET
    records: Iterable[Published]
    if paged:
        size = min(
            positive_int(request.GET.get("page_size"), settings.PUBLIC_PAGE_SIZE),
            settings.PUBLIC_MAX_PAGE_SIZE,
        )
        # As deep as the list pages go; the whole list is the export without `page`.
        last_page = settings.PUBLIC_MAX_LIST_ROWS // size + 1
        offset = (min(positive_int(request.GET.get("page"), 1), last_page) - 1) * size
        prepared = prepared_list(filterset)
        if prepared:
            records = prepared[0].rows(prepared[1], offset, size)
        else:
            records = disclosures_slice(filterset.qs, offset, offset + size)
    else:
        records = filterset.qs.iterator(chunk_size=CSV_CHUNK_ROWS)
    reading = Reading(detail_base_url=_detail_base_url(request))
    writer = csv.writer(_Echo())

    # The rows are streamed after the view has returned, when the request's language is no
    # longer active: they are written in it explicitly.
    language = translation.get_language()

    def rows() -> Iterator[str]:
        with translation.override(language):
            yield "\ufeff" + writer.writerow(_csv_header())
            for record in records:
                yield writer.writerow(_csv_row(record, reading))

    # One page (at most PUBLIC_MAX_PAGE_SIZE rows) is answered whole, so it can be cached;
    # the whole list is streamed.
    response = (
        HttpResponse("".join(rows()), content_type="text/csv; charset=utf-8")
        if paged
        else StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="disclosures-{stamp}.csv"'
    return response


class NewPublicationsFeed(Feed):
    """Anyone. An Atom feed of the latest publications on the list."""

    feed_type = Atom1Feed
    title = gettext_lazy("Tourism bad-record disclosure: new publications")
    subtitle = gettext_lazy("Records newly published on the public list.")

    def link(self) -> str:
        return reverse("publication:list")

    def items(self) -> list[BadRecord]:
        return list(disclosures().order_by("-public_from", "-id")[: settings.PUBLIC_FEED_ITEMS])

    def item_title(self, item: BadRecord) -> str:
        return f"{item.subject_name} ({item.ground})"

    reading: Reading

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One instance serves every request: each gets a copy with its own reading (labels
        # in the request's language, addresses on the request's host).
        feed = copy.copy(self)
        feed.reading = Reading(detail_base_url=_detail_base_url(request))
        return Feed.__call__(feed, request, *args, **kwargs)

    def item_description(self, item: BadRecord) -> str:
        # Every field people read, as on the detail page (the reader renders it as HTML).
        return format_html_join(
            "",
            "<p><strong>{}</strong>: {}</p>",
            ((spec.label, text) for spec, text in published_texts(item, self.reading)),
        )

    def item_link(self, item: BadRecord) -> str:
        return reverse("publication:detail", args=[item.reference])

    def item_guid(self, item: BadRecord) -> str:
        return f"{item.reference}-v{item.version}"

    def item_pubdate(self, item: BadRecord) -> datetime.datetime | None:
        return local_midnight(item.public_from) if item.public_from else None

    def item_updateddate(self, item: BadRecord) -> datetime.datetime:
        published = self.item_pubdate(item)
        return max(item.updated_at, published) if published else item.updated_at

    def item_author_name(self, item: BadRecord) -> str:
        return str(item.filing_bureau)


new_publications_feed = require_safe(list_conditional(NewPublicationsFeed()))


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """Anyone. The API's documentation in the site's frame: Swagger UI (served from our
    static files) draws /api/schema/ with static/api-docs.js."""
    return render(request, "publication/api_docs.html")
