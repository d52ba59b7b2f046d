"""Staff searching practitioners by a resident identity number (SPEC §4: the number is seen
in full only by the bureau that entered it).

The search finds only the practitioners the searcher's own bureau entered, so for every
other practitioner the answer is the same whether or not the number exists: the mask
(region, last four digits) cannot be undone by trying birth dates. Each search is counted
(IDENTITY_NUMBER_SEARCH_RATE per account) and written to the audit trail with the number
masked."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from kernel.audit import audit_log
from kernel.identifiers import clean_identity_number, mask_identity_number
from kernel.identity_numbers import identity_number_digests
from kernel.limits import limit_hit
from records.models import Practitioner, User


@dataclass(frozen=True)
class IdentitySearch:
    practitioners: QuerySet[Practitioner]
    retry_after_minutes: int = 0  # > 0: refused, too many searches

    @property
    def refused(self) -> bool:
        return self.retry_after_minutes > 0


def identity_number_in(term: str) -> str:
    """The normalised number when the search term is a valid identity number, else ""."""
    try:
        return clean_identity_number(term)
    except ValidationError:
        return ""


@transaction.atomic
def practitioner_identity_search(*, by: User, number: str) -> IdentitySearch:
    """The searcher's own bureau's practitioners carrying `number` (normalised)."""
    verdict = limit_hit(
        scope="identity_number_search", ident=str(by.pk), rate=settings.IDENTITY_NUMBER_SEARCH_RATE
    )
    found = Practitioner.objects.none()
    if verdict.allowed and by.bureau_id is not None:
        found = Practitioner.objects.filter(
            created_by_bureau_id=by.bureau_id,
            identity_number_hmac__in=identity_number_digests(number),
        )
    audit_log(
        actor=by,
        action="practitioner_identity_search",
        obj=by,
        after={
            "identity_number": mask_identity_number(number),
            "refused": not verdict.allowed,
        },
    )
    if not verdict.allowed:
        return IdentitySearch(found, verdict.retry_after_minutes)
    return IdentitySearch(found)
