"""API tokens for licensing systems (SPEC §7): named, with an expiry, stored as a hash,
shown once. The officer makes one for their own account after typing their password and a
second-factor code again (through the shared sign-in limits); the officer, their bureau's
administrator and the national administrator may revoke it. Every step is audited."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from kernel.audit import audit_log
from kernel.errors import FieldErrors
from records.models import User

# Marks the portal's keys (and lets secret scanners find leaked ones).
KEY_PREFIX = "tbp_"


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, by: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of `by`'s own account; returns it and its key (the only time the key
    exists outside the caller's hands). The caller has checked the password and code."""
    errors = FieldErrors()
    name = " ".join(name.split())
    if not name:
        errors.add("name", _("Name the token after the system that will use it."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors.add(
            "days",
            _("A token is valid from 1 to %(max)s days.") % {"max": settings.API_TOKEN_MAX_DAYS},
        )
    errors.raise_if_any()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name,
        key_hash=api_token_hash(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_log(
        actor=by,
        action="api_token_create",
        obj=token,
        after={"name": name, "expires_at": token.expires_at},
    )
    return token, key


def may_revoke_api_token(by: User, token: ApiToken) -> bool:
    return ApiToken.objects.revocable_by(by).filter(pk=token.pk).exists()


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> bool:
    """Revoke at once; False when it was revoked already."""
    if not may_revoke_api_token(by, token):
        raise PermissionDenied
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    if changed:
        audit_log(actor=by, action="api_token_revoke", obj=token, after={"revoked_at": now})
    return bool(changed)


def api_token_user(key: str) -> User | None:
    """The active account behind a usable key, or None (what it may do is the API's
    permission check)."""
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(key_hash=api_token_hash(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` as before, looked up by the key's hash."""

    def authenticate_credentials(self, key: str) -> tuple[User, None]:
        user = api_token_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, None
