"""The public list's name search, planned by how common the searched text is.

A name search means one thing everywhere (records/search.py: any part of the name key, or a
licence, certificate or credit code). On PostgreSQL it can be served two ways, and each is
fast where the other is slow:

- by the index of characters and pairs (trigrams for a term with punctuation or spaces): it
  finds every matching row, which is read from the table before the newest twenty are
  known — a few hundred reads for a rare name, tens of thousands for 公司, 景区 or 张;
- by walking the public list in its own order over a covering index that carries the name
  key, keeping the matching entries: it stops after the page (or the capped count) is
  found — a few hundred index entries for a common term, the whole list for a rare one.

PostgreSQL cannot tell the two apart by itself (the index condition hides the walk's
cost), so the search asks the statistics ANALYZE keeps on the index of characters and pairs:
the share of public rows holding each of its thousand most common grams. A term common
enough (`common_share`, `WALK_MAX_ENTRIES`) is walked; any other term's ids are gathered
from the disclosed rows' index as an array, then checked against the list's conditions
(`public_search`). Both ways give the same rows in the same order as search_records; only
the plan differs. Licence, certificate and credit-code searches, and SQLite, take
search_records itself.
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from kernel.id_arrays import rows_in
from kernel.identifiers import lookup_key
from kernel.names import search_key
from records.models import BadRecord
from records.models.bad_records import DISCLOSED_STATUSES
from records.search import (
    IDENTIFIER_MIN_LENGTH,
    SEARCH_MAX_LENGTH,
    SHORT_KEY_LENGTH,
    SHORT_KEY_MATCH,
    search_records,
)

# The partial index of the public rows' characters and pairs (records migration 0023).
GRAMS_INDEX = "record_public_grams_idx"

# A term is walked when counting its matches up to the search's cap (PUBLIC_SEARCH_COUNT_CAP,
# which also bounds how deep its pages go) should take at most this many index entries
# (about 10 ms): with the default cap of 200, a term in 0.5 % of the public rows or more,
# whose 1,500+ matches the index of pairs would read one by one from the table.
WALK_MAX_ENTRIES = 40_000

_shares: dict[str, tuple[float, dict[str, float]]] = {}
_lock = threading.Lock()


def gram_shares(using: str = "default") -> dict[str, float]:
    """The share of public rows holding each of the most common characters and pairs, as
    PostgreSQL's statistics last measured it (pg_stats of the grams index: ANALYZE, run by
    autovacuum). Read at most once per PUBLIC_STATISTICS_CACHE_SECONDS per process; empty on
    other databases or before the first ANALYZE (then every term is looked up by index)."""
    now = time.monotonic()
    stored = _shares.get(using)
    if stored is not None and now - stored[0] < settings.PUBLIC_STATISTICS_CACHE_SECONDS:
        return stored[1]
    with _lock:
        shares: dict[str, float] = {}
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                    "FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s",
                    [GRAMS_INDEX],
                )
                row = cursor.fetchone()
            if row and row[0] and row[1]:
                # The frequencies hold one figure per element, then the minimum, the
                # maximum and the share of rows without any element.
                shares = dict(zip(row[0], row[1][: len(row[0])], strict=True))
        _shares[using] = (now, shares)
    return shares


def common_share(key: str, shares: dict[str, float]) -> float:
    """About how large a share of the public rows contains `key`, from the shares of its
    characters and pairs: a character's or a pair's own; for a longer key, the first pair's
    share times, for each next character, how often the pair ending in it follows its
    first character (青年旅游: 青年 × 年旅/年 × 旅游/旅). 0 when a character or pair of it
    is not among the most common (a term that rare is looked up by index)."""
    if not shares or not key.isalnum():
        return 0.0
    if len(key) == 1:
        return shares.get(key, 0.0)
    share = shares.get(key[:2], 0.0)
    for i in range(1, len(key) - 1):
        single = shares.get(key[i], 0.0)
        if not single:
            return 0.0
        share *= shares.get(key[i : i + 2], 0.0) / single
    return share


def _planned_key(text: str, using: str) -> str:
    """The search key of `text` when this module plans its search; "" when search_records
    answers it as it is (a licence, certificate or credit code, another database, one or
    two characters with punctuation)."""
    text = (text or "")[:SEARCH_MAX_LENGTH]
    key = search_key(text)
    identifier = lookup_key(text)
    if (
        not key
        or (len(identifier) >= IDENTIFIER_MIN_LENGTH and identifier.isascii())
        or using not in connections
        or connections[using].vendor != "postgresql"
        or (len(key) <= SHORT_KEY_LENGTH and not key.isalnum())
    ):
        return ""
    return key


def _common(key: str, using: str) -> bool:
    return (
        common_share(key, gram_shares(using)) * WALK_MAX_ENTRIES
        >= settings.PUBLIC_SEARCH_COUNT_CAP + settings.PUBLIC_PAGE_SIZE
    )


@dataclass(frozen=True)
class Plan:
    """How a planned search is answered: `way` is "walk" (along the list), "pairs" (ids from
    the index of characters and pairs) or "trigrams" (ids from the trigram index: a key with
    spaces or punctuation); `key` is the search key, `grams` the pairs the index is asked
    for (for "pairs")."""

    way: str
    key: str
    grams: str = ""


def plan(text: str, using: str = "default") -> Plan | None:
    """The plan of a search for `text`, or None when search_records answers it as it is."""
    key = _planned_key(text, using)
    if not key:
        return None
    if _common(key, using):
        return Plan("walk", key)
    if key.isalnum():
        return Plan("pairs", key, _grams_query(key))
    return Plan("trigrams", key)


def walks(text: str, using: str = "default") -> bool:
    """Whether a search for `text` walks the list (see the module's text)."""
    planned = plan(text, using)
    return planned is not None and planned.way == "walk"


def public_search(queryset: QuerySet, text: str) -> QuerySet:
    """search_records for the public list: the same rows, found by walking the list when
    the term is common and through the public rows' own indexes otherwise (see the
    module's text)."""
    planned = plan(text, queryset.db)
    if planned is None:
        return search_records(queryset, text)
    return planned_search(queryset, planned)


def planned_search(queryset: QuerySet, planned: Plan) -> QuerySet:
    """`queryset` narrowed to the rows whose name key holds `planned.key`, by its plan (the
    prepared lists compile it once with placeholder values: publication/prepared_lists.py)."""
    key = planned.key
    if planned.way == "walk":
        # strpos is what LIKE '%key%' answers, but no index is planned for it: PostgreSQL
        # walks the covering index in the list's order and tests the name key it carries.
        return queryset.filter(GreaterThan(StrIndex("subject_name_key", Value(key)), 0))
    # The matching rows are gathered first, as an array, then checked against the
    # list's own conditions one by one. Written as one condition, PostgreSQL ANDs the index
    # of statuses and end dates into the search (300,000 entries for a rare name); written as
    # an IN subquery, it may start from the list's side once it misjudges how rare the name
    # is (a walk of 300,000 rows probing each one). A term this rare has at most a few
    # thousand disclosed rows (WALK_MAX_ENTRIES; the estimate of a longer term can be low:
    # 市阳光, 2,559).
    disclosed: QuerySet = BadRecord.objects.using(queryset.db).filter(
        status__in=sorted(DISCLOSED_STATUSES)
    )
    if planned.way == "pairs":
        # The candidates are the rows holding its characters (one or two) or all its pairs
        # (more), from the index of characters and pairs; strpos keeps the answer exact. As a
        # trigram LIKE instead, the condition can also be tested on the covering indexes, and
        # PostgreSQL, misjudging how many rows match, walked all 300,000 entries of one (67
        # ms instead of 5 for 市阳光); or ANDed the trigram index into the bitmap and then
        # recomputed every candidate's pairs to recheck it (34 ms).
        disclosed = disclosed.extra(where=[SHORT_KEY_MATCH], params=[planned.grams])  # noqa: S610 - fixed SQL
        exact: GreaterThan[Any] | Q = GreaterThan(StrIndex("subject_name_key", Value(key)), 0)
    else:
        exact = Q(subject_name_key__contains=key)  # by the trigram index
    # Gathered by their places in the table (rows_in): each candidate is then checked
    # without a second walk down the primary key's index.
    return queryset.filter(rows_in(disclosed.filter(exact).order_by(), queryset.db))


def _grams_query(key: str) -> str:
    """The words plainto_tsquery ANDs to find a key of letters and digits in the index of
    characters and pairs (kernel.names.short_grams): the key itself when it is one or two
    characters long, else each of its pairs (市阳光: 市阳 & 阳光)."""
    if len(key) <= SHORT_KEY_LENGTH:
        return key
    return " ".join(dict.fromkeys(key[i : i + 2] for i in range(len(key) - 1)))
