"""The accountability report's figures, read with a fixed number of queries whatever the
size of the region: every figure is aggregated in SQL, grouped by the branch of the bureau
tree a record belongs to (a prefix of its filing bureau's path), never bureau by bureau.

Medians need the distribution, not just a sum: the database returns, per branch, how many
publications took 0, 1, 2 … working days (the working days were counted on the official
calendar when the record was published and stored with it), and the median is read from
that histogram here. The histogram has a few dozen rows per branch however many records
there are, and the same code runs on PostgreSQL and SQLite.

Publications of days before today never change: a reviewer can only start a publication
today or later, and whether it was late, and how many working days it took, is settled when
it is approved (records.services.bad_records.record_publish). So the publication figures of
the days up to yesterday are kept in the cache for the day, and only today's and the
scheduled ones are read each time.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse

from records.models import BadRecord, Bureau
from records.models.bad_records import PENDING_STATUSES, EndReason
from records.models.bureaus import BureauLevel
from supervision.accountability.periods import Period, month_period

# The late publications listed on the page; the XLSX export lists up to LATE_EXPORT_MAX.
LATE_LISTED = 20
LATE_EXPORT_MAX = 10_000
TREND_MONTHS = 12
# The key names the last closed day, so that a day's figures are never read the next day.
CLOSED_DAYS_CACHE_SECONDS = 24 * 3600
_PATH_STEP = 7  # one division code and its slash in Bureau.path


def median_of(histogram: Counter[int]) -> float | None:
    """The median of the values counted in `histogram` (value → how many)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # zero-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        while len(found) < 2 and middle[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


@dataclass
class Row:
    """One bureau's figures for the period: itself alone (`own`) or with every bureau below
    it (a rolled-up branch)."""

    bureau: Bureau
    own: bool = False
    filed: int = 0
    overdue_now: int = 0
    days: Counter[int] = field(default_factory=Counter)
    on_time: int = 0
    late: int = 0
    repaired: int = 0  # records taken off the list early after a credit repair

    @property
    def published(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.published if self.published else None

    @property
    def median_days(self) -> float | None:
        return median_of(self.days)

    @property
    def longest_days(self) -> int | None:
        return max(self.days) if self.days else None

    def add(self, other: "Row") -> None:
        self.filed += other.filed
        self.overdue_now += other.overdue_now
        self.on_time += other.on_time
        self.late += other.late
        self.repaired += other.repaired
        self.days.update(other.days)


@dataclass(frozen=True)
class MonthPoint:
    month: datetime.date
    on_time: int
    late: int

    @property
    def published(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.published if self.published else None


@dataclass
class Report:
    bureau: Bureau
    period: Period
    today: datetime.date
    own: Row
    branches: list[Row]
    total: Row
    late_records: list[BadRecord]
    trend: list[MonthPoint]

    @property
    def rows(self) -> list[Row]:
        """The bureau's own records first (when it filed any), then each bureau below it."""
        own = [self.own] if (self.own.filed or self.own.published or self.own.overdue_now) else []
        return own + self.branches

    @property
    def ranking(self) -> list[Row]:
        """The bureaus below, best on-time share first; those that published nothing last."""
        return sorted(
            self.branches,
            key=lambda row: (
                row.on_time_share is None,
                -(row.on_time_share or 0),
                -row.published,
                row.bureau.code,
            ),
        )


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), ZoneInfo(settings.TIME_ZONE))


def _in_region(bureau: Bureau) -> Q:
    if bureau.level == BureauLevel.NATIONAL:
        return Q()  # every record: no join to the bureaus needed for the filter
    return Q(filing_bureau__path__startswith=bureau.path)


def _branch_key(bureau: Bureau) -> Substr:
    """The path of the branch below `bureau` a record's filing bureau belongs to; the
    bureau's own path for records it filed itself."""
    return Substr("filing_bureau__path", 1, len(bureau.path) + _PATH_STEP)


Rows = list[tuple[Any, ...]]


def _closed_then_live(
    name: str,
    bureau: Bureau,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    read: Callable[[datetime.date, datetime.date], Rows],
) -> Rows:
    """`read(start, end)` of publication start dates, the days before today from the cache
    (they are settled: see the module's docstring), today and later from the database."""
    rows: Rows = []
    closed_end = min(end, today - datetime.timedelta(days=1))
    if start <= closed_end:
        key = f"accountability:{name}:{bureau.path}:{start}:{closed_end}"
        closed = cache.get(key)
        if closed is None:
            closed = read(start, closed_end)
            cache.set(key, closed, timeout=CLOSED_DAYS_CACHE_SECONDS)
        rows += closed
    live_start = max(start, today)
    if live_start <= end:
        rows += read(live_start, end)
    return rows


