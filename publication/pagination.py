"""Page-number pagination for the public pages, with a cached total and a cap on depth."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict

from publication.selectors import disclosures_count


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    size: int
    total: int
    pages: int
    capped: bool  # the list goes on beyond the last page that may be opened

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


def paginate(queryset: QuerySet, params: QueryDict, *, cache_key: str) -> Page:
    """A page of `queryset` by the `page` and `page_size` parameters; out-of-range numbers
    fall back to the nearest page rather than erring."""
    size = min(positive_int(params.get("page_size"), settings.PUBLIC_PAGE_SIZE),
               settings.PUBLIC_MAX_PAGE_SIZE)  # fmt: skip
    total = disclosures_count(queryset, cache_key=cache_key)
    reachable = min(total, settings.PUBLIC_MAX_LIST_ROWS)
    pages = max(1, math.ceil(reachable / size))
    number = min(positive_int(params.get("page"), 1), pages)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size])
    return Page(rows, number, size, total, pages, capped=total > reachable)
