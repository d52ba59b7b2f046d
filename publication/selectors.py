"""Reads of the public list. Every public page, API view, export and feed starts from
`disclosures()`, which starts from `BadRecord.objects.public()`: nothing else is public."""

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.where import WhereNode
from django.urls import reverse
from django.utils import timezone, translation

from kernel.id_arrays import pk_in_ids
from kernel.identifiers import lookup_key
from records.models import BadRecord, Bureau, RecordStatus
from records.models.bad_records import BadRecordQuerySet, reference_of
from records.models.bureaus import BureauLevel
from records.published_fields import PublishedRow, published_columns

# Exactly the published fields (records.published_fields) plus what the detail page needs
# for the region trail and the "objection being handled" flag (OBJECTION_FLAG_PUBLIC).
T = TypeVar("T")

LOADED_COLUMNS = (*published_columns(), "filing_bureau__path", "objection_open")
# A record's own published columns, its bureau's id and its name key (the API's cursor
# for the sort by name is made of it): the API list's and the CSV's pages read these as
# PublishedRows and take the bureau from bureaus_by_id().
OWN_COLUMNS = (
    *(c for c in LOADED_COLUMNS if "__" not in c), "filing_bureau", "subject_name_key",
)  # fmt: skip
# What a row of the public tables shows, in the order publication.presenters.listed_rows
# unpacks it; the bureau's name comes from bureaus_by_id(), not from a join per page.
ROW_COLUMNS = (
    "id", "subject_name", "sector", "practitioner_kind", "licence_no", "certificate_no",
    "ground", "public_from", "public_until", "filing_bureau_id",
)  # fmt: skip
REFERENCE_RE = re.compile(r"^TR(\d{8,})$")
BIGGEST_ID = 2**63 - 1  # BadRecord's id is a 64-bit integer


def disclosures(*, on: datetime.date | None = None) -> QuerySet[BadRecord]:
    """The records on the public list today, with their published fields only. Built once
    per day and process and handed out as copies (building its conditions took 0.08 ms a
    request, copying them 0.005); the copy is the caller's to narrow or evaluate."""
    day = on or timezone.localdate()
    base = _DISCLOSURES.get(day)
    if base is None:
        if len(_DISCLOSURES) > 4:  # days gone by (and a test's travels in time)
            _DISCLOSURES.clear()
        base = _DISCLOSURES[day] = (
            BadRecord.objects.public(on=day).select_related("filing_bureau").only(*LOADED_COLUMNS)
        )
    return base.all()


# Never evaluated itself: disclosures() returns copies.
_DISCLOSURES: dict[datetime.date, QuerySet[BadRecord]] = {}


