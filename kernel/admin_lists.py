"""Admin lists at national scale: a changelist counts at most a cap of rows (shown as
"10,000+" beyond it) and never counts the unfiltered list a second time, because on a
million rows each exact count is a scan of every row in the account's scope."""

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.admin import ShowFacets
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Choices, QuerySet
from django.http import HttpRequest
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import get_language

# The most keys of a search's matches held between its count and its page.
MATCHES_HELD_MAX = 2_000


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
        hold_matches: bool = False,
        page_keys: Callable[[QuerySet[Any], int, int], list[Any]] | None = None,
        counted: Callable[[QuerySet[Any], int], int] | None = None,
        **kwargs: Any,
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap
        self.keys_first = keys_first
        self.page_keys = page_keys
        self.counted = counted
        self.hold_matches = hold_matches and self._can_hold(cap + 1)
        self._matches: list[Any] = []

    def _can_hold(self, keys: int) -> bool:
        """Whether `keys` primary keys fit in one query's parameters (SQLite: 999)."""
        if not isinstance(self.object_list, QuerySet):
            return False
        limit = connections[self.object_list.db].features.max_query_params
        return keys <= min(MATCHES_HELD_MAX, limit - 100 if limit else MATCHES_HELD_MAX)

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        if self.counted is not None:
            return self.counted(self.object_list, self.cap + 1)
        rows = self.object_list.order_by()[: self.cap + 1]
        if self.hold_matches:
            # A search's matches are found once: their keys, counted here, are what the page
            # is drawn from (page below), instead of searching a second time for the page.
            self._matches = list(rows.values_list("pk", flat=True))
            return len(self._matches)
        return rows.count()

    def page(self, number: Any) -> Any:
        """The page's rows found over their ids first, then read in full: on PostgreSQL the
        ids come from an index that carries the filtered columns (an index-only walk), and
        only the page's rows are read from the table. Django's plain OFFSET would read every
        row it passes over — for a rare filter over a province, hundreds of thousands."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and rows.ordered and not rows.query.is_sliced:
            if self.keys_first:
                # The keys read in a query of their own (one more query, whatever the page):
                # for the audit list PostgreSQL plans the key walk alone better than inside
                # the page's query. A list may say how (page_keys).
                keys: Any = (
                    self.page_keys(rows, bottom, top)
                    if self.page_keys is not None
                    else list(rows.values_list("pk", flat=True)[bottom:top])
                )
            else:
                keys = rows.values("pk")[bottom:top]
            rows = rows.filter(pk__in=keys)
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def matches(self) -> list[Any] | None:
        """The keys of every row of the list, when the count held them all (a search that
        found no more than the cap); None otherwise."""
        if self.hold_matches and not self.capped:
            return self._matches
        return None

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


@functools.cache
def _labels(choices: type[Choices], language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[Choices], value: str) -> str:
    """The label of a choice in the current language, translated once per process and
    language: `get_FOO_display()` translates every label of the field's choices on each call,
    which a list of 50 rows pays 50 times."""
    return _labels(choices, get_language()).get(value, value)


class OneReverseChangeList(ChangeList):
    """Django's changelist, with each row's link built from one `reverse()` per page instead
    of one per row (a reverse costs about a tenth of a millisecond; a national list page has
    50 to 100 rows)."""

    _PK_MARK = "__pk__"

    def url_for_result(self, result: Any) -> str:
        prefix = getattr(self, "_change_url_pattern", None)
        if prefix is None:
            prefix = self._change_url_pattern = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self._PK_MARK,),
                current_app=self.model_admin.admin_site.name,
            )
        return prefix.replace(self._PK_MARK, str(quote(getattr(result, self.pk_attname))), 1)

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        matches = getattr(self.paginator, "matches", None)
        if matches is None:
            return
        # A search whose every match the count held: the rows shown are read by those keys
        # from the account's list (get_queryset), in the list's order, without the search's
        # conditions — the index behind a LIKE is not read a second time for the page.
        rows = self.apply_select_related(self.root_queryset.filter(pk__in=matches)).order_by(
            *self.queryset.query.order_by
        )
        if (self.show_all and self.can_show_all) or not self.multi_page:
            self.result_list = rows
        else:
            number = self.paginator.validate_number(self.page_num)
            bottom = (number - 1) * self.paginator.per_page
            self.result_list = rows[bottom : bottom + self.paginator.per_page]


class CappedCountMixin:
    """For ModelAdmins of lists that grow with the country: a capped count, no second count
    of the whole list, no filter counts (facets, each a count of the list). The cap follows
    the page asked for, so a deep page typed into the address still opens."""

    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    # Half of Django's 100: rendering a row costs more than finding it, and a staff screen
    # pages through a filtered list rather than reading a hundred rows at once.
    list_per_page: ClassVar[int] = 50
    # None: count up to ADMIN_LIST_COUNT_CAP. A list whose scope is checked row by row (the
    # audit trail) counts only to the next page: it shows "50+" and a link onward.
    list_count_cap: int | None = None
    # Find a page's keys first, then its rows (CappedCountPaginator.page): for a list whose
    # order and filters an index covers.
    list_page_keys_first = False

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return OneReverseChangeList

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """The list's own template, its rows written by kernel.admin_rows (the same markup
        as Django's, at a fraction of the cost)."""
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if (
            isinstance(response, TemplateResponse)
            and not response.is_rendered
            and response.context_data is not None
        ):
            names: Any = response.template_name
            base = select_template([names] if isinstance(names, str) else list(names))
            response.context_data["capped_list_base"] = base
            response.template_name = "admin/capped_change_list.html"
        return response

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
            # A search counts less far: a common phrase (国际旅行社) matches tens of thousands
            # of records spread over the whole table, each counted one read at a time, and a
            # search that finds more than a thousand is refined, not paged through.
            searched = bool(request.GET.get(SEARCH_VAR, "").strip())
            limit = settings.ADMIN_SEARCH_COUNT_CAP if searched else settings.ADMIN_LIST_COUNT_CAP
            cap = max(limit, page * per_page)
        else:
            searched = False
            cap = max(self.list_count_cap, page * per_page)
        return CappedCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            cap=cap,
            keys_first=self.list_page_keys_first,
            hold_matches=searched,
            page_keys=self.list_page_keys(request),
            counted=self.list_counted(request),
        )

    def list_page_keys(
        self, request: HttpRequest
    ) -> Callable[[QuerySet[Any], int, int], list[Any]] | None:
        """How a page's keys are found (rows, bottom, top → keys in the list's order), for
        a list with `list_page_keys_first`; None: by slicing the list's keys."""
        return None

    def list_counted(self, request: HttpRequest) -> Callable[[QuerySet[Any], int], int] | None:
        """How the rows are counted up to a limit (rows, limit → at most limit); None: by a
        count of the list limited to it."""
        return None
