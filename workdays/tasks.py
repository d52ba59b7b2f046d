import logging

from celery import shared_task

from workdays.services import calendar_reminder_send

logger = logging.getLogger(__name__)


@shared_task
def calendar_reminder() -> int | None:
    """Daily: one e-mail to the national administrators while next year has no calendar."""
    year = calendar_reminder_send()
    if year is not None:
        logger.info("calendar_reminder queued the e-mail about %s", year)
    return year