class PreparedQuery:
    """A public-list query that differs between requests by a few values only, compiled to
    SQL once: building and compiling the ORM query costs as much as PostgreSQL takes to run
    it. The query is the ORM's own (from disclosures(), so the visibility rule stays in
    BadRecord.objects.public()); each placeholder value given at compile time marks the
    parameters that a request's value replaces; the rows become model instances as the ORM
    makes them (converters, select_related bureau)."""

    def __init__(
        self, queryset: QuerySet, placeholders: dict[str, object], *, wrap: str = "{}"
    ) -> None:
        self.db = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.db)
        sql, params = self.compiler.as_sql()
        self.sql = wrap.replace("{}", sql)
        self.params = list(params)
        self.slots = {
            key: [i for i, p in enumerate(self.params) if type(p) is type(ph) and p == ph]
            for key, ph in placeholders.items()
        }
        if not all(self.slots.values()):
            raise ValueError("A placeholder is not among the query's parameters.")
        info = self.compiler.klass_info
        if info is not None:  # a query of model rows, not of values
            fields = info["select_fields"]
            self.own = slice(fields[0], fields[-1] + 1)
            self.attnames = [s[0].target.attname for s in self.compiler.select[self.own]]
            if "filing_bureau_id" in self.attnames:
                self._bureau_at = self.attnames.index("filing_bureau_id")
            # django-stubs describes a later Django, whose populators also take a fetch mode.
            self.populators = get_related_populators(info, self.compiler.select, self.db)  # type: ignore[call-arg]

    def params_for(self, values: dict[str, object]) -> list[Any]:
        """The compiled parameters with the request's values in their slots."""
        params = list(self.params)
        for key, slots in self.slots.items():
            for slot in slots:
                params[slot] = values[key]
        return params

    def scalar(self, values: dict[str, object]) -> Any:
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, self.params_for(values))
            return cursor.fetchone()[0]

    def tuples(self, values: dict[str, object], *, sql: str | None = None) -> list[tuple]:
        """The rows of a `values_list` query, converted as the ORM converts them."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql or self.sql, self.params_for(values))
            fetched = cursor.fetchall()
        return [tuple(row) for row in self.compiler.results_iter([fetched])]

    def published_rows(self, values: dict[str, object], *, sql: str) -> list[PublishedRow]:
        """The rows of a query of a record's own columns (no related ones), each with its
        bureau from bureaus_by_id()."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, self.params_for(values))
            fetched = cursor.fetchall()
        held = bureaus_by_id()
        rows = []
        for row in self.compiler.results_iter([fetched]):
            row = row[self.own]
            bureau_id = row[self._bureau_at]
            if bureau_id not in held:  # a bureau created since the bureaus were read
                held = bureaus_by_id(fresh=True)
            rows.append(PublishedRow(self.attnames, row, held[bureau_id]))
        return rows

    def records(self, values: dict[str, object], *, sql: str | None = None) -> list[BadRecord]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql or self.sql, self.params_for(values))
            fetched = cursor.fetchall()
        records = []
        for row in self.compiler.results_iter([fetched]):
            record = BadRecord.from_db(self.db, self.attnames, row[self.own])
            for populator in self.populators:
                populator.populate(row, record)
            records.append(record)
        return records


# One compiled lookup per name, database and day (the day is a parameter of public()).
_PREPARED: dict[tuple[str, str], tuple[datetime.date, PreparedQuery]] = {}
_ID_PLACEHOLDER = -1_234_567_891
_KEY_PLACEHOLDER = "\u2063prepared-lookup-key\u2063"


def _prepared(name: str, using: str = "default") -> PreparedQuery:
    day = timezone.localdate()
    stored = _PREPARED.get((name, using))
    if stored is None or stored[0] != day:
        queryset = disclosures(on=day).using(using)
        if name == "by-id":
            lookup = PreparedQuery(queryset.filter(pk=_ID_PLACEHOLDER)[:1], {"v": _ID_PLACEHOLDER})
        else:  # by-number
            condition = Q(identifier_key=_KEY_PLACEHOLDER) | Q(credit_code=_KEY_PLACEHOLDER)
            lookup = PreparedQuery(queryset.filter(condition)[:20], {"v": _KEY_PLACEHOLDER})
        stored = _PREPARED[(name, using)] = (day, lookup)
    return stored[1]


def disclosure_get(*, reference: str) -> BadRecord | None:
    """One record of the public list by its reference (TR00000123), or None: a record that
    is not public today is not found, whatever the reason."""
    match = REFERENCE_RE.match((reference or "").strip().upper())
    if not match:
        return None
    pk = int(match.group(1))
    if pk > BIGGEST_ID:
        return None  # no such row; PostgreSQL would refuse the number
    found = _prepared("by-id").records({"v": pk})
    return found[0] if found else None


def disclosures_for_number(*, number: str) -> list[BadRecord]:
    """The records of the public list for a licence or certificate number as typed."""
    key = lookup_key(number)[:40]
    if not key:
        return []
    return _prepared("by-number").records({"v": key})


def disclosures_last_modified() -> datetime.datetime:
    """When the public list last changed: the latest change to any record, or the start of
    today (China Standard Time), when ended records drop off and scheduled ones start. The
    database is asked at most once per PUBLIC_STAMP_CACHE_SECONDS per process."""
    reuse = settings.PUBLIC_STAMP_CACHE_SECONDS
    latest = cache.get("disclosures-latest-change") if reuse else None
    if latest is None:
        latest = BadRecord.objects.aggregate(latest=Max("updated_at"))["latest"]
        if latest and settings.PUBLIC_STAMP_CACHE_SECONDS:
            cache.set("disclosures-latest-change", latest, settings.PUBLIC_STAMP_CACHE_SECONDS)
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    return max(latest, midnight) if latest else midnight


