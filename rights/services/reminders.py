"""Reminders and overdue lists for objections and repair applications, like the archive's:
a conditional UPDATE claims each reminder, committed with its outbox job, so a second run
sends nothing more."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rights import mail
from rights.models import Objection, RepairApplication
from workdays.working_days import add_working_days

KINDS = (("objection", Objection), ("repair", RepairApplication))


def rights_requests_remind(*, today: datetime.date | None = None) -> int:
    day = today or timezone.localdate()
    horizon = add_working_days(day, settings.RIGHTS_REMINDER_WORKING_DAYS)
    reminded = 0
    for kind, model in KINDS:
        candidates = list(
            model.objects.due_by(day=horizon)
            .filter(reminded_on=None, deadline__gte=day)
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            with transaction.atomic():
                if model.objects.filter(pk=pk, reminded_on=None).update(reminded_on=day):
                    mail.queue("rights_reminder_email", kind=kind, pk=pk)
                    reminded += 1
    return reminded


@transaction.atomic
def rights_overdue_digests_queue(*, today: datetime.date | None = None) -> int:
    """Queue each publishing bureau's list of overdue objections and repair applications;
    returns the number of bureaus."""
    day = today or timezone.localdate()
    digest: dict[int, dict[str, list[int]]] = {}
    for kind, model in KINDS:
        rows = model.objects.overdue(on=day).values_list("pk", "record__filing_bureau_id")
        for pk, bureau_id in rows:
            digest.setdefault(bureau_id, {"objection": [], "repair": []})[kind].append(pk)
    for bureau_id, ids in digest.items():
        mail.queue(
            "rights_overdue_digest",
            bureau_id=bureau_id,
            objection_ids=ids["objection"],
            repair_ids=ids["repair"],
        )
    return len(digest)
