"""Celery beat tasks of the subject's rights; thin: a service call and a log line."""

import logging

from celery import shared_task

from rights.services import reminders

logger = logging.getLogger(__name__)


@shared_task(name="rights.tasks.rights_reminders", ignore_result=True)
def rights_reminders() -> int:
    reminded = reminders.rights_requests_remind()
    logger.info("rights_reminders: %s objection(s) or application(s) reminded", reminded)
    return reminded


@shared_task(name="rights.tasks.rights_overdue_digest", ignore_result=True)
def rights_overdue_digest() -> int:
    bureaus = reminders.rights_overdue_digests_queue()
    logger.info("rights_overdue_digest: %s bureau(s) with overdue items", bureaus)
    return bureaus
