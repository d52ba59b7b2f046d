"""Search of the staff list of applicant checks: by check number, application reference or
any part of the applicant's name as entered. The admin's own search would upper-case three
columns of every check in the account's scope (200,000 nationally) on every search; here the
numbers are matched whole (through their unique and plain indexes) and the name through a
trigram index on PostgreSQL (licensing migration 0008)."""

from django.db.models import Q, QuerySet

SEARCH_MAX_LENGTH = 100


def staff_search_checks(queryset: QuerySet, text: str) -> QuerySet:
    text = " ".join((text or "").split())[:SEARCH_MAX_LENGTH]
    if not text:
        return queryset
    return queryset.filter(
        Q(number=text.upper()) | Q(application_ref=text) | Q(applicant_name__icontains=text)
    )
