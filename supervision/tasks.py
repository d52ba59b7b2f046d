"""Celery beat tasks of leads. Thin: they call a service, which queues the e-mails as outbox
jobs, and log the count."""

import logging

from celery import shared_task

from supervision.services import leads

logger = logging.getLogger(__name__)


@shared_task(name="supervision.tasks.leads_remind", ignore_result=True)
def leads_remind() -> int:
    """Beat: remind the handling bureaus of leads near their first-answer deadline."""
    reminded = leads.leads_remind()
    logger.info("leads_remind: %s lead(s) reminded", reminded)
    return reminded


@shared_task(name="supervision.tasks.leads_overdue_digest", ignore_result=True)
def leads_overdue_digest() -> int:
    """Beat: each handling bureau gets the list of its overdue leads."""
    bureaus = leads.leads_overdue_digests_queue()
    logger.info("leads_overdue_digest: %s bureau(s) with overdue leads", bureaus)
    return bureaus
