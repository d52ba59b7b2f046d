"""Look-up keys of company names: the one candidate generation of the licence-review lookup,
the same on SQLite and PostgreSQL (issue 17).

A name's *telling part* is its core (licensing.matching.name_parts: regions, bracketed ones
included, and the company form removed), less the trade words and company forms inside it,
digits, 号 and the region parts 市省县区族: 上海秋春国际旅行社 → 秋春, ABD国际旅行社 → abd,
南昌瑞丰旅游客运有限公司 → 瑞丰. Its keys are the telling part itself and the telling part with
any one character left out (秋春 → 秋春, 春, 秋), so two names whose telling parts are one
typing slip apart (a changed, added, dropped or swapped character) share a key; telling
parts of five characters or more also with two left out (two slips). Stored names
also get their prefixes marked `>` (西湖湖滨 → >西湖, >西湖湖) and their whole telling part
marked `=`, so that an applicant named by the start of a listed name (西湖 / 西湖湖滨分公司) finds
it, and an applicant's own starts find the listed names that are exactly one of them.

Keys live in OperatorNameKey and are found with one indexed `key IN (…)` query on both
databases, the operators sharing most keys first (ties by id). They are computed here, in
Python, from the operator's name; database triggers (migration 0007) queue an operator when it
is inserted or renamed, by whatever path (the services, the admin, COPY of the benchmark seed),
and name_keys_refresh computes the queued ones before each look-up.

What the keys cannot bridge: telling parts shorter than five characters two or more slips
apart, or longer ones three or more, that are not a prefix of one another (a brand of one
character changed, 甲国际旅行社 / 乙国际旅行社, scores 83 and is not proposed).
bench/RESULTS.md gives the recall measured against scoring every operator.
"""

import functools

from django.db import connection, transaction
from django.db.models import Count

from licensing.matching import COMPANY_FORMS, TRADE_WORDS, name_parts, region_prefix_length
from licensing.models import OperatorNameKey, OperatorNameQueue
from records.models import Operator

# Latin company forms (co, ltd) count only where name_parts strips them, at the end: inside a
# Latin brand they are letters of it (UCOUR).
STOP_PHRASES = tuple(
    phrase for phrase in (*COMPANY_FORMS, *TRADE_WORDS, "自治") if not phrase.isascii()
)
LOW_INFORMATION = frozenset("号市省县区族")
# A telling part longer than this is cut: keys stay short and indexable.
MAX_TELLING = 24
PREFIX = ">"  # a key that starts a stored telling part
WHOLE = "="  # a stored telling part, whole
# Telling parts this long or longer also get the keys with two characters left out: shorter
# ones would give keys of two characters or less, shared by thousands of names.
TWO_LEFT_OUT = 5
# Operators whose keys one refresh computes at most (a seed's 200,000 take several rounds).
REFRESH_CHUNK = 2000


@functools.lru_cache(maxsize=65536)
def telling_part(name: str) -> str:
    core = name_parts(name).core
    covered = [not c.isalnum() or c.isdigit() or c in LOW_INFORMATION for c in core]
    for i in range(region_prefix_length(core)):
        covered[i] = True
    for phrase in STOP_PHRASES:
        start = core.find(phrase)
        while start != -1:
            for i in range(start, start + len(phrase)):
                covered[i] = True
            start = core.find(phrase, start + 1)
    return "".join(c for c, noise in zip(core, covered, strict=True) if not noise)[:MAX_TELLING]


def _one_left_out(text: str) -> set[str]:
    """The text and the text with one character left out; from TWO_LEFT_OUT characters on
    also with two left out (ZETLAVEL / EZTRAVEL: a swap and a changed letter)."""
    keys = {text}
    if len(text) >= 2:
        keys |= {text[:i] + text[i + 1 :] for i in range(len(text))}
    if len(text) >= TWO_LEFT_OUT:
        keys |= {
            text[:i] + text[i + 1 : j] + text[j + 1 :]
            for i in range(len(text))
            for j in range(i + 1, len(text))
        }
    return keys


def stored_keys(name: str) -> set[str]:
    """The keys an operator's name is stored under."""
    text = telling_part(name)
    if not text:
        return set()
    prefixes = {PREFIX + text[:size] for size in range(2, len(text))}
    return _one_left_out(text) | {WHOLE + text} | prefixes


def applicant_keys(name: str) -> set[str]:
    """The keys an applicant's name is looked up by: its own slips, listed names that start
    with it, listed names that it starts with."""
    text = telling_part(name)
    if not text:
        return set()
    starts = {WHOLE + text[:size] for size in range(2, len(text))}
    return _one_left_out(text) | {PREFIX + text} | starts


def sharing_operators(name: str, *, limit: int) -> list[int]:
    """Ids of the operators sharing most keys with the applicant's name, ties by id."""
    keys = applicant_keys(name)
    if not keys:
        return []
    rows = (
        OperatorNameKey.objects.filter(key__in=keys)
        .values("operator_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "operator_id")[:limit]
    )
    return [row["operator_id"] for row in rows]


def _queued(chunk: int) -> list[tuple[int, int]]:
    queue = OperatorNameQueue.objects.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        # Two workers refreshing at once take different operators.
        queue = queue.select_for_update(skip_locked=True)
    return list(queue.values_list("pk", "operator_id")[:chunk])


def name_keys_refresh(*, chunk: int = REFRESH_CHUNK) -> int:
    """Compute the keys of the queued operators; returns how many were done. Nearly always
    one query on an empty table."""
    if not OperatorNameQueue.objects.exists():
        return 0
    done = 0
    while True:
        with transaction.atomic():
            queued = _queued(chunk)
            if not queued:
                return done
            operator_ids = {operator_id for _pk, operator_id in queued}
            names = dict(Operator.objects.filter(pk__in=operator_ids).values_list("pk", "name"))
            OperatorNameKey.objects.filter(operator_id__in=operator_ids).delete()
            OperatorNameKey.objects.bulk_create(
                OperatorNameKey(operator_id=pk, key=key)
                for pk, name in names.items()
                for key in sorted(stored_keys(name))
            )
            OperatorNameQueue.objects.filter(pk__in=[pk for pk, _op in queued]).delete()
            done += len(operator_ids)
