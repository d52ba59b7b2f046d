"""Celery tasks of the records lifecycle. Thin: the rules are in the services."""

import logging

from celery import shared_task

from records.services import expiry

logger = logging.getLogger(__name__)


@shared_task(name="records.tasks.disclosures_sweep", ignore_result=True)
def disclosures_sweep() -> dict[str, int]:
    """Beat's expiry and scheduled-publication sweep; the rules are in the service."""
    counts = expiry.disclosures_sweep()
    logger.info(
        "disclosures_sweep started %d scheduled record(s) and archived %d ended record(s)",
        counts.started,
        counts.archived,
    )
    return {"started": counts.started, "archived": counts.archived}
