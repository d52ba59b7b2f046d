"""Page-number pagination for the public pages, with a cached total counted up to a cap
and a cap on depth."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict

from publication.search import walks
from publication.selectors import Total, count_cap, disclosures_slice, disclosures_total

if TYPE_CHECKING:
    from publication.prepared_lists import CountedPage, PreparedList


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    size: int
    total: int
    pages: int
    capped: bool  # the list goes on beyond the last page that may be opened
    approximate: bool = False  # `total` is a lower bound: the list has more rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if number > 0 else default


def paginate(
    queryset: QuerySet | None,
    params: QueryDict,
    *,
    cache_key: str,
    prepared: "tuple[PreparedList, dict] | None" = None,
    values: tuple[str, ...] = (),
) -> Page:
    """A page of `queryset` by the `page` and `page_size` parameters; out-of-range numbers
    fall back to the nearest page rather than erring. With `prepared` (the filter's
    prepared queries and values: publication/prepared_lists.py) the queryset is not used.
    With `values`, the rows are those fields' values (as the prepared shape's)."""
    size = min(positive_int(params.get("page_size"), settings.PUBLIC_PAGE_SIZE),
               settings.PUBLIC_MAX_PAGE_SIZE)  # fmt: skip
    searched = bool((params.get("q") or "").strip())
    if prepared and prepared[0].counted is not None:
        return _counted_page(prepared[0].counted, prepared[1], params, size)

    def read(offset: int) -> list:
        if prepared:
            return prepared[0].rows(prepared[1], offset, size)
        assert queryset is not None
        return list(disclosures_slice(queryset, offset, offset + size, values=values))

    # A first page that is not full holds the whole list: its length is the total, and the
    # count is not run (a rare name, a county's ground: most searches and narrow filters).
    rows = read(0) if positive_int(params.get("page"), 1) == 1 else None
    if rows is not None and len(rows) < size:
        total = Total(len(rows), approximate=False)
    else:
        # Counted exactly up to a cap, beyond that "10,000+" (count_cap): counting a whole
        # province's rows cost more than the page. A walked search is counted along the list
        # (see disclosures_total); one found through an index is counted as the index finds
        # its rows, stopping at the cap.
        count = (lambda: prepared[0].total(prepared[1])) if prepared else None
        in_order = searched and queryset is not None and walks(params.get("q", ""), queryset.db)
        total = disclosures_total(
            queryset, cache_key=cache_key, cap=count_cap(searched=searched),
            in_order=in_order, count=count,
        )  # fmt: skip
    pages = max(1, math.ceil(total.count / size))
    number = min(positive_int(params.get("page"), 1), pages)
    if rows is None or number != 1:
        rows = read((number - 1) * size)
    return Page(
        rows, number, size, total.count, pages, capped=total.approximate,
        approximate=total.approximate,
    )  # fmt: skip


def _counted_page(counted: "CountedPage", values: dict, params: QueryDict, size: int) -> Page:
    """A searched list's page and total from one gathering of its matches (CountedPage),
    numbered and capped as `paginate` numbers and caps them."""
    cap = counted.cap
    # No page lies beyond the cap's last: asking for one reads that last page.
    asked = min(positive_int(params.get("page"), 1), max(1, math.ceil(cap / size)))
    rows, gathered = counted.rows(values, (asked - 1) * size, size)
    total = Total(cap, approximate=True) if gathered > cap else Total(gathered, False)
    pages = max(1, math.ceil(total.count / size))
    number = min(asked, pages)
    if number != asked:  # beyond the list's end
        rows, _gathered = counted.rows(values, (number - 1) * size, size)
    return Page(
        rows, number, size, total.count, pages, capped=total.approximate,
        approximate=total.approximate,
    )  # fmt: skip
