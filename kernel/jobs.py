"""The job outbox: the one way the portal runs background work (e-mails, batch parts, …).

`job_enqueue` writes a row inside the caller's transaction, so a job exists exactly when the
change it follows was committed; no request talks to the broker. The worker's periodic
`outbox_drain` runs due rows. Claiming is a conditional UPDATE on the row's attempt count:
its row count says whether this drain won the row, and the count it wrote is the claim's
token, so two drains running at once never run a job twice. A failed job is retried with a
growing delay; after OUTBOX_MAX_ATTEMPTS it is given up (status dead, reason kept) and the
app's give-up hook is told, so that the app can show the failure where its users look."""

import datetime
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kernel.identifiers import mask_identity_number
from kernel.models import OutboxJob

logger = logging.getLogger(__name__)

# How long a claimed job may run before another drain may take it over (a worker that died).
# Long-running jobs keep their claim fresh with `JobClaim.keep`.
CLAIM_SECONDS = 300
# Due rows read per query; the drain keeps reading until none is due or its time is up.
DUE_BATCH = 100
# Back-off between attempts: 60 s, 120 s, 240 s, … but never more than an hour, so that a
# mail server back after an outage gets the queued mail the same hour.
RETRY_MAX_SECONDS = 3600

PENDING, RUNNING, DONE, DEAD = (
    OutboxJob.Status.PENDING,
    OutboxJob.Status.RUNNING,
    OutboxJob.Status.DONE,
    OutboxJob.Status.DEAD,
)

# Identity numbers (18 characters, or the old 15 digits) must never reach a log or a page
# through an exception's text; job errors are masked before they are logged or stored.
_IDENTITY_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")


class ClaimLost(Exception):
    """Another drain took the job over (this one ran past its claim): stop without effects."""


@dataclass(frozen=True)
class JobClaim:
    """Handed to long-running handlers, which commit their work in steps."""

    job_id: int
    token: int

    def keep(self) -> None:
        """Call inside each step's transaction, before its writes: renews the claim, or
        raises ClaimLost so the step rolls back. On PostgreSQL the UPDATE also locks the job
        row until the step commits, so a drain trying to take the job over waits for the
        step and then finds the claim renewed."""
        renewed = OutboxJob.objects.filter(pk=self.job_id, attempts=self.token, status=RUNNING)
        if not renewed.update(available_at=_claim_until()):
            raise ClaimLost(f"job #{self.job_id}")


@dataclass(frozen=True)
class _Registration:
    handler: Callable[..., object]
    on_give_up: Callable[..., object] | None
    long_running: bool


# Job name -> handler. The apps above the kernel register theirs in AppConfig.ready(), so
# the kernel runs their jobs without importing them.
_HANDLERS: dict[str, _Registration] = {}


def job_register(
    name: str,
    handler: Callable[..., object],
    *,
    on_give_up: Callable[..., object] | None = None,
    long_running: bool = False,
) -> None:
    """Register the handler of a job. It is called with the payload as keyword arguments
    and must re-check the state before acting, so that a retry is harmless.

    A short job runs in one transaction that also marks it done. A `long_running` handler
    commits its own steps and gets `claim=JobClaim` to call `claim.keep()` in each.
    `on_give_up(reason=…, **payload)` runs in the transaction that marks the job dead."""
    _HANDLERS[name] = _Registration(handler, on_give_up, long_running)


def job_enqueue(*, name: str, payload: dict[str, Any]) -> OutboxJob:
    if name not in _HANDLERS:
        raise ValueError(f"Unknown job {name!r}")
    return OutboxJob.objects.create(name=name, payload=payload, available_at=timezone.now())


def _claim_until() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=CLAIM_SECONDS)


