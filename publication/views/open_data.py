"""Open data for anyone: the CSV export of the (filtered) list and the Atom feed of new
publications. Both read through publication.selectors, like the pages and the API."""

import csv
import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from publication.caching import list_conditional
from publication.filters import DisclosureFilter
from publication.pagination import positive_int
from publication.presenters import labels
from publication.selectors import disclosures, local_midnight
from records.models import BadRecord

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection);
# such cells get a leading apostrophe, which Excel and LibreOffice show as plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 2000


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_header() -> list[str]:
    return [
        _("Reference"), _("Name"), _("Operator or practitioner"), _("Sector or kind"),
        _("Licence number"), _("Practising certificate number"), _("Business address"),
        _("Legal representative"), _("Ground"), _("Ground description"),
        _("Cause (violation or accident)"), _("Administrative penalty decision"),
        _("Complaint-handling result"), _("Publication start"), _("Last day of publication"),
        _("Publishing bureau"), _("Region code"), _("Version"), _("Address on this portal"),
    ]  # fmt: skip


def _csv_row(record: BadRecord, base_url: str, names: dict, bureaus: dict) -> list[str]:
    bureau = bureaus.get(record.filing_bureau_id)
    if bureau is None:
        bureau = bureaus[record.filing_bureau_id] = str(record.filing_bureau)
    return [
        neutralise(value)
        for value in (
            record.reference, record.subject_name, names["subject_type"][record.subject_type],
            names["kind"].get(record.sector or record.practitioner_kind, ""),
            record.licence_no, record.certificate_no, record.business_address,
            record.legal_representative, record.ground, names["ground"][record.ground],
            record.cause, record.penalty_decision, record.complaint_result,
            record.public_from.isoformat(), record.public_until.isoformat(),
            bureau, record.filing_bureau.code, record.version,
            f"{base_url}{record.reference}",
        )
    ]  # fmt: skip


@require_GET
@list_conditional
def export_csv(request: HttpRequest) -> HttpResponse:
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
    queryset = filterset.qs
    paged = "page" in request.GET or "page_size" in request.GET
    if paged:
        size = min(
            positive_int(request.GET.get("page_size"), settings.PUBLIC_PAGE_SIZE),
            settings.PUBLIC_MAX_PAGE_SIZE,
        )
        # As deep as the list pages go; the whole list is the export without `page`.
        last_page = settings.PUBLIC_MAX_LIST_ROWS // size + 1
        offset = (min(positive_int(request.GET.get("page"), 1), last_page) - 1) * size
        queryset = queryset[offset : offset + size]
    base_url = request.build_absolute_uri(reverse("publication:detail", args=["X"]))[:-1]
    writer = csv.writer(_Echo())

    names: dict = labels()
    bureaus: dict[int, str] = {}

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(_csv_header())
        for record in queryset.iterator(chunk_size=CSV_CHUNK_ROWS):
            yield writer.writerow(_csv_row(record, base_url, names, bureaus))

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

    def item_description(self, item: BadRecord) -> str:
        return item.cause

    def item_link(self, item: BadRecord) -> str:
        return reverse("publication:detail", args=[item.reference])

    def item_guid(self, item: BadRecord) -> str:
        return f"{item.reference}-v{item.version}"

    def item_pubdate(self, item: BadRecord) -> datetime.datetime:
        return local_midnight(item.public_from)

    def item_updateddate(self, item: BadRecord) -> datetime.datetime:
        return max(item.updated_at, local_midnight(item.public_from))

    def item_author_name(self, item: BadRecord) -> str:
        return str(item.filing_bureau)


new_publications_feed = require_GET(list_conditional(NewPublicationsFeed()))
