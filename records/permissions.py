"""Who may do what to a record or a subject (SPEC §2). The service functions enforce these;
the admin asks them only to decide which buttons to show."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from records.models import BadRecord, Operator, Practitioner, RecordStatus, User
from records.models.bad_records import DISCLOSED_STATUSES, EDITABLE_STATUSES
from records.roles import Role, has_role


def staff_user(request: HttpRequest | Request) -> User:
    """The signed-in account behind a staff page or API call. The admin site and the officer
    pages let only signed-in accounts through; this says so to the type checker and refuses
    anything else at run time rather than acting on an anonymous user."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def signed_in_account(request: HttpRequest | Request) -> User | None:
    """The signed-in account, or None. For checks that also run for visitors who are not
    signed in (the admin asks its permission methods while drawing its sign-in page)."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _same_bureau(user: User, bureau_id: int) -> bool:
    return user.bureau_id is not None and user.bureau_id == bureau_id


def can_file(user: User) -> bool:
    return has_role(user, Role.FILER) and user.bureau_id is not None


def can_view_record(user: User, record: BadRecord) -> bool:
    bureau = getattr(user, "bureau", None)
    return bool(user.is_active and bureau and bureau.contains(record.filing_bureau))


def can_edit_record(user: User, record: BadRecord) -> bool:
    return (
        can_file(user)
        and _same_bureau(user, record.filing_bureau_id)
        and record.status in EDITABLE_STATUSES
    )


def can_delete_record(user: User, record: BadRecord) -> bool:
    # Nothing that was ever submitted is deleted (SPEC §3).
    return (
        can_edit_record(user, record)
        and record.status == RecordStatus.DRAFT
        and record.submitted_at is None
    )


def can_review_record(user: User, record: BadRecord) -> bool:
    """Publish or return a submission: a reviewer of the filing bureau, never the filer."""
    return (
        has_role(user, Role.REVIEWER)
        and _same_bureau(user, record.filing_bureau_id)
        and record.status == RecordStatus.SUBMITTED
        and record.filed_by_id != user.pk
    )


def can_amend_published(user: User, record: BadRecord) -> bool:
    """Withdraw or correct a published or scheduled record."""
    return (
        has_role(user, Role.REVIEWER)
        and _same_bureau(user, record.filing_bureau_id)
        and record.status in DISCLOSED_STATUSES
    )


def can_edit_subject(user: User, subject: Operator | Practitioner) -> bool:
    return can_file(user) and _same_bureau(user, subject.created_by_bureau_id)


def can_see_identity_number(user: User, practitioner: Practitioner) -> bool:
    """Identity numbers are shown in full only inside the bureau that entered them."""
    return _same_bureau(user, practitioner.created_by_bureau_id)
