"""The job outbox. `job_enqueue` writes a row inside the caller's transaction; the worker's
periodic `outbox_drain` runs due rows. Claiming is a conditional UPDATE whose row count says
whether this worker won the row, so two drains running at once never run a job twice."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kernel.models import OutboxJob

logger = logging.getLogger(__name__)

# How long a claimed job may run before another drain may take it over (a worker that died).
CLAIM_SECONDS = 300


# Job name -> handler. The apps above the kernel register theirs in AppConfig.ready(), so
# the kernel runs their jobs without importing them.
_HANDLERS: dict[str, Callable[..., None]] = {}


def job_register(name: str, handler: Callable[..., None]) -> None:
    _HANDLERS[name] = handler


def _handlers() -> dict[str, Callable[..., None]]:
    return _HANDLERS


def job_enqueue(*, name: str, payload: dict[str, Any]) -> OutboxJob:
    if name not in _handlers():
        raise ValueError(f"Unknown job {name!r}")
    return OutboxJob.objects.create(name=name, payload=payload, available_at=timezone.now())


def _claim(job_id: int, now: datetime.datetime) -> bool:
    claimed = OutboxJob.objects.filter(
        pk=job_id,
        status__in=[OutboxJob.Status.PENDING, OutboxJob.Status.RUNNING],
        available_at__lte=now,
    ).update(
        status=OutboxJob.Status.RUNNING,
        available_at=now + datetime.timedelta(seconds=CLAIM_SECONDS),
    )
    return claimed == 1


def outbox_drain(*, limit: int = 100) -> int:
    """Run due jobs; return how many finished. Failures are retried with a growing delay
    and given up (status dead, error kept) after OUTBOX_MAX_ATTEMPTS."""
    now = timezone.now()
    handlers = _handlers()
    due = list(
        OutboxJob.objects.filter(
            status__in=[OutboxJob.Status.PENDING, OutboxJob.Status.RUNNING],
            available_at__lte=now,
        )
        .order_by("available_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    finished = 0
    for job_id in due:
        if not _claim(job_id, now):
            continue
        job = OutboxJob.objects.get(pk=job_id)
        attempts = job.attempts + 1
        try:
            with transaction.atomic():
                handlers[job.name](**job.payload)
        except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
            logger.warning("job %s#%s failed (attempt %s): %s", job.name, job.pk, attempts, error)
            dead = attempts >= settings.OUTBOX_MAX_ATTEMPTS
            OutboxJob.objects.filter(pk=job.pk).update(
                attempts=attempts,
                status=OutboxJob.Status.DEAD if dead else OutboxJob.Status.PENDING,
                available_at=now + datetime.timedelta(seconds=30 * 2**attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
            continue
        OutboxJob.objects.filter(pk=job.pk).update(
            attempts=attempts, status=OutboxJob.Status.DONE, finished_at=timezone.now()
        )
        finished += 1
    if finished:
        logger.info("outbox_drain finished %s job(s)", finished)
    return finished