def _error_text(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return _IDENTITY_NUMBER.sub(lambda m: mask_identity_number(m.group(0)), text)[:2000]


def _claim(job_id: int, seen_attempts: int, now: datetime.datetime) -> int | None:
    """Take a due job; the attempt count written is the claim's token. None when another
    drain took it first."""
    token = seen_attempts + 1
    claimed = OutboxJob.objects.filter(
        pk=job_id, attempts=seen_attempts, status__in=[PENDING, RUNNING], available_at__lte=now
    ).update(status=RUNNING, attempts=token, available_at=_claim_until())
    return token if claimed == 1 else None


def _give_up(job: OutboxJob, token: int, reason: str) -> None:
    """Mark the job dead with its reason and tell its app, in one transaction. A failing
    hook is logged but does not keep the job alive: it would only fail again."""
    registration = _HANDLERS.get(job.name)
    with transaction.atomic():
        dead = OutboxJob.objects.filter(pk=job.pk, attempts=token, status=RUNNING).update(
            status=DEAD, last_error=reason, finished_at=timezone.now()
        )
        if not dead:
            return
        logger.error("job %s#%s given up: %s", job.name, job.pk, reason)
        if registration is None or registration.on_give_up is None:
            return
        try:
            with transaction.atomic():
                registration.on_give_up(reason=reason, **job.payload)
        except Exception as error:  # noqa: BLE001 - the job stays dead; the hook is logged
            logger.error(
                "give-up hook of job %s#%s failed: %s", job.name, job.pk, _error_text(error)
            )


def _fail(job: OutboxJob, token: int, error: Exception) -> None:
    reason = _error_text(error)
    logger.warning("job %s#%s failed (attempt %s): %s", job.name, job.pk, token, reason)
    if token >= settings.OUTBOX_MAX_ATTEMPTS:
        _give_up(job, token, reason)
        return
    delay = min(30 * 2**token, RETRY_MAX_SECONDS)
    OutboxJob.objects.filter(pk=job.pk, attempts=token, status=RUNNING).update(
        status=PENDING,
        available_at=timezone.now() + datetime.timedelta(seconds=delay),
        last_error=reason,
    )


def _finish(job_id: int, token: int) -> None:
    done = OutboxJob.objects.filter(pk=job_id, attempts=token, status=RUNNING)
    if not done.update(status=DONE, finished_at=timezone.now()):
        raise ClaimLost(f"job #{job_id}")


def _run(job_id: int, seen_attempts: int, seen_status: str) -> bool:
    """Claim and run one job; True when it finished."""
    token = _claim(job_id, seen_attempts, timezone.now())
    if token is None:
        return False
    job = OutboxJob.objects.get(pk=job_id)
    registration = _HANDLERS.get(job.name)
    if registration is None:
        _give_up(job, token, f"Unknown job {job.name!r}: no handler is registered for it.")
        return False
    if seen_status == RUNNING and token > settings.OUTBOX_MAX_ATTEMPTS:
        # Its claim ran out: the worker running it stopped (or the job ran past its claim
        # without keeping it) on every attempt. A job that kills its worker ends here too.
        _give_up(
            job,
            token,
            f"Gave up after {seen_attempts} attempts; the last one did not finish (its worker "
            "stopped, or it ran past its claim).",
        )
        return False
    try:
        if registration.long_running:
            registration.handler(claim=JobClaim(job.pk, token), **job.payload)
            _finish(job.pk, token)
        else:
            with transaction.atomic():
                registration.handler(**job.payload)
                _finish(job.pk, token)
    except ClaimLost:
        logger.warning("job %s#%s was taken over by another drain", job.name, job.pk)
        return False
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        _fail(job, token, error)
        return False
    return True


def outbox_drain(*, seconds: float | None = None) -> int:
    """Run due jobs until none is due or `seconds` (OUTBOX_DRAIN_BUDGET_SECONDS) have passed,
    so that a backlog is worked through while the worker still gets to its other periodic
    tasks. Returns how many jobs finished. One job's failure never stops the others."""
    budget = settings.OUTBOX_DRAIN_BUDGET_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + budget
    finished = 0
    while time.monotonic() < deadline:
        due = list(
            OutboxJob.objects.filter(
                status__in=[PENDING, RUNNING], available_at__lte=timezone.now()
            )
            .order_by("available_at", "id")
            .values_list("id", "attempts", "status")[:DUE_BATCH]
        )
        if not due:
            break
        for job_id, attempts, status in due:
            if time.monotonic() >= deadline:
                break
            finished += _run(job_id, attempts, status)
    if finished:
        logger.info("outbox_drain finished %s job(s)", finished)
    return finished
