"""The open-data API (read-only, anonymous): the public list, one record, and the change
feed for mirrors. One view per use case; all of them read through publication.selectors."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from publication.api.serializers import (
    ChangesQuerySerializer,
    ChangesSerializer,
    DisclosureSerializer,
)
from publication.filters import SORTS, DisclosureFilter
from publication.prepared_lists import PreparedList, prepared_list
from publication.selectors import (
    disclosure_get,
    disclosures_changed_since,
    disclosures_removed_since,
    disclosures_sliced_by_ids,
)
from records.models import BadRecord
from records.published_fields import PublishedRow

# The error answers, as DRF writes them.
FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="A parameter is wrong: each named parameter with its messages.",
)
NOT_FOUND = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    description="Not found: no such record on today's list, or a cursor this API did not give.",
)


class DisclosurePagination(CursorPagination):
    """Cursor pages stay stable while records are published: a mirror walking the list
    neither skips nor repeats rows because the list grew in between."""

    page_size_query_param = "page_size"

    def __init__(self) -> None:
        self.page_size = settings.PUBLIC_PAGE_SIZE
        self.max_page_size = settings.PUBLIC_MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        """The asked size, at most the largest; the default when not given or empty. Anything
        but a whole number of at least 1 is refused naming the parameter (DRF would quietly
        use the default, and a client would not learn that its parameter was wrong)."""
        default, largest = settings.PUBLIC_PAGE_SIZE, settings.PUBLIC_MAX_PAGE_SIZE
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return default
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise serializers.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(int(raw), largest)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = _(
                    "Results per page: %(default)s if not given, at most %(largest)s."
                ) % {"default": self.page_size, "largest": self.max_page_size}
        return parameters

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> tuple[str, ...]:
        return SORTS.get(request.query_params.get("sort") or "newest", SORTS["newest"])

    def paginate_queryset(
        self, queryset: QuerySet | Sequence, request: Request, view: APIView | None = None
    ) -> list | None:
        # A cursor is opaque but not signed: a crafted position ("p=abc" where a date is
        # expected, a number too large for the column) is an invalid cursor, not a crash.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError, DataError):
            raise NotFound(self.invalid_cursor_message) from None


@extend_schema_view(
    get=extend_schema(
        responses={200: DisclosureSerializer(many=True), 400: FIELD_ERRORS, 404: NOT_FOUND}
    )
)
class DisclosureListApi(generics.ListAPIView):
    """Anyone. Today's public list with the filters of the list page."""

    serializer_class = DisclosureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DisclosureFilter
    pagination_class = DisclosurePagination

    def get_queryset(self) -> QuerySet[BadRecord]:
        # The cursor pagination slices the filtered list: its page is found over ids first.
        return disclosures_sliced_by_ids()

    def filter_queryset(self, queryset: QuerySet[Any]) -> Any:
        """A first page (no cursor) of a valid filter is read by the list pages' prepared
        queries (publication/prepared_lists.py): the same rows in the same order, without
        building the ORM query for each request. A cursor's page, an invalid filter (refused
        by the filter backend, naming the parameter) and anything not prepared take the ORM."""
        if DisclosurePagination.cursor_query_param not in self.request.query_params:
            filterset = DisclosureFilter(self.request.query_params, queryset=queryset)
            if filterset.is_valid():
                prepared = prepared_list(filterset)
                if prepared is not None:
                    return _PreparedFirstPage(*prepared)
        return super().filter_queryset(queryset)


class _PreparedFirstPage:
    """A prepared list's first rows, as the cursor pagination asks for them: ordered by the
    request's sort (which the prepared queries already follow) and sliced from 0."""

    def __init__(self, prepared: PreparedList, values: dict[str, Any]) -> None:
        self.prepared, self.values = prepared, values

    def order_by(self, *fields: str) -> "_PreparedFirstPage":
        return self

    def __getitem__(self, k: slice) -> list[PublishedRow]:
        start = k.start or 0
        return self.prepared.rows(self.values, start, k.stop - start)


@extend_schema_view(get=extend_schema(responses={200: DisclosureSerializer, 404: NOT_FOUND}))
class DisclosureDetailApi(generics.RetrieveAPIView):
    """Anyone. One record of today's list by its reference; 404 for anything else."""

    serializer_class = DisclosureSerializer

    def get_object(self) -> BadRecord:
        record = disclosure_get(reference=self.kwargs["reference"])
        if record is None:
            raise Http404
        return record


class ChangesApi(APIView):
    """Anyone. What changed on the public list since a moment: records published, started
    or corrected (in full), and records withdrawn or ended (by reference only), so that
    mirrors can add, update and take down."""

    @extend_schema(
        parameters=[
            OpenApiParameter("changed_since", datetime.datetime, required=True),
        ],
        responses={200: ChangesSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data["changed_since"]
        now = timezone.now()
        if since > now:
            raise serializers.ValidationError(
                {"changed_since": [_("This moment is in the future.")]}
            )
        limit = settings.CHANGE_FEED_LIMIT
        updated, more = disclosures_changed_since(since=since, limit=limit)
        next_since: datetime.datetime | None = updated[-1].updated_at if more else None
        payload = {
            "as_of": now,
            "changed_since": since,
            "updated": updated,
            "more": more,
            "next_changed_since": next_since,
            # Removals are few and carry identifiers only: always all of them since `since`,
            # so a mirror that pages through updates with next_changed_since misses none.
            "removed": disclosures_removed_since(since=since),
        }
        return Response(ChangesSerializer(payload, context={"request": request}).data)
