"""Pages of the public list for its filters, compiled to SQL once per shape of filter.

A citizen's filter (a region, a ground, a sector, dates, a sort) differs from the next
citizen's in its values, seldom in its shape: which filters are set and the sort. Building
and compiling the ORM's count and page queries cost about a millisecond a request, as much
as PostgreSQL takes to answer them. So each shape is built once per day and process —
through the filter set's own filters, from `disclosures()`, so the visibility rule and the
meaning of each filter stay where they are — with placeholder values, compiled, and then run
with the request's values in their slots. A region is passed as one array of its bureaus'
ids, however many they are.

A name search is prepared per plan (publication/search.py: a common term walked along the
list, a rare one found by its characters and pairs), the plan being part of the shape; a
term with spaces or punctuation, a licence or certificate number, and anything on SQLite
(which converts dates before they reach the query) take the ORM as before. Every prepared
query is the ORM's own query, so the rows, their order and the totals are the same; tests
compare the two on PostgreSQL for every shape.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models.sql.where import WhereNode
from django.utils import timezone

from publication import deep_pages
from publication.filters import DisclosureFilter
from publication.search import Plan, plan, planned_search
from publication.selectors import (
    OWN_COLUMNS,
    ROW_COLUMNS,
    PreparedQuery,
    count_cap,
    disclosures,
    disclosures_slice,
)

# Values no request can hold, each standing for one filter's value while the query compiles.
_TEXT = {name: f"\u2063{name}\u2063" for name in ("ground", "sector", "subject_type", "q", "grams")}
_DATES = {"published_from": datetime.date(1001, 1, 1), "published_to": datetime.date(1002, 2, 2)}
_REGION = -7_000_000_001
# The page's LIMIT and OFFSET are written into the SQL by Django: compiled with these, then
# replaced by the request's (whole numbers, never text from the request).
_LIMIT, _OFFSET = 3_333_333, 7_777_777_001
_LIMIT_SQL = f"LIMIT {_LIMIT} OFFSET {_OFFSET}"
# Stands for the page's ids while CountedPage's read compiles.
_ID_MARK = -7_000_000_002
_FILTERS = ("region", "ground", "sector", "subject_type", "published_from", "published_to")


@dataclass(frozen=True)
class _Shape:
    day: datetime.date
    using: str
    present: tuple[str, ...]
    sort: str
    cap: int
    search: str = ""  # the search's plan ("walk" or "pairs"), "" without a search
    rows_only: bool = False  # the table's rows as ROW_COLUMNS' values, not records


class PreparedList:
    """The count and page queries of one shape of filter, compiled once."""

    def __init__(self, shape: _Shape) -> None:
        values: dict[str, Any] = {}
        for name in shape.present:
            if name == "region":
                values[name] = [_REGION]
            else:
                values[name] = _TEXT.get(name) or _DATES[name]
        searched = None
        if shape.search:
            values["q"] = _TEXT["q"]
            if shape.search == "pairs":
                values["grams"] = _TEXT["grams"]
            searched = Plan(shape.search, _TEXT["q"], values.get("grams", ""))
        queryset = _filtered(values, shape.sort, shape.using, shape.day, searched)
        self.rows_only = shape.rows_only
        if not shape.rows_only:  # PublishedRows, their bureaus from the held ones
            queryset = queryset.select_related(None).only(*OWN_COLUMNS)
        placeholders = {name: v[0] if name == "region" else v for name, v in values.items()}
        # A walked search is counted along the list's order (see disclosures_total).
        counted = queryset if shape.search == "walk" else queryset.order_by()
        counted = counted.values("pk")[: shape.cap + 1]
        self.count = PreparedQuery(counted, placeholders, wrap="SELECT COUNT(*) FROM ({}) s")
        columns = ROW_COLUMNS if shape.rows_only else ()
        page = disclosures_slice(queryset, _OFFSET, _OFFSET + _LIMIT, values=columns)
        self.page = PreparedQuery(page, placeholders)
        if self.page.sql.count(_LIMIT_SQL) != 1:
            raise ValueError("The page's LIMIT and OFFSET are not where they were expected.")
        # A searched table of rows (the list page) takes its page and its count from one
        # gathering of the matches (CountedPage).
        self.counted = None
        if shape.search and shape.rows_only:
            self.counted = CountedPage(queryset, placeholders, columns, cap=shape.cap)
        # The whole list's deep pages start from kept places (publication/deep_pages.py).
        self.deep = None
        if not shape.present and not shape.search:
            self.deep = deep_pages.DeepPages(queryset, shape.sort, columns)
        if "region" in values:
            _region_as_array(self.count)
            _region_as_array(self.page)
            if self.counted is not None:
                _region_as_array(self.counted.matches)

    def total(self, values: dict[str, Any]) -> int:
        return self.count.scalar(values)

    def rows(self, values: dict[str, Any], offset: int, limit: int) -> list[Any]:
        """The page's PublishedRows, or ROW_COLUMNS' values for a `rows_only` shape."""
        query = self.page
        if self.deep is not None and offset >= deep_pages.CHUNK:
            started = self.deep.page_sql(offset, limit)
            if started is None:  # the list ends before the page's kept place
                return []
            sql, place = started
            query, values = self.deep.page, {**values, **place}
        else:
            sql = self.page.sql.replace(_LIMIT_SQL, f"LIMIT {int(limit)} OFFSET {int(offset)}")
        if self.rows_only:
            return query.tuples(values, sql=sql)
        return query.published_rows(values, sql=sql)


class CountedPage:
    """A searched list's page and its total from one statement: the matches' ids in the
    list's order, as far as the capped count or the page reaches, are gathered once; the
    total is how many were gathered and the page is read by its slice of them.

    Asked as two statements (the page, then the capped count), a search gathers its
    matches twice: through the index of characters and pairs, or by walking the list to
    its twentieth and then to its capped count's match. Only for a search: a filter's
    count up to PUBLIC_MAX_LIST_ROWS is cheaper unordered than in the list's order."""

    _IDS_IN = '"records_badrecord"."id" IN (%s)'
    _IDS_LIMIT = f"LIMIT {_LIMIT}"

    def __init__(
        self, queryset: Any, placeholders: dict[str, Any], columns: tuple, *, cap: int
    ) -> None:
        self.cap = cap
        self.matches = PreparedQuery(queryset.values("pk")[:_LIMIT], placeholders)
        if self.matches.sql.count(self._IDS_LIMIT) != 1:
            raise ValueError("The matches' LIMIT is not where it was expected.")
        read = queryset.all()
        read.query.where = WhereNode()
        self.read = PreparedQuery(
            read.filter(pk__in=[_ID_MARK]).values_list(*columns), {"ids": _ID_MARK}
        )
        if self.read.sql.count(self._IDS_IN) != 1 or self.read.params != [_ID_MARK]:
            raise ValueError("The page's ids are not where they were expected.")

    def sql(self, offset: int, limit: int) -> str:
        # LIMIT and the slice are whole numbers computed here, never text from the request;
        # the matches reach as far as the page does when the page lies beyond the cap + 1.
        reach = max(self.cap + 1, offset + limit)
        matches = self.matches.sql.replace(self._IDS_LIMIT, f"LIMIT {int(reach)}")
        window = f"[{int(offset) + 1}:{int(offset) + int(limit)}]"
        page_ids = f'"records_badrecord"."id" = ANY((SELECT ids FROM matches){window})'  # noqa: S608 - whole numbers
        read = self.read.sql.replace(self._IDS_IN, page_ids)
        # The page's rows in the order of the gathered ids (the list's order); with none in
        # the window, one row carries the count alone (the LEFT JOIN).
        return (
            f"WITH matches AS MATERIALIZED (SELECT ARRAY({matches}) AS ids) "  # noqa: S608 - compiled SQL
            "SELECT counted.n, page.* FROM (SELECT cardinality(ids) AS n FROM matches) counted "
            f"LEFT JOIN LATERAL ({read}) page ON TRUE "
            "ORDER BY array_position((SELECT ids FROM matches), page.id)"
        )

    def rows(self, values: dict[str, Any], offset: int, limit: int) -> tuple[list, int]:
        """The page's ROW_COLUMNS values and how many matches were gathered (the cap + 1 at
        most, unless the page reaches further)."""
        with connections[self.matches.db].cursor() as cursor:
            cursor.execute(self.sql(offset, limit), self.matches.params_for(values))
            fetched = cursor.fetchall()
        gathered = fetched[0][0]
        found = [row[1:] for row in fetched if row[1] is not None]
        return [tuple(r) for r in self.read.compiler.results_iter([found])], gathered


