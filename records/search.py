"""Search of records by name or identifier: one definition for the public list, the API,
the CSV export and the staff screens."""

from django.db import connection
from django.db.models import Q, QuerySet

from kernel.identifiers import lookup_key
from kernel.names import search_key

SEARCH_MAX_LENGTH = 100
# Licence, certificate and credit-code searches: the typed text without hyphens or spaces.
# Shorter strings are treated as names only, so that "L" or "12" do not match everything.
IDENTIFIER_MIN_LENGTH = 6
# Name searches this short cannot use trigrams (three characters) on PostgreSQL.
SHORT_KEY_LENGTH = 2
# ...and are found through the full-text index of single characters and pairs (records
# migrations 0005 and 0023); the key is the parameter.
SHORT_KEY_MATCH = "to_tsvector('simple'::regconfig, name_grams) @@ plainto_tsquery('simple', %s)"


def search_records(queryset: QuerySet, text: str) -> QuerySet:
    """Any part of the name, whatever the width, case or traditional/simplified form typed;
    or the licence, certificate or credit code in any spacing, case or dashes."""
    text = (text or "")[:SEARCH_MAX_LENGTH]
    key = search_key(text)
    if not key:
        return queryset
    condition = Q(subject_name_key__contains=key)
    identifier = lookup_key(text)
    if len(identifier) >= IDENTIFIER_MIN_LENGTH and identifier.isascii():
        condition |= Q(identifier_key=identifier) | Q(credit_code=identifier)
    elif len(key) <= SHORT_KEY_LENGTH and key.isalnum() and connection.vendor == "postgresql":
        # Too short for trigrams: the index of single characters and pairs finds the
        # candidates (see migration 0005), the LIKE above keeps the answer exact.
        queryset = queryset.extra(where=[SHORT_KEY_MATCH], params=[key])  # noqa: S610 - fixed SQL
    return queryset.filter(condition)