def accountability_report(*, bureau: Bureau, period: Period, today: datetime.date) -> Report:
    """The report of `bureau` and every bureau below it for `period`: at most ten queries
    (seven once the days before today are in the cache), whatever the size of the region."""
    children = list(Bureau.objects.filter(parent=bureau).order_by("code"))
    own = Row(bureau, own=True)
    rows = {bureau.path: own} | {child.path: Row(child) for child in children}
    total = Row(bureau)
    region = BadRecord.objects.filter(_in_region(bureau))
    key = _branch_key(bureau)

    def published_between(first: datetime.date, last: datetime.date) -> Rows:
        return list(
            region.filter(
                public_from__gte=first,
                public_from__lte=last,
                publication_working_days__isnull=False,
            )
            .annotate(branch=key)
            .values_list("branch", "is_late", "publication_working_days")
            .annotate(n=Count("*"))
            .order_by()
        )

    published = _closed_then_live(
        "published", bureau, period.start, period.end, today, published_between
    )
    for branch, is_late, days, n in published:
        for row in (rows.get(branch), total):
            if row is None:
                continue
            row.days[days] += n
            if is_late:
                row.late += n
            else:
                row.on_time += n

    def filed_between(first: datetime.date, last: datetime.date) -> Rows:
        return list(
            region.filter(
                created_at__gte=_day_start(first),
                created_at__lt=_day_start(last + datetime.timedelta(days=1)),
            )
            .annotate(branch=key)
            .values_list("branch")
            .annotate(n=Count("*"))
            .order_by()
        )

    # Records entered before today: read once a day too. Only deleting a draft that was never
    # submitted takes a record away again; it counts until the next day.
    filed = _closed_then_live("filed", bureau, period.start, period.end, today, filed_between)
    for branch, n in filed:
        for row in (rows.get(branch), total):
            if row is not None:
                row.filed += n

    overdue = (
        region.filter(status__in=sorted(PENDING_STATUSES), publish_deadline__lt=today)
        .annotate(branch=key)
        .values_list("branch")
        .annotate(n=Count("*"))
        .order_by()
    )
    for branch, n in overdue:
        for row in (rows.get(branch), total):
            if row is not None:
                row.overdue_now += n

    # Credit repairs approved in the period (the rights app ends the record early through
    # records.services.bad_records.record_end_early, which stamps the reason and the time).
    repaired = (
        region.filter(
            end_reason=EndReason.REPAIRED,
            ended_early_at__gte=_day_start(period.start),
            ended_early_at__lt=_day_start(period.end + datetime.timedelta(days=1)),
        )
        .annotate(branch=key)
        .values_list("branch")
        .annotate(n=Count("*"))
        .order_by()
    )
    for branch, n in repaired:
        for row in (rows.get(branch), total):
            if row is not None:
                row.repaired += n

    return Report(
        bureau=bureau,
        period=period,
        today=today,
        own=own,
        branches=[rows[child.path] for child in children],
        total=total,
        late_records=late_publications(bureau=bureau, period=period, limit=LATE_LISTED),
        trend=on_time_trend(bureau=bureau, today=today),
    )


def late_publications(*, bureau: Bureau, period: Period, limit: int) -> list[BadRecord]:
    """The region's late publications of the period, newest first, with the reviewer's
    reason; one query."""
    return list(
        BadRecord.objects.filter(
            _in_region(bureau),
            is_late=True,
            public_from__gte=period.start,
            public_from__lte=period.end,
        )
        .select_related("filing_bureau", "reviewed_by")
        .only(
            "id",
            "subject_name",
            "obtained_on",
            "publish_deadline",
            "public_from",
            "publication_working_days",
            "late_publication_reason",
            "status",
            "filing_bureau__name",
            "filing_bureau__code",
            "filing_bureau__level",
            "reviewed_by__username",
            "reviewed_by__first_name",
            "reviewed_by__last_name",
        )
        .order_by("-public_from", "-id")[:limit]
    )


def on_time_trend(*, bureau: Bureau, today: datetime.date) -> list[MonthPoint]:
    """Publications on time and late in each of the last twelve months (this one included);
    one query, two when the days before today are not in the cache yet."""
    months = [month_period(today.year, today.month).start]
    while len(months) < TREND_MONTHS:
        previous = months[-1] - datetime.timedelta(days=1)
        months.append(previous.replace(day=1))
    months.reverse()

    def months_between(first: datetime.date, last: datetime.date) -> Rows:
        return list(
            BadRecord.objects.filter(
                _in_region(bureau),
                public_from__gte=first,
                public_from__lte=last,
                publication_working_days__isnull=False,
            )
            .annotate(month=TruncMonth("public_from"))
            .values_list("month", "is_late")
            .annotate(n=Count("*"))
            .order_by()
        )

    end = month_period(today.year, today.month).end
    counts = _closed_then_live("trend", bureau, months[0], end, today, months_between)
    tally: dict[tuple[datetime.date, bool], int] = {}
    for month, is_late, n in counts:
        if isinstance(month, datetime.datetime):
            month = month.date()
        # The month of today comes in two parts: its days before today, and the others.
        tally[(month, bool(is_late))] = tally.get((month, bool(is_late)), 0) + n
    return [MonthPoint(m, tally.get((m, False), 0), tally.get((m, True), 0)) for m in months]


# Links to the staff record list, filtered to exactly what a figure counted.


def records_url(**params: str) -> str:
    return reverse("admin:records_badrecord_changelist") + "?" + urlencode(params)


def _scope(row: Row) -> dict[str, str]:
    return {"filed_by_bureau": row.bureau.code} if row.own else {"region": row.bureau.code}


def filed_url(row: Row, period: Period) -> str:
    return records_url(
        **_scope(row),
        created_at__date__gte=period.start.isoformat(),
        created_at__date__lte=period.end.isoformat(),
    )


def published_url(row: Row, period: Period, *, late: bool | None = None) -> str:
    params = _scope(row) | {
        "public_from__gte": period.start.isoformat(),
        "public_from__lte": period.end.isoformat(),
    }
    if late is not None:
        params["is_late__exact"] = "1" if late else "0"
    return records_url(**params)


def repaired_url(row: Row, period: Period) -> str:
    return records_url(
        **_scope(row),
        end_reason__exact=EndReason.REPAIRED.value,
        ended_early_at__date__gte=period.start.isoformat(),
        ended_early_at__date__lte=period.end.isoformat(),
    )


def overdue_url(row: Row) -> str:
    return records_url(**_scope(row), timeliness="overdue")
