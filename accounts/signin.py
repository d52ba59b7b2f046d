"""Sign-in limits shared by every sign-in: the admin's (staff), the public accounts' and
the re-authentication that creates an API token.

Failures are counted per login name (a hash of the name as typed, so a name with no account
is counted and locked exactly like one with an account) and per client address. After
ACCOUNT_LOCKOUT_FAILURES failures in a row for a name, or ACCOUNT_LOCKOUT_ADDRESS_FAILURES
from one address, that name or address is refused for ACCOUNT_LOCKOUT_MINUTES without its
password even being checked; the caller says until when. The counters live in the database,
so every worker process sees the same ones. A success clears the name's counter, not the
address's: one good account must not reset an address that is guessing others.

Every success, failure, refusal while locked and lockout is an audit event."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import LoginThrottle
from kernel.audit import audit_log
from kernel.client_address import client_address
from kernel.names import normalize_name
from records.models import User

T = TypeVar("T")


class SigninFailed(Exception):
    """Wrong name, password or code, or an account that may not sign in here."""


@dataclass
class SigninLocked(Exception):
    """Too many failures for this name or from this address; refused until `until`."""

    until: datetime.datetime


def login_name(value: str) -> str:
    return normalize_name(value).casefold()


def name_key(login: str) -> str:
    return hashlib.sha256(login_name(login).encode()).hexdigest()


def address_key(address: str) -> str:
    return hashlib.sha256(f"address:{address}".encode()).hexdigest()


def _limits() -> dict[str, int]:
    return {
        "name": settings.ACCOUNT_LOCKOUT_FAILURES,
        "address": settings.ACCOUNT_LOCKOUT_ADDRESS_FAILURES,
    }


def locked_until(keys: dict[str, str]) -> datetime.datetime | None:
    """The latest lock among the keys still running, or None."""
    rows = LoginThrottle.objects.filter(key__in=keys.values(), locked_until__gt=timezone.now())
    return max((row.locked_until for row in rows if row.locked_until), default=None)


def signin_attempt(
    *,
    request: HttpRequest,
    login: str,
    password: str,
    surface: str,
    second_step: Callable[[User], T | None],
    username: str | None = None,
) -> tuple[User, T]:
    """Check a name and password, then `second_step(user)` (which answers None to refuse:
    a wrong code, or an account that does not sign in on this surface). Returns the user and
    what the second step answered; raises SigninLocked or SigninFailed. `surface` names the
    sign-in in the audit trail (staff, public, api_token)."""
    address = client_address(request)
    keys = {"name": name_key(login), "address": address_key(address)}
    details: dict[str, Any] = {"surface": surface, "address": address}
    until = locked_until(keys)
    if until is not None:
        _audit_failure(keys["name"], "signin_refused_locked", {**details, "until": until})
        raise SigninLocked(until)
    user = authenticate(request, username=username or normalize_name(login), password=password)
    answer = second_step(user) if isinstance(user, User) else None
    if not isinstance(user, User) or answer is None:
        details["account"] = user.pk if isinstance(user, User) else None
        _audit_failure(keys["name"], "signin_failure", details)
        until = _count_failure(keys)
        if until is not None:
            _audit_failure(keys["name"], "signin_lockout", {**details, "until": until})
            raise SigninLocked(until)
        raise SigninFailed
    LoginThrottle.objects.filter(key=keys["name"]).delete()
    audit_log(actor=user, action="signin_success", obj=user, after=details)
    return user, answer


def _audit_failure(key: str, action: str, details: dict[str, Any]) -> None:
    """Failures are filed under the name's counter row, whether or not an account has that
    name: the typed name itself is not written (people type passwords into it)."""
    throttle, _created = LoginThrottle.objects.get_or_create(key=key)
    audit_log(actor=None, action=action, obj=throttle, after=details)


@transaction.atomic
def _count_failure(keys: dict[str, str]) -> datetime.datetime | None:
    """Add one failure to each key; returns the end of the lock when this failure starts one."""
    now = timezone.now()
    until = None
    limits = _limits()
    for kind, key in keys.items():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(key=key)
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
        throttle.refresh_from_db()
        if throttle.failures >= limits[kind]:
            throttle.failures = 0
            throttle.locked_until = now + datetime.timedelta(
                minutes=settings.ACCOUNT_LOCKOUT_MINUTES
            )
            throttle.save(update_fields=["failures", "locked_until", "updated_at"])
            until = max(until or throttle.locked_until, throttle.locked_until)
    return until


@transaction.atomic
def signin_unlock(*, by: User, account: User) -> bool:
    """Lift the lock of an account's login name (a bureau administrator's action); True when
    there was one. Address locks run out by themselves."""
    removed, _counts = LoginThrottle.objects.filter(
        key__in=[name_key(account.username), name_key(account.email or account.username)]
    ).delete()
    audit_log(actor=by, action="signin_unlock", obj=account, after={"lifted": bool(removed)})
    return bool(removed)


def locked_message(until: datetime.datetime) -> str:
    """ "Try again at …" in China Standard Time (the portal's time zone)."""
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return _(
        "Too many failed sign-in attempts with this name or from this network. Try again "
        "after %(time)s (in about %(minutes)s minutes), or ask your administrator to unlock "
        "the account."
    ) % {"time": timezone.localtime(until).strftime("%H:%M"), "minutes": minutes}


def safe_next(request: HttpRequest, next_url: str, fallback: str) -> str:
    """`next` when it stays on this site, the fallback otherwise (an off-site or malformed
    `next` is never followed, and never ends on a 404)."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback
