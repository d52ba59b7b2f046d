"""Which subjects might match an applicant: the database proposes, licensing.matching decides.

Identifiers are looked up by equality on the subjects' unique indexes. Personal names are
looked up by equality of the name key (a trigram index is useless for 张伟: two characters).
Company names are looked up on PostgreSQL by pg_trgm similarity of their character pairs
(an expression index, migration 0002), and elsewhere (SQLite, small data) by scoring every
operator. The proposals are generous on purpose;
the verdict is the same whichever way the candidates came, because the scoring is done in
Python on both databases.

pg_trgm takes its idea of a letter from the database's character type: under the C locale it
extracts no trigram from Chinese at all, so the trigram path is used only when the database
shows that it works (`trigrams_work`).
"""

import functools

from django.db import connection
from django.db.models import Q

from licensing.matching import name_parts, normalise, score_operator_names
from records.models import Operator, Practitioner
from records.names import search_key

# How many name candidates one lookup scores at most.
NAME_CANDIDATES = 60
# pg_trgm similarity of the character pairs below which a name is not even proposed.
PAIR_SIMILARITY = 0.25
# Scores below this are not worth proposing (the review threshold is higher).
SCAN_FLOOR = 50


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


def _scan_operators(name: str) -> list[int]:
    """Without trigrams (SQLite, or PostgreSQL under the C locale): score every operator.
    Fine for the embedded set-up's few thousand; production runs on PostgreSQL."""
    scored = []
    for pk, stored in Operator.objects.values_list("pk", "name").iterator(chunk_size=2000):
        value = score_operator_names(name, stored).value
        if value >= SCAN_FLOOR:
            scored.append((-value, pk))
    return [pk for _score, pk in sorted(scored)[:NAME_CANDIDATES]]


def operator_ids(*, name: str, credit_code: str, licence_no: str) -> set[int]:
    ids: set[int] = set()
    by_identifier = Q(pk__in=[])
    if credit_code:
        by_identifier |= Q(credit_code=credit_code)
    if licence_no:
        by_identifier |= Q(licence_no=licence_no)
    if credit_code or licence_no:
        ids.update(Operator.objects.filter(by_identifier).values_list("pk", flat=True))
    parts = name_parts(name)
    if not parts.core:
        return ids
    keys = {search_key(name), parts.full}
    ids.update(Operator.objects.filter(name_key__in=keys).values_list("pk", flat=True))
    if trigrams_work():
        with connection.cursor() as cursor:
            # Pairs of characters compared by pg_trgm (see migration 0002): 杭州西湖国旅旅行社
            # still finds 杭州西湖国际旅行社有限公司. Served by the GIN index on the same
            # expression; the threshold is generous, the scoring decides.
            cursor.execute("SET pg_trgm.similarity_threshold = %s", [PAIR_SIMILARITY])
            cursor.execute(
                "SELECT id FROM records_operator "
                "WHERE lic_name_pairs(name_key) %% lic_name_pairs(%s) "
                "ORDER BY similarity(lic_name_pairs(name_key), lic_name_pairs(%s)) DESC, id "
                "LIMIT %s",
                [parts.full, parts.full, NAME_CANDIDATES],
            )
            ids.update(row[0] for row in cursor.fetchall())
    else:
        ids.update(_scan_operators(name))
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
    return set(Practitioner.objects.filter(query).values_list("pk", flat=True)[:500])