_REGION_IN = re.compile(r'("filing_bureau_id") IN \(%s\)')


def _region_as_array(query: PreparedQuery) -> None:
    """The region's bureaus as one array parameter (`= ANY(%s)`, what PostgreSQL makes of
    an IN list anyway), so that one compiled query serves a county and a province alike."""
    sql, replaced = _REGION_IN.subn(r"\1 = ANY(%s)", query.sql)
    if replaced != len(query.slots["region"]):
        raise ValueError("The region's condition is not where it was expected.")
    query.sql = sql


def _filtered(
    values: dict[str, Any], sort: str, using: str, day: datetime.date, searched: Plan | None
):
    """The queryset DisclosureFilter.qs builds for these cleaned values and search plan."""
    filterset = DisclosureFilter(None, queryset=disclosures(on=day).using(using))
    queryset = filterset.queryset
    if searched is not None:
        queryset = planned_search(queryset, searched)
    for name in _FILTERS:
        if name in values:
            queryset = filterset.filters[name].filter(queryset, values[name])
    return filterset.filters["sort"].filter(queryset, sort)


_PREPARED: dict[_Shape, PreparedList | None] = {}
# Shapes are few: which of 6 filters are set × 3 sorts × 3 ways of searching (576 a day);
# kept per day and database.
_MAX_SHAPES = 2_000


