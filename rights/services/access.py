"""Who acts for a listed subject and who answers for the publishing bureau. Every service,
view and admin page of the rights app asks these; none repeats the rule."""

from typing import Any

from accounts.models import InterestedParty
from records.models import BadRecord
from records.roles import Role, has_role
from rights.models import ClaimStatus, SubjectClaim


def is_public_account(user: Any) -> bool:
    """A signed-in public account with a verified e-mail address: no bureau, not staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.bureau_id is not None:
        return False
    return InterestedParty.objects.filter(user=user, email_verified_at__isnull=False).exists()


def verified_claim(user: Any, record: BadRecord) -> SubjectClaim | None:
    """The account's verified claim covering the record's subject, or None: an account acts
    only for a subject its claim was verified for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_staff:
        return None
    return (
        SubjectClaim.objects.filter(account=user, status=ClaimStatus.VERIFIED)
        .for_record(record)
        .order_by("-decided_at")
        .first()
    )


def answers_for(user: Any, record: BadRecord) -> bool:
    """A reviewer of the publishing bureau answers objections and repair applications about
    its records, verifies subjects and records notices."""
    return bool(
        getattr(user, "is_active", False)
        and has_role(user, Role.REVIEWER)
        and getattr(user, "bureau_id", None) is not None
        and user.bureau_id == record.filing_bureau_id
    )


def can_decide_claim(user: Any, claim: SubjectClaim) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and has_role(user, Role.REVIEWER)
        and getattr(user, "bureau_id", None) == claim.bureau_id
    )
