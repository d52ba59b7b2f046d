"""E-mails of public accounts: address verification, the notice to an address that already
has an account, and password resets. Services queue them as outbox jobs in their own
transaction (registered in accounts/apps.py); the worker's drain composes and sends them with
the `*_send` functions below, which re-read the state first so that a retry is harmless."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kernel import jobs
from kernel.mail import absolute_url, mail_send
from records.models import User


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (expires after PASSWORD_RESET_TIMEOUT, dies when the
    account changes) but with its own salt, so one link never works for the other."""

    # The salt of the app this class lived in before: links already sent keep working.
    key_salt = "publication.mail.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.password}{timestamp}{user.is_active}{user.email}"


email_verification_token = EmailVerificationTokenGenerator()


def queue_verification_email(*, user_id: int) -> None:
    jobs.job_enqueue(name="accounts_verification_email", payload={"user_id": user_id})


def queue_signup_notice(*, email: str) -> None:
    jobs.job_enqueue(name="accounts_signup_notice", payload={"email": email})


def queue_password_reset_email(*, user_id: int) -> None:
    jobs.job_enqueue(name="accounts_password_reset_email", payload={"user_id": user_id})


def verification_email_send(*, user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=False, is_staff=False).first()
    if user is None or not user.email:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = absolute_url(
        reverse("accounts:verify", args=[uid, email_verification_token.make_token(user)])
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Confirm your e-mail address")
        body = _(
            "Open this link to confirm your e-mail address and activate your account:\n\n"
            "%(link)s\n\nIf you did not sign up, ignore this message."
        ) % {"link": link}
    mail_send(subject=subject, body=body, recipients=[user.email])
    return True


def signup_notice_send(*, email: str) -> bool:
    """Someone signed up with an address that already has an account. The sign-up page said
    the same as for a new address; the owner is told here instead."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Sign-up attempt with your e-mail address")
        body = _(
            "Someone tried to sign up with this e-mail address, which already has an "
            "account. If it was you, sign in or reset your password at %(url)s. If not, "
            "ignore this message."
        ) % {"url": absolute_url(reverse("accounts:password_reset"))}
    mail_send(subject=subject, body=body, recipients=[email])
    return True


def password_reset_email_send(*, user_id: int) -> bool:
    """The reset link is made here, in the worker, so that no live link is stored in the
    outbox table; it stops working once the password changes, like Django's own."""
    user = User.objects.filter(pk=user_id, is_active=True, is_staff=False).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    context = {
        "email": user.email,
        "domain": base.split("://", 1)[-1],
        "protocol": base.split("://", 1)[0] if "://" in base else "https",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(
            loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines()
        )
        body = loader.render_to_string("accounts/password_reset_email.txt", context)
    mail_send(subject=subject, body=body, recipients=[user.email])
    return True
