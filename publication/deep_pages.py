"""Deep pages of the whole public list, started from a known place instead of counted out.

A page number is an offset: page 300 of fifty rows skips 14,950 entries of the list's order
before its first row, whatever index serves them (1.6 ms for 10,000). The whole list is
the same for every visitor until it changes, so the places of every thousandth row are
worth keeping: the row just before position 3,000 in the newest-first order is found once,
kept in the cache under the list's change stamp, and page 300 then starts right after it
with a row comparison the list's covering index answers, `(public_from, id) < (…, …)`,
skipping at most 999 entries.

The rows and their order are the OFFSET's own: the list's order is total (the id breaks
ties), so "after the row at position 2,999" is position 3,000. A change to any record or a
new day changes the stamp (publication.selectors.disclosures_last_modified), so a kept
place is never used for another state of the list than the one it was found in, save for
the stamp's own reuse of at most PUBLIC_STAMP_CACHE_SECONDS — as for the cached pages and
counts. Filtered lists are not kept: each filter's deep pages are seldom asked twice.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, F, Func, QuerySet

from publication.filters import SORTS
from publication.selectors import PreparedQuery, disclosures_last_modified, disclosures_slice

# How far apart the kept places are: a deep page skips fewer entries than this.
CHUNK = 1_000

# Values no row holds, standing for a kept place while the queries compile; the LIMIT and
# OFFSET are written into the SQL by Django and replaced as in prepared_lists.
_KEYS: dict[str, Any] = {
    "public_from": datetime.date(1003, 3, 3),
    "subject_name_key": "\u2063seek-key\u2063",
}
_ID = -7_000_000_003
_LIMIT, _OFFSET = 4_444_444, 8_888_888_001
_LIMIT_SQL = f"LIMIT {_LIMIT} OFFSET {_OFFSET}"
_ONE_SQL = f"LIMIT 1 OFFSET {_OFFSET}"


class RowAfter(Func):
    """`(key, id) > (%s, %s)` — or `<` for a descending order: the rows after a place in an
    order by (key, id), as one row comparison a two-column index answers directly."""

    output_field = BooleanField()

    def __init__(self, key: str, place: tuple[Any, int], *, descending: bool) -> None:
        super().__init__(F(key), F("pk"))
        self.place = place
        self.operator = "<" if descending else ">"

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        (key, key_params), (pk, pk_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        sql = f"({key}, {pk}) {self.operator} (%s, %s)"
        return sql, [*key_params, *pk_params, *self.place]


class DeepPages:
    """The whole list's page queries in one sort, started from kept places."""

    def __init__(self, queryset: QuerySet, sort: str, columns: tuple[str, ...]) -> None:
        first, tie = SORTS[sort]
        if tie.lstrip("-") != "id" or first.lstrip("-") not in _KEYS:
            raise ValueError(f"The sort {sort} is not by a key and the id.")
        self.sort = sort
        self.key = first.lstrip("-")
        self.db = queryset.db
        self.place = PreparedQuery(queryset.values_list(self.key, "pk")[_OFFSET : _OFFSET + 1], {})
        if self.place.sql.count(_ONE_SQL) != 1:
            raise ValueError("The place's LIMIT and OFFSET are not where they were expected.")
        after = queryset.filter(
            RowAfter(self.key, (_KEYS[self.key], _ID), descending=first.startswith("-"))
        )
        page = disclosures_slice(after, _OFFSET, _OFFSET + _LIMIT, values=columns)
        self.page = PreparedQuery(page, {"key": _KEYS[self.key], "id": _ID})
        if self.page.sql.count(_LIMIT_SQL) != 1:
            raise ValueError("The page's LIMIT and OFFSET are not where they were expected.")

    def page_sql(self, offset: int, limit: int) -> tuple[str, dict[str, Any]] | None:
        """The SQL and values of rows `offset` to `offset + limit` from the kept place before
        them, or None when the list does not reach that place (the page is empty)."""
        start = offset // CHUNK * CHUNK
        place = self._place(start)
        if place is None:
            return None
        sql = self.page.sql.replace(_LIMIT_SQL, f"LIMIT {int(limit)} OFFSET {offset - start}")
        return sql, {"key": place[0], "id": place[1]}

    def _place(self, start: int) -> tuple[Any, int] | None:
        """The key and id of the row just before position `start`, kept under the stamp."""
        stamp = disclosures_last_modified().isoformat()
        cache_key = f"list-place:{self.db}:{stamp}:{self.sort}:{start}"
        kept = cache.get(cache_key)
        if kept is None:
            sql = self.place.sql.replace(_ONE_SQL, f"LIMIT 1 OFFSET {int(start) - 1}")
            found = self.place.tuples({}, sql=sql)
            kept = tuple(found[0]) if found else ()
            cache.set(cache_key, kept, settings.PUBLIC_COUNT_CACHE_SECONDS)
        return kept or None
