"""Search of the staff record list: the public list's search (name, licence, certificate,
credit code: records/search.py) and, for staff, the basis document number, all of them
served by indexes on PostgreSQL (records migration 0011)."""

from django.db.models import QuerySet

from kernel.identifiers import normalize_document_number
from records.search import SEARCH_MAX_LENGTH, search_records

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
    return found | queryset.filter(basis_number_key__contains=number)
