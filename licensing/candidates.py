"""Which subjects might match an applicant: the database proposes, licensing.matching decides.

Identifiers are looked up by equality on the subjects' unique indexes. Personal names are
looked up by equality of the name key (a trigram index is useless for 张伟: two characters).
Company names are looked up on PostgreSQL by the telling three-character pieces of the name
(`name_key LIKE '%西湖国%'`, served by a GIN trigram index, migration 0002), and elsewhere
(SQLite, small data) by scoring every operator. The trade words and company forms are left
out of the pieces: 旅行社 is in a third of all names. A near match found by the scan but
sharing no telling three-character piece with the applicant (山水旅行社 / 山火旅行社, with no
region) is missed on PostgreSQL; with a region in the name (杭州山水 / 杭州山火) it is
found. Whichever way the candidates came, they are scored in Python on both databases.

pg_trgm takes its idea of a letter from the database's character type: under the C locale it
extracts no trigram from Chinese at all, so the trigram path is used only when the database
shows that it works (`trigrams_work`).
"""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Q

from kernel.names import search_key
from licensing.matching import (
    COMPANY_FORMS,
    TRADE_WORDS,
    name_parts,
    normalise,
    score_operator_names,
)
from records.models import Operator, Practitioner

# How many name candidates one lookup scores at most.
NAME_CANDIDATES = 60
MAX_WINDOWS = 12
STOP_PHRASES = (*COMPANY_FORMS, *TRADE_WORDS, "自治州", "自治县", "自治旗", "自治区")
LOW_INFORMATION = frozenset("号市省县区族")


@functools.lru_cache(maxsize=4)
def _trigrams_work(alias: str) -> bool:
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT array_length(show_trgm(%s), 1)", ["张伟"])
        except Exception:  # noqa: BLE001 - no pg_trgm: fall back to the portable path
            return False
        row = cursor.fetchone()
    return bool(row and row[0])


def trigrams_work() -> bool:
    if connection.vendor != "postgresql":
        return False
    return _trigrams_work(connection.settings_dict["NAME"])


def windows(text: str) -> list[str]:
    """Three-character pieces of a normalised name that say something. Characters of trade
    words and company forms (旅行社, 有限公司 …), digits, 号, and the region parts 市省县区族
    and 自治州 are shared by thousands of names: pieces made only of them are left out, pieces with
    fewer of them come first."""
    covered = [c.isdigit() or c in LOW_INFORMATION for c in text]
    for phrase in STOP_PHRASES:
        start = text.find(phrase)
        while start != -1:
            for i in range(start, start + len(phrase)):
                covered[i] = True
            start = text.find(phrase, start + 1)
    by_noise: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for i in range(len(text) - 2):
        piece = text[i : i + 3]
        noise = sum(covered[i : i + 3])
        if noise in by_noise and piece not in by_noise[noise]:
            by_noise[noise].append(piece)
    # A one-character slip in a two-character brand (南昌星辰旅游 / 南昌兴辰旅游) leaves
    # only a piece that reaches into the trade words (辰旅游) in common.
    pieces = by_noise[0] + by_noise[1] + by_noise[2]
    return pieces[:MAX_WINDOWS]


def _like_windows(full: str) -> list[tuple[int, str]]:
    """Operators whose name key contains a telling three-character piece of the applicant's
    name, those sharing most pieces first. Each LIKE is served by the GIN trigram index."""
    pieces = windows(full)
    if not pieces:
        return []
    patterns = ["%" + piece.replace("%", r"\%").replace("_", r"\_") + "%" for piece in pieces]
    # One indexed scan per piece, then the operators that share most pieces: each row is
    # tested only against the piece that found it (an OR of the pieces, ranked by a sum of
    # LIKEs, tested every row against every piece twice; same rows, same order).
    hits = " UNION ALL ".join(
        ["SELECT id FROM records_operator WHERE name_key LIKE %s"] * len(patterns)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.id, o.name FROM records_operator o JOIN ("  # noqa: S608 - placeholders
            f"SELECT id, count(*) AS shared FROM ({hits}) AS hits "
            "GROUP BY id ORDER BY shared DESC, id LIMIT %s"
            ") AS best ON best.id = o.id ORDER BY best.shared DESC, o.id",
            [*patterns, NAME_CANDIDATES],
        )
        return list(cursor.fetchall())


def _close_enough(name: str, rows: Iterable[tuple[int, str]]) -> list[int]:
    """The proposed operators whose current name reaches the review score: only their records
    are fetched (a lookup would otherwise load the records of sixty near names)."""
    floor = settings.LICENSING_REVIEW_NAME_SCORE
    scored = []
    for pk, stored in rows:
        value = score_operator_names(name, stored).value
        if value >= floor:
            scored.append((-value, pk))
    return [pk for _score, pk in sorted(scored)[:NAME_CANDIDATES]]


def operator_ids(*, name: str, credit_code: str, licence_no: str) -> set[int]:
    """Operators matching an identifier or the exact name key, and those whose name scores at
    least the review threshold."""
    query = Q(pk__in=[])
    if credit_code:
        query |= Q(credit_code=credit_code)
    if licence_no:
        query |= Q(licence_no=licence_no)
    parts = name_parts(name)
    if parts.core:
        query |= Q(name_key__in={search_key(name), parts.full})
    ids = set(Operator.objects.filter(query).order_by().values_list("pk", flat=True))
    if not parts.core:
        return ids
    if trigrams_work():
        ids.update(_close_enough(name, _like_windows(parts.full)))
    else:
        # Without trigrams (SQLite, or PostgreSQL under the C locale): every operator is
        # scored. Fine for the embedded set-up's thousands; production runs on PostgreSQL.
        everyone = Operator.objects.values_list("pk", "name").iterator(chunk_size=2000)
        ids.update(_close_enough(name, everyone))
    return ids


def practitioner_ids(*, name: str, identity_number: str, certificate_no: str) -> set[int]:
    query = Q(pk__in=[])
    if identity_number:
        query |= Q(identity_number=identity_number)
    if certificate_no:
        query |= Q(certificate_no=certificate_no)
    keys = {key for key in (search_key(name), normalise(name)) if key}
    if keys:
        query |= Q(name_key__in=keys)
    return set(Practitioner.objects.filter(query).order_by().values_list("pk", flat=True)[:500])
