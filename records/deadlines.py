"""Publication deadlines follow the working-day calendar: when a year is approved or
corrected, every pending record whose deadline was counted across that year is counted again
(registered with workdays in RecordsConfig.ready())."""

import datetime
from typing import Any

from django.conf import settings

from kernel.audit import audit_log
from records.models import BadRecord
from records.models.bad_records import PENDING_STATUSES
from workdays.working_days import add_working_days


def publish_deadlines_recompute(
    *, first_day: datetime.date, last_day: datetime.date, by: Any, reason: str
) -> int:
    # A deadline before first_day was counted without looking at the changed year; a record
    # obtained after last_day counts from a later day. Published records keep their deadline:
    # whether they were late was settled when they were published.
    pending = BadRecord.objects.select_for_update().filter(
        status__in=PENDING_STATUSES, publish_deadline__gte=first_day, obtained_on__lte=last_day
    )
    changed = []
    for record in pending.order_by("pk"):
        deadline = add_working_days(record.obtained_on, settings.PUBLICATION_DEADLINE_WORKING_DAYS)
        if deadline == record.publish_deadline:
            continue
        audit_log(
            actor=by,
            action="record_deadline_recomputed",
            obj=record,
            before={"publish_deadline": record.publish_deadline},
            after={"publish_deadline": deadline},
            reason=reason,
        )
        record.publish_deadline = deadline
        changed.append(record)
    BadRecord.objects.bulk_update(changed, ["publish_deadline"])
    return len(changed)
