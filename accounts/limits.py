"""How often one client address, and one e-mail address, may sign up, ask for a password
reset or open verification links (settings SIGNUP_RATE_*, PASSWORD_RESET_RATE_*,
EMAIL_VERIFY_RATE_PER_ADDRESS). The counts are the same whether or not an account exists, so
a refusal tells nothing about one; each e-mail these pages queue is within the limits."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext

from kernel.client_address import client_address
from kernel.limits import Verdict, limit_hit, limits_hit
from kernel.names import normalize_name


def _email(value: str) -> str:
    return normalize_name(value or "").casefold()


def signup_limit(request: HttpRequest, email: str) -> Verdict:
    return limits_hit(
        scope="signup",
        idents={"address": client_address(request), "email": _email(email)},
        rates={
            "address": settings.SIGNUP_RATE_PER_ADDRESS,
            "email": settings.SIGNUP_RATE_PER_EMAIL,
        },
    )


def password_reset_limit(request: HttpRequest, email: str) -> Verdict:
    return limits_hit(
        scope="password_reset",
        idents={"address": client_address(request), "email": _email(email)},
        rates={
            "address": settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            "email": settings.PASSWORD_RESET_RATE_PER_EMAIL,
        },
    )


def email_verify_limit(request: HttpRequest) -> Verdict:
    return limit_hit(
        scope="email_verify",
        ident=client_address(request),
        rate=settings.EMAIL_VERIFY_RATE_PER_ADDRESS,
    )


def too_many_message(verdict: Verdict) -> str:
    minutes = verdict.retry_after_minutes
    return ngettext(
        "Too many attempts from this address or for this e-mail address. Try again in "
        "%(minutes)d minute.",
        "Too many attempts from this address or for this e-mail address. Try again in "
        "%(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
