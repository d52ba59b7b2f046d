"""Page-number pagination for the public pages, with a cached total counted up to a cap
and a cap on depth."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict

from publication.search import walks
from publication.selectors import count_cap, disclosures_slice, disclosures_total

if TYPE_CHECKING:
    from publication.prepared_lists import PreparedList


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
) -> Page:
    """A page of `queryset` by the `page` and `page_size` parameters; out-of-range numbers
    fall back to the nearest page rather than erring. With `prepared` (the filter's
    prepared queries and values: publication/prepared_lists.py) the queryset is not used."""
    size = min(positive_int(params.get("page_size"), settings.PUBLIC_PAGE_SIZE),
               settings.PUBLIC_MAX_PAGE_SIZE)  # fmt: skip
    # Counted exactly up to a cap, beyond that "10,000+" (count_cap): counting a whole
    # province's rows cost more than the page.
    searched = bool((params.get("q") or "").strip())
    cap = count_cap(searched=searched)
    count = (lambda: prepared[0].total(prepared[1])) if prepared else None
    # A walked search is counted along the list (see disclosures_total); one found through
    # an index is counted as the index finds its rows, stopping at the cap.
    in_order = searched and queryset is not None and walks(params.get("q", ""), queryset.db)
    total = disclosures_total(
        queryset, cache_key=cache_key, cap=cap, in_order=in_order, count=count
    )
    pages = max(1, math.ceil(total.count / size))
    number = min(positive_int(params.get("page"), 1), pages)
    offset = (number - 1) * size
    if prepared:
        rows = prepared[0].rows(prepared[1], offset, size)
    else:
        assert queryset is not None
        rows = list(disclosures_slice(queryset, offset, offset + size))
    return Page(
        rows, number, size, total.count, pages, capped=total.approximate,
        approximate=total.approximate,
    )  # fmt: skip
