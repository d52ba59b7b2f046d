"""Search of the staff lists. Records: the public list's search (name, licence, certificate,
credit code: records/search.py) and, for staff, the basis document number, all of them
served by indexes on PostgreSQL (records migration 0011)."""

import re
import unicodedata

from django.apps import apps
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from kernel.audit import action_codes, action_label
from kernel.identifiers import identifier_fragment, normalize_document_number
from kernel.names import search_key, strip_invisible
from records.search import SEARCH_MAX_LENGTH, SHORT_KEY_LENGTH, SHORT_KEY_MATCH, search_records

# Trigrams need three characters; a shorter text is not looked for in document numbers.
DOCUMENT_NUMBER_MIN_LENGTH = 3


def staff_search_records(queryset: QuerySet, text: str) -> QuerySet:
    """Records whose name or identifier matches as on the public list, or whose basis
    document number contains the text (any width, spacing or case)."""
    text = (text or "")[:SEARCH_MAX_LENGTH]
    found = search_records(queryset, text)
    number = normalize_document_number(text)
    if len(number) < DOCUMENT_NUMBER_MIN_LENGTH or found is queryset:
        return found
    return found | queryset.filter(_basis_number_contains(number))


def _basis_number_contains(number: str) -> Q:
    """Basis document numbers containing `number`. The trigram index is asked only for what
    follows the year (第5195号 of 旅罚字〔2025〕第5195号): an issuer's prefix and the year are in
    thousands of numbers, and their trigrams cost the index 30 times more to read than the
    serial's. The whole number is then compared in the rows found (strpos: not indexed)."""
    serial = number.rpartition("〕")[2]
    if len(serial) < DOCUMENT_NUMBER_MIN_LENGTH or serial == number:
        return Q(basis_number_key__contains=number)
    return Q(basis_number_key__contains=serial) & Q(
        GreaterThan(StrIndex("basis_number_key", Value(number)), 0)
    )


def staff_search_subjects(
    queryset: QuerySet, text: str, *, identifier_fields: list[str]
) -> QuerySet:
    """Operators or practitioners whose name contains the text (in any width, case or
    traditional/simplified form: the name key) or whose identifiers contain it (they are
    stored in capitals, as cleaned). Each condition is served by a trigram index on
    PostgreSQL (records migration 0020) once the text has three characters; the admin's own
    search would compare upper-cased copies of four columns of every subject."""
    text = (text or "")[:SEARCH_MAX_LENGTH]
    key = search_key(text)
    if not key:
        return queryset
    condition = Q(name_key__contains=key)
    identifier = identifier_fragment(text)
    # Licences, certificates and credit codes are ASCII once cleaned: a name typed in Chinese
    # is not looked for in them (a LIKE fewer on every row a short name search reads).
    if identifier and identifier.isascii():
        for field in identifier_fields:
            condition |= Q(**{f"{field}__contains": identifier})
    elif len(key) <= SHORT_KEY_LENGTH and key.isalnum() and connection.vendor == "postgresql":
        # Too short for trigrams (张伟): the index of single characters and pairs finds the
        # candidates (records 0023), the LIKE keeps the answer exact.
        queryset = queryset.extra(where=[SHORT_KEY_MATCH], params=[key])  # noqa: S610 - fixed SQL
    return queryset.filter(condition)


_RECORD_REFERENCE = re.compile(r"TR0*(\d{1,12})", re.IGNORECASE)


def staff_search_audit_events(queryset: QuerySet, text: str) -> QuerySet:
    """Audit events by what the audit list shows: a record's reference (TR00012345: the
    record's events, its evidence and notices included), an object's id (#123, or 123), or
    an action, by its code or any part of its code or label in the staff's language. Each is
    an exact match served by a b-tree index (record, object, action); a part of an object id
    is not searched (it matched ids of every kind and needed trigram indexes that every audit
    write paid for)."""
    text = strip_invisible(unicodedata.normalize("NFKC", text or "")).strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return queryset
    condition = Q(pk__in=[])
    reference = _RECORD_REFERENCE.fullmatch(text)
    if reference:
        condition |= Q(record_id=int(reference.group(1)))
    object_id = text.removeprefix("#").strip()
    if object_id:
        # The object type leads the object index: every type is named, so that the index
        # finds the id under each of them.
        kinds = sorted({model._meta.model_name or "" for model in apps.get_models()})
        condition |= Q(object_type__in=kinds, object_id=object_id)
    folded = text.casefold()
    codes = [
        code
        for code in action_codes()
        if folded in code.casefold() or folded in action_label(code).casefold()
    ]
    if codes:
        condition |= Q(action__in=codes)
    return queryset.filter(condition)
