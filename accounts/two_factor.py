"""The second factor of every staff sign-in (GB/T 22239-2019, 等保 2.0: administrators
authenticate with two factors). Each staff account has one TOTP device (an authenticator
app) and one set of recovery codes, both from django-otp; a bureau administrator enrols or
resets them for the accounts of their bureau, the national administrator for any account.
A staff account without a device cannot sign in."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kernel.audit import audit_log
from records.models import User
from records.roles import Role, has_role

RECOVERY_CODES = 10
# Lower-case letters and digits without the look-alikes (0/o, 1/l/i): read off paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Enrolment:
    """What the account holder needs, shown once: the secret (as an otpauth:// URI for an
    authenticator app, and as text to type) and the recovery codes."""

    otpauth_uri: str
    secret: str
    recovery_codes: list[str]


def may_manage_two_factor(by: User, account: User) -> bool:
    if has_role(by, Role.NATIONAL_ADMIN):
        return True
    return (
        has_role(by, Role.BUREAU_ADMIN)
        and by.bureau_id is not None
        and by.bureau_id == account.bureau_id
        and not has_role(account, Role.NATIONAL_ADMIN)
    )


def _recovery_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))


@transaction.atomic
def two_factor_enrol(*, by: User | None, account: User) -> Enrolment:
    """Give `account` a new TOTP secret and new recovery codes, replacing any it had (a lost
    phone: the old ones stop working at once). `by` None is the system (`make run`'s demo
    accounts, the `two_factor_enrol` command)."""
    if by is not None and not may_manage_two_factor(by, account):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    totp = TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=account, name="recovery codes", confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    audit_log(
        actor=by, action="two_factor_enrol", obj=account, after={"recovery_codes": len(codes)}
    )
    return Enrolment(
        otpauth_uri=totp.config_url,
        secret=_base32(totp.bin_key),
        recovery_codes=codes,
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode()


def two_factor_enrolled(account: User) -> bool:
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def two_factor_match(account: User, code: str) -> Device | None:
    """The device that accepts `code` (a TOTP code, or a recovery code, which is used up),
    or None. A TOTP code is accepted once only (django-otp keeps the last time step)."""
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return None
    return match_token(account, code)


def two_factor_current_code(account: User) -> str:
    """The code the account's authenticator shows now: for the demo accounts of `make run`
    and for tests, never offered on a page."""
    device = TOTPDevice.objects.get(user=account, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
