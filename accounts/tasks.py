"""Celery tasks of public accounts: thin, they call accounts.mail and retry when the mail
server fails."""

import smtplib

from celery import shared_task

from accounts import mail

RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}


@shared_task(name="accounts.tasks.send_verification_email", **RETRY)
def send_verification_email(user_id: int) -> bool:
    return mail.verification_email_send(user_id=user_id)


@shared_task(name="accounts.tasks.send_signup_notice", **RETRY)
def send_signup_notice(email: str) -> bool:
    return mail.signup_notice_send(email=email)


@shared_task(name="accounts.tasks.send_prepared_email", **RETRY)
def send_prepared_email(subject: str, body: str, to: str) -> bool:
    return mail.prepared_email_send(subject=subject, body=body, to=to)