def disclosures_count(queryset: QuerySet[BadRecord], *, cache_key: str) -> int:
    """The number of rows of a filtered public list, cached: counting 300,000 rows on every
    page view costs more than the page itself. Keyed by the list's change stamp (a change to
    any record, or a new day), so a page never shows rows and a count that disagree."""
    key = f"disclosures-count:{disclosures_last_modified().isoformat()}:{cache_key}"
    count = cache.get(key)
    if count is None:
        count = queryset.order_by().count()
        cache.set(key, count, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return count


@dataclass(frozen=True)
class Total:
    """The number of rows of a list, exact up to a cap: `approximate` means "more than
    `count`" (the page shows "10,000+")."""

    count: int
    approximate: bool


def count_cap(*, searched: bool) -> int:
    """How far a filtered list's total is counted exactly (beyond it: "10,000+"): as deep as
    the pages open; a name search less far (PUBLIC_SEARCH_COUNT_CAP): a common short term
    (国际, 张) matches tens of thousands of records, and a citizen refines such a search
    rather than paging through it."""
    return settings.PUBLIC_SEARCH_COUNT_CAP if searched else settings.PUBLIC_MAX_LIST_ROWS


def disclosures_total(
    queryset: QuerySet[BadRecord] | None,
    *,
    cache_key: str,
    cap: int,
    in_order: bool = False,
    count: Callable[[], int] | None = None,
) -> Total:
    """The number of rows of a filtered public list, counted only up to `cap` + 1 rows: a
    citizen's filter or search that matches a whole province would otherwise count a hundred
    thousand rows for a figure nobody reads exactly. Cached like disclosures_count.
    `in_order` counts the first rows in the list's order: a common name walked along the
    list (publication/search.py) is then counted along the newest-first index, over which
    its matches are spread evenly, rather than along the index by bureau, where a name
    common in one region only (傣) may lie beyond a hundred thousand entries. `count`, if
    given, counts the first `cap` + 1 rows instead (a prepared query)."""
    key = f"disclosures-total:{disclosures_last_modified().isoformat()}:{cap}:{cache_key}"
    counted = cache.get(key)
    if counted is None:
        if count is not None:
            counted = count()
        else:
            assert queryset is not None
            counted = (queryset if in_order else queryset.order_by())[: cap + 1].count()
        cache.set(key, counted, settings.PUBLIC_COUNT_CACHE_SECONDS)
    if counted > cap:
        return Total(cap, approximate=True)
    return Total(counted, approximate=False)


class SlicedByIds(BadRecordQuerySet):
    """A queryset whose slices of full rows are read as disclosures_slice reads them: for
    code that slices a queryset it is handed (the API's cursor pagination)."""

    def __getitem__(self, k):
        if (
            isinstance(k, slice)
            and self._iterable_class is ModelIterable
            and k.stop is not None
            and k.step is None
            and not self.query.is_sliced
        ):
            return disclosures_slice(self, k.start or 0, k.stop)
        return super().__getitem__(k)


def disclosures_sliced_by_ids() -> QuerySet[BadRecord]:
    """disclosures(), sliced by ids first (see SlicedByIds)."""
    queryset = disclosures()
    return SlicedByIds(model=BadRecord, query=queryset.query, using=queryset.db)


def disclosures_slice(
    queryset: QuerySet[BadRecord], start: int, stop: int, *, values: tuple[str, ...] = ()
) -> QuerySet[Any]:
    """Rows `start` to `stop` of an ordered list, in its order. The positions are found
    first over ids only — on PostgreSQL an index-only scan of the public list's covering
    index, however deep the page or narrow the filter — and only the page's rows are read in
    full: a plain OFFSET reads every skipped row from the table. The rows are read by those
    ids alone, in the same statement (so by the same snapshot): repeating the list's own
    conditions would run a search's gathering of ids a second time."""
    ids = queryset.values("pk")[start:stop]
    rows = queryset.all()
    rows.query.where = WhereNode()
    rows = rows.filter(pk_in_ids(ids, queryset.db))
    # With `values`, the rows as those fields' values, asked of this final read only: a
    # related table's field there would join it for every position skipped and row counted.
    return rows.values_list(*values) if values else rows


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _first_day_at_or_after(moment: datetime.datetime) -> datetime.date:
    local = timezone.localtime(moment)
    day = local.date()
    return day if local.time() == datetime.time.min else day + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Removal:
    reference: str
    reason: str  # "withdrawn", "ended" or "repaired" (ended early by a credit repair)
    removed_at: datetime.datetime


def disclosures_changed_since(
    *, since: datetime.datetime, limit: int
) -> tuple[list[BadRecord], bool]:
    """Records of today's list that were published, started or corrected at or after
    `since`, oldest change first; and whether there are more than `limit`."""
    started_day = _first_day_at_or_after(since)
    rows = list(
        disclosures()
        .filter(Q(updated_at__gte=since) | Q(public_from__gte=started_day))
        .order_by("updated_at", "id")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def disclosures_removed_since(*, since: datetime.datetime) -> list[Removal]:
    """Records that left the public list at or after `since`: withdrawn ones, and ended ones
    (a record ends at midnight China Standard Time after its last public day, whether or not
    the expiry task has archived it yet). Identifiers only."""
    today = timezone.localdate()
    # A record ends at local_midnight(public_until + 1 day); that moment is >= since when
    # public_until >= first_day_at_or_after(since) - 1 day.
    ended_from = _first_day_at_or_after(since) - datetime.timedelta(days=1)
    ended = (
        BadRecord.objects.filter(
            status__in=[RecordStatus.PUBLISHED, RecordStatus.ARCHIVED],
            public_until__gte=ended_from,
            public_until__lt=today,
            ended_early_at=None,
        )
        .order_by("public_until", "id")
        .values_list("id", "public_until")
    )
    withdrawn = (
        BadRecord.objects.filter(status=RecordStatus.WITHDRAWN, withdrawn_at__gte=since)
        .order_by("withdrawn_at", "id")
        .values_list("id", "withdrawn_at")
    )
    # A credit repair ends a record at the moment it is approved (its last public day becomes
    # yesterday): reported then, so that a mirror asking since earlier today takes it down.
    repaired = (
        BadRecord.objects.filter(ended_early_at__gte=since)
        .order_by("ended_early_at", "id")
        .values_list("id", "end_reason", "ended_early_at")
    )
    # The filters above leave no row without its date.
    removals = [
        Removal(reference_of(pk), "ended", local_midnight(until + datetime.timedelta(days=1)))
        for pk, until in ended
        if until is not None
    ]
    removals += [
        Removal(reference_of(pk), "withdrawn", at) for pk, at in withdrawn if at is not None
    ]
    removals += [Removal(reference_of(pk), why, at) for pk, why, at in repaired if at is not None]
    return sorted(removals, key=lambda r: (r.removed_at, r.reference))


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the largest bar, 0..1
    url: str = ""  # the statistics of the region the bar stands for, if it has its own


def _bars(pairs: list[tuple[str, int]], urls: dict[str, str] | None = None) -> list[Bar]:
    top = max((count for _, count in pairs), default=0) or 1
    urls = urls or {}
    return [Bar(label, count, count / top, urls.get(label, "")) for label, count in pairs]


@dataclass(frozen=True)
class Statistics:
    total: int
    by_ground: list[Bar]
    by_province: list[Bar]  # by province for the country; by city or county for a province
    by_month: list[Bar]
    region: str = ""  # the province's name, or "" for the whole country


@dataclass(frozen=True)
class _Counts:
    """Today's public list counted per filing bureau and ground, and per filing bureau and
    month of publication: every statistics page (the country, any province) adds these up."""

    by_ground: list[tuple[int, str, int]]
    by_month: list[tuple[int, datetime.date, int]]


def statistics_provinces() -> dict[str, str]:
    """The provinces that have statistics of their own: code -> name."""
    return {
        code: name
        for code, name, level, _path in _bureau_rows().values()
        if level == BureauLevel.PROVINCE
    }


def disclosure_statistics(*, province: str = "") -> Statistics:
    """Counts of today's public list by ground, by province (or, for a province, by its cities
    and counties) and by month of publication, cached until the list changes. The ground
    labels are in the active language, so each language has its own copy. The counts behind
    all of them are read once per change of the list (two grouped index-only scans)."""
    stamp = disclosures_last_modified().isoformat()
    key = f"disclosure-statistics:{translation.get_language()}:{province}:{stamp}"
    stats = cache.get(key)
    if stats is None:
        counts_key = f"disclosure-statistics-counts:{stamp}"
        counts = cache.get(counts_key)
        if counts is None:
            counts = _count_statistics()
            cache.set(counts_key, counts, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
        stats = _statistics(counts, province)
        cache.set(key, stats, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
    return stats


def _count_statistics() -> _Counts:
    public = BadRecord.objects.public().order_by()
    by_ground = list(public.values_list("filing_bureau_id", "ground").annotate(n=Count("id")))
    by_month = list(
        public.annotate(month=TruncMonth("public_from"))
        .values_list("filing_bureau_id", "month")
        .annotate(n=Count("id"))
    )
    return _Counts(by_ground, [(b, _month_of(m), n) for b, m, n in by_month])


def _bureau_rows() -> dict[int, tuple[str, str, str, str]]:
    """Every bureau: id -> (code, name, level, path); cached like the region filter's rows."""
    rows = cache.get("statistics-bureau-rows")
    if rows is None:
        rows = {
            pk: (code, name, level, path)
            for pk, code, name, level, path in Bureau.objects.values_list(
                "id", "code", "name", "level", "path"
            )
        }
        cache.set("statistics-bureau-rows", rows, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
    return rows


def _statistics(counts: _Counts, province: str) -> Statistics:
    from records.models import Ground

    bureaus = _bureau_rows()
    names = {code: name for code, name, _level, _path in bureaus.values()}
    # The region each bureau's records are counted under: its province for the country
    # ("000000/330000/330100/" -> 330000; the national bureau's own under itself), its city
    # or county for a province (the province's own bureau under the province).
    region: dict[int, str] = {}
    for pk, (code, _name, _level, path) in bureaus.items():
        codes = [c for c in path.split("/") if c]
        if not province:
            region[pk] = codes[1] if len(codes) > 1 else code
        elif len(codes) > 1 and codes[1] == province:
            region[pk] = codes[2] if len(codes) > 2 else province
    grounds: dict[str, int] = {}
    regions: dict[str, int] = {}
    months: dict[datetime.date, int] = {}
    for bureau, ground, n in counts.by_ground:
        if bureau in region:
            grounds[ground] = grounds.get(ground, 0) + n
            regions[region[bureau]] = regions.get(region[bureau], 0) + n
    for bureau, month, n in counts.by_month:
        if bureau in region:
            months[month] = months.get(month, 0) + n
    by_ground = [(str(label), grounds.get(code, 0)) for code, label in Ground.choices]
    by_region = sorted(
        ((names.get(code, code), n) for code, n in regions.items()), key=lambda p: -p[1]
    )
    urls = {}
    if not province:
        provinces = statistics_provinces()
        urls = {
            names[code]: reverse("publication:statistics_region", args=[code])
            for code in regions
            if code in provinces
        }
    return Statistics(
        total=sum(grounds.values()),
        by_ground=_bars(by_ground),
        by_province=_bars(by_region, urls),
        by_month=_bars(_every_month(months)),
        region=names.get(province, "") if province else "",
    )


def _month_of(value: datetime.date) -> datetime.date:
    # TruncMonth gives a date on SQLite and PostgreSQL alike for a DateField; be lenient.
    return datetime.date(value.year, value.month, 1)


def _every_month(counts: dict[datetime.date, int]) -> list[tuple[str, int]]:
    """From the first month to the last, months without publications included (as 0): a
    time axis that skips empty months misleads."""
    if not counts:
        return []
    month, last = min(counts), max(counts)
    months = []
    while month <= last:
        months.append((month.strftime("%Y-%m"), counts.get(month, 0)))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def region_choices(*, within: str = "") -> list[tuple[str, str]]:
    """The regions the list's filter offers: every province, and the cities and counties
    (indented) of the province whose code starts like `within`. Cached: bureaus change a few
    times a year."""
    rows = cache.get("region-rows")
    if rows is None:
        rows = list(
            Bureau.objects.exclude(level=BureauLevel.NATIONAL)
            .order_by("path")
            .values_list("code", "name", "level")
        )
        cache.set("region-rows", rows, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
    province = within[:2] if within.isdigit() else ""
    indent = {BureauLevel.CITY: "\u3000", BureauLevel.COUNTY: "\u3000\u3000"}
    return [
        (code, f"{indent.get(level, '')}{name}")
        for code, name, level in rows
        if level == BureauLevel.PROVINCE or (province and code.startswith(province))
    ]


def region_trail(*, path: str) -> list[str]:
    """The names of the regions of a bureau's path ("000000/330000/330100/"), province
    first, the national level left out. From every region's name, kept per process like the
    region filter's ids (bureaus are renamed a few times a year, records read all the
    time): a cache entry per path was evicted by the pages and read again for most records."""
    names = _held("region-names", _region_names)
    return [names[code] for code in path.split("/") if code in names]


def bureaus_by_id(*, fresh: bool = False) -> dict[int, Bureau]:
    """Every bureau by its id, kept per process like the regions: the public tables name a
    row's bureau from it, and the API list's and the CSV's pages give each row its bureau
    from it (PreparedQuery.published_rows), instead of joining the bureaus on each page (the
    join hashed all 600 of them to name twenty rows). A bureau created since is found by
    asking with `fresh`; a renamed one shows its new name within
    PUBLIC_STATISTICS_CACHE_SECONDS, like the region filter. The instances are shared:
    nothing on a public page changes them."""
    return _held("bureaus-by-id", _bureaus_by_id, fresh=fresh)


def _bureaus_by_id() -> dict[int, Bureau]:
    return {bureau.pk: bureau for bureau in Bureau.objects.all()}


def _region_names() -> dict[str, str]:
    return dict(Bureau.objects.exclude(level=BureauLevel.NATIONAL).values_list("code", "name"))


def region_bureau_ids(*, code: str) -> list[int]:
    """The ids of the bureau of a division code and of every bureau below it (empty for an
    unknown code), for the region filter. All regions are read at once and cached like
    region_choices: citizens filter by any of three thousand regions, so a cache per region
    would seldom be asked twice."""
    return _held("region-bureau-ids", _region_bureau_ids).get(code, [])


def _region_bureau_ids() -> dict[str, list[int]]:
    by_code: dict[str, list[int]] = {}
    # A bureau is below every bureau whose code is in its path ("000000/330000/...").
    for pk, path in Bureau.objects.order_by("path").values_list("id", "path"):
        for ancestor in path.split("/"):
            if ancestor:
                by_code.setdefault(ancestor, []).append(pk)
    return by_code


# Values kept by each process, valid while the shared cache holds the same token for them.
_HELD: dict[str, tuple[str, Any]] = {}


def _held(key: str, compute: Callable[[], T], *, fresh: bool = False) -> T:
    """A value computed once and kept in this process for as long as the cache keeps its
    token (PUBLIC_STATISTICS_CACHE_SECONDS, or until the cache is cleared): unpickling a map
    of every region from the cache on each filtered request cost more than its query. A
    process that finds another's token computes the value itself and adopts that token, so
    processes sharing a cache do not invalidate each other. `fresh` computes it again now
    (and gives it a new token, so that the other processes do too)."""
    token = None if fresh else cache.get(f"{key}:token")
    held = _HELD.get(key)
    if token is not None and held is not None and held[0] == token:
        return held[1]
    value = compute()
    if token is None:
        token = uuid.uuid4().hex
        cache.set(f"{key}:token", token, settings.PUBLIC_STATISTICS_CACHE_SECONDS)
    _HELD[key] = (token, value)
    return value
