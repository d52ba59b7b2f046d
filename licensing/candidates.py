"""Which subjects might match an applicant: the database proposes, licensing.matching decides.

Identifiers are looked up by equality on the subjects' unique indexes. Personal names are
looked up by equality of the name key (names are shared by many people: only the same name
counts, see licensing.matching.score_person_names). Company names are looked up by the same
rule and the same SQL on both databases (licensing.name_keys), so both propose the same
candidates and give the same verdicts; the candidates are then scored in Python.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

from kernel.identity_numbers import identity_number_digests
from kernel.names import search_key
from licensing.matching import name_parts, normalise, score_operator_names
from licensing.name_keys import name_keys_refresh, sharing_operators
from records.models import Operator, Practitioner

# How many name candidates one lookup scores at most.
NAME_CANDIDATES = 60


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
    least the review threshold among the operators sharing most name keys with it."""
    query = Q(pk__in=[])
    if credit_code:
        query |= Q(credit_code=credit_code)
    if licence_no:
        query |= Q(licence_no=licence_no)
    parts = name_parts(name)
    if parts.core:
        query |= Q(name_key__in={search_key(name), parts.full})
    ids = set(Operator.objects.filter(query).order_by().values_list("pk", flat=True))
    if parts.core:
        name_keys_refresh()  # operators added or renamed since the last look-up
        proposed = sharing_operators(name, limit=NAME_CANDIDATES)
        names = Operator.objects.filter(pk__in=proposed).values_list("pk", "name")
        ids.update(_close_enough(name, names))
    return ids


def practitioner_ids(*, name: str, identity_number: str, certificate_no: str) -> set[int]:
    query = Q(pk__in=[])
    if identity_number:
        query |= Q(identity_number_hmac__in=identity_number_digests(identity_number))
    if certificate_no:
        query |= Q(certificate_no=certificate_no)
    keys = {key for key in (search_key(name), normalise(name)) if key}
    if keys:
        query |= Q(name_key__in=keys)
    return set(Practitioner.objects.filter(query).order_by().values_list("pk", flat=True)[:500])
