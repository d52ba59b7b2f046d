from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from records.models import User
from records.roles import Role, has_role

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "bureau", "is_active", "is_staff")


def account_state(user: User) -> dict[str, object]:
    state: dict[str, object] = {field: getattr(user, field) for field in ACCOUNT_FIELDS}
    state["roles"] = sorted(user.groups.values_list("name", flat=True)) if user.pk else []
    return state


@transaction.atomic
def account_audit(*, by: User, account: User, before: dict[str, object], created: bool) -> None:
    """Record an account change made through the admin (who, when, before and after)."""
    after = account_state(account)
    changed = [k for k in after if before.get(k) != after.get(k)]
    audit_log(
        actor=by,
        action="account_create" if created else "account_update",
        obj=account,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )


def account_password_audit(*, by: User, account: User) -> None:
    """A password set by an administrator: who and when, never the password."""
    audit_log(actor=by, action="account_password_set", obj=account)


def account_check_manageable(*, by: User, bureau_id: int | None, roles: Iterable[str]) -> None:
    """The national administrator manages every account; a bureau administrator only the
    accounts of their own bureau, and never hands out the national administrator's role."""
    if has_role(by, Role.NATIONAL_ADMIN):
        return
    if not has_role(by, Role.BUREAU_ADMIN) or by.bureau_id is None:
        raise PermissionDenied(_("Only administrators manage accounts."))
    if bureau_id != by.bureau_id:
        raise PermissionDenied(
            _("A bureau administrator manages the accounts of their own bureau.")
        )
    if Role.NATIONAL_ADMIN.value in set(roles):
        raise PermissionDenied(_("Only the national administrator gives that role."))
