"""Which subjects might match an applicant: the database proposes, licensing.matching decides.

Identifiers are looked up by equality on the subjects' unique indexes. Personal names are
looked up by equality of the name key (a trigram index is useless for 张伟: two characters).
Company names are looked up by trigram word similarity where PostgreSQL can do it, and by
shared character pairs elsewhere (SQLite, small data). The proposals are generous on purpose;
the verdict is the same whichever way the candidates came, because the scoring is done in
Python on both databases.

pg_trgm takes its idea of a letter from the database's character type: under the C locale it
extracts no trigram from Chinese at all, so the trigram path is used only when the database
shows that it works (`trigrams_work`).
"""

import functools

from django.db import connection
from django.db.models import Q

from licensing.matching import name_parts, normalise
from records.models import Operator, Practitioner
from records.names import search_key

# How many name candidates one lookup scores at most.
NAME_CANDIDATES = 60


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


def _pairs(text: str) -> list[str]:
    return sorted({text[i : i + 2] for i in range(len(text) - 1)}) or [text]


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
            # `<%` is word similarity: how well the core (西湖国际旅行社) fits inside a longer
            # stored name (杭州西湖国际旅行社有限公司); served by the GIN trigram index.
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.5")
            cursor.execute(
                "SELECT id FROM records_operator WHERE %s <%% name_key "
                "ORDER BY word_similarity(%s, name_key) DESC, id LIMIT %s",
                [parts.core, parts.core, NAME_CANDIDATES],
            )
            ids.update(row[0] for row in cursor.fetchall())
    else:
        by_pairs = Q()
        for pair in _pairs(parts.core)[:12]:
            by_pairs |= Q(name_key__contains=pair)
        ids.update(
            Operator.objects.filter(by_pairs).order_by("pk").values_list("pk", flat=True)[
                : NAME_CANDIDATES * 5
            ]
        )
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
