"""Staff roles (SPEC §2). Each role is a Django group of the same name, created by the
migration `0002_create_roles`; the rules of who may do what to a record live in
records/permissions.py, not here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FILER = "filer", _("Filer")
    REVIEWER = "reviewer", _("Reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    LICENSING_OFFICER = "licensing_officer", _("Licensing officer")
    ARCHIVE_REVIEWER = "archive_reviewer", _("Archive reviewer")
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    NATIONAL_ADMIN = "national_admin", _("National administrator")


def roles_of(user: object) -> frozenset[str]:
    """The role names of a user, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        user._portal_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: object, role: Role) -> bool:
    return role.value in roles_of(user)
