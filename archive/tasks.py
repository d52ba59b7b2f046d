"""Celery beat tasks of the credit archive. Thin: they call a service, which queues the
e-mails as outbox jobs, and log the count."""

import logging

from celery import shared_task

from archive import services

logger = logging.getLogger(__name__)


@shared_task(name="archive.tasks.archive_reminders", ignore_result=True)
def archive_reminders() -> int:
    """Beat: remind reviewers of requests near their deadline."""
    reminded = services.archive_requests_remind()
    logger.info("archive_reminders: %s request(s) reminded", reminded)
    return reminded


@shared_task(name="archive.tasks.archive_overdue_digest", ignore_result=True)
def archive_overdue_digest() -> int:
    """Beat: each bureau's archive reviewers get the list of its overdue requests."""
    bureaus = services.archive_overdue_digests_queue()
    logger.info("archive_overdue_digest: %s bureau(s) with overdue requests", bureaus)
    return bureaus
