"""Who may read the accountability report: supervisors, bureau administrators and the
national administrator, each for their own bureau and the bureaus below it."""

from django.http import Http404

from records.models import Bureau, User
from records.roles import Role, has_role

REPORT_ROLES = (Role.SUPERVISOR, Role.BUREAU_ADMIN, Role.NATIONAL_ADMIN)


def can_read_accountability(user: User) -> bool:
    return bool(
        user.is_active
        and user.bureau_id is not None
        and any(has_role(user, role) for role in REPORT_ROLES)
    )


def bureau_in_scope(user: User, code: str) -> Bureau:
    """The bureau of division code `code` if it is the account's own or below it; 404
    otherwise, so that a bureau outside the region does not exist for the account."""
    own = user.bureau
    if own is None:
        raise Http404
    if not code or code == own.code:
        return own
    bureau = Bureau.objects.within(own).filter(code=code).first()
    if bureau is None:
        raise Http404
    return bureau