def prepared_list(
    filterset: DisclosureFilter, *, rows_only: bool = False
) -> tuple[PreparedList, dict] | None:
    """The prepared queries and the request's values for a valid filter on PostgreSQL, its
    total counted up to `count_cap`; None when the request is to take the ORM. With
    `rows_only`, a page is ROW_COLUMNS' values (the HTML table's), not PublishedRows."""
    cleaned = getattr(filterset.form, "cleaned_data", None)
    using = filterset.queryset.db
    if cleaned is None or connections[using].vendor != "postgresql":
        return None
    values = {name: cleaned[name] for name in _FILTERS if cleaned.get(name) not in (None, "", [])}
    way = ""
    if cleaned.get("q"):
        planned = plan(cleaned["q"], using)
        if planned is None or planned.way not in ("walk", "pairs"):
            return None
        way = planned.way
        values["q"] = planned.key
        if way == "pairs":
            values["grams"] = planned.grams
    shape = _Shape(
        day=timezone.localdate(),
        using=using,
        present=tuple(name for name in values if name in _FILTERS),
        sort=cleaned.get("sort") or "newest",
        cap=count_cap(searched=bool(way)),
        search=way,
        rows_only=rows_only,
    )
    if shape not in _PREPARED:
        if len(_PREPARED) >= _MAX_SHAPES:
            _PREPARED.clear()
        try:
            _PREPARED[shape] = PreparedList(shape)
        except ValueError:
            _PREPARED[shape] = None  # a query this module cannot fill: take the ORM
    prepared = _PREPARED[shape]
    return None if prepared is None else (prepared, values)
