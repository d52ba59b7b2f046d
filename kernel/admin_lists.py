"""Admin lists at national scale: a changelist counts at most a cap of rows (shown as
"10,000+" beyond it) and never counts the unfiltered list a second time, because on a
million rows each exact count is a scan of every row in the account's scope."""

from typing import Any

from django.conf import settings
from django.contrib.admin import ShowFacets
from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Counts the rows up to `cap` + 1: enough to draw the pages up to the cap and to know
    that more follow. `count_shown` is what the list shows ("10,000+" when capped)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        cap: int,
        keys_first: bool = False,
        **kwargs: Any,
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap
        self.keys_first = keys_first

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        """With `keys_first`, a page is found by its keys alone, then read by key: when an
        index holds the order and every filtered column (the audit list's), finding the
        keys reads only that index, and only the page's rows are read from the table, not
        every row skipped on the way to a deep page. One query more, whatever the page."""
        page = super().page(number)
        rows = self.object_list
        if (
            self.keys_first
            and isinstance(page.object_list, QuerySet)
            and isinstance(rows, QuerySet)
        ):
            keys = list(page.object_list.values_list("pk", flat=True))
            page.object_list = rows.filter(pk__in=keys)
        return page

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_shown(self) -> str:
        if self.capped:
            return f"{number_format(self.cap, force_grouping=True)}+"
        return str(self.count)


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> int | str:
    """The rows of `queryset` counted up to `cap` (ADMIN_LIST_COUNT_CAP): the exact number, or
    "10,000+" beyond the cap, as the capped lists show it. For dashboard tiles whose count
    would otherwise read every row of a national scope."""
    cap = settings.ADMIN_LIST_COUNT_CAP if cap is None else cap
    count = queryset.order_by()[: cap + 1].count()
    return f"{number_format(cap, force_grouping=True)}+" if count > cap else count


class CappedCountMixin:
    """For ModelAdmins of lists that grow with the country: a capped count, no second count
    of the whole list, no filter counts (facets, each a count of the list). The cap follows
    the page asked for, so a deep page typed into the address still opens."""

    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    # None: count up to ADMIN_LIST_COUNT_CAP. A list whose scope is checked row by row (the
    # audit trail) counts only to the next page: it shows "50+" and a link onward.
    list_count_cap: int | None = None
    # Find a page's keys first, then its rows (CappedCountPaginator.page): for a list whose
    # order and filters an index covers.
    list_page_keys_first = False

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> CappedCountPaginator:
        try:
            page = max(1, int(request.GET.get(PAGE_VAR, 1)))
        except ValueError:
            page = 1
        if self.list_count_cap is None:
            cap = max(settings.ADMIN_LIST_COUNT_CAP, page * per_page)
        else:
            cap = max(self.list_count_cap, page * per_page)
        return CappedCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            cap=cap,
            keys_first=self.list_page_keys_first,
        )
