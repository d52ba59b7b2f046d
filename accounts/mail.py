"""E-mails of public accounts: address verification, the notice to an address that already
has an account, and prepared password-reset mails. Services queue them after their
transaction commits; the tasks in accounts/tasks.py compose and send them."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

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


def _queue(task_name: str, *args: Any) -> None:
    from accounts import tasks

    task = getattr(tasks, task_name)
    # robust: a broker outage must not undo or fail the committed change; the beat's
    # catch-up re-queues decision e-mails that were never sent.
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def queue_verification_email(*, user_id: int) -> None:
    _queue("send_verification_email", user_id)


def queue_signup_notice(*, email: str) -> None:
    _queue("send_signup_notice", email)


def queue_prepared_email(*, subject: str, body: str, to: str) -> None:
    _queue("send_prepared_email", subject, body, to)


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


def prepared_email_send(*, subject: str, body: str, to: str) -> bool:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
    return True
