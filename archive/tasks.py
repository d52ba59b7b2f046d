"""Celery tasks of the credit archive. Thin: they take ids, call the services or
archive.mail, and retry when the mail server fails."""

import logging
import smtplib

from celery import shared_task

from archive import mail, services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}


@shared_task(name="archive.tasks.send_decision_email", **RETRY)
def send_decision_email(archive_request_id: int) -> bool:
    return mail.decision_email_send(archive_request_id=archive_request_id)


@shared_task(name="archive.tasks.send_reminder_email", **RETRY)
def send_reminder_email(archive_request_id: int) -> bool:
    return mail.reminder_email_send(archive_request_id=archive_request_id)


@shared_task(name="archive.tasks.send_overdue_digest", **RETRY)
def send_overdue_digest(bureau_id: int, archive_request_ids: list[int]) -> bool:
    return mail.overdue_digest_send(bureau_id=bureau_id, archive_request_ids=archive_request_ids)


@shared_task(name="archive.tasks.archive_reminders", ignore_result=True)
def archive_reminders() -> int:
    """Beat: remind reviewers of requests near their deadline, and re-queue decision e-mails
    that never left (a broker outage at decision time)."""
    reminded = services.archive_requests_remind()
    resent = services.archive_decision_emails_catch_up()
    logger.info("archive_reminders: %s reminded, %s decision e-mail(s) re-queued", reminded, resent)
    return reminded


@shared_task(name="archive.tasks.archive_overdue_digest", ignore_result=True)
def archive_overdue_digest() -> int:
    """Beat: each bureau's archive reviewers get the list of its overdue requests."""
    digest = services.archive_requests_overdue()
    for bureau_id, ids in digest.items():
        send_overdue_digest.delay(bureau_id, ids)
    logger.info("archive_overdue_digest: %s bureau(s) with overdue requests", len(digest))
    return len(digest)
