"""Who may run and read applicant checks (SPEC §7, issue: licensing officers and
administrators only)."""

from records.roles import Role, has_role

_CHECKING_ROLES = (Role.LICENSING_OFFICER, Role.BUREAU_ADMIN, Role.NATIONAL_ADMIN)


def can_run_checks(user: object) -> bool:
    return getattr(user, "bureau_id", None) is not None and any(
        has_role(user, role) for role in _CHECKING_ROLES
    )


def sees_jurisdiction(user: object) -> bool:
    """Administrators read the checks of their bureau and of the bureaus below it; a
    licensing officer reads only their own bureau's."""
    return has_role(user, Role.BUREAU_ADMIN) or has_role(user, Role.NATIONAL_ADMIN)
