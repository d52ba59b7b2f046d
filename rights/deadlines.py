"""Objection and repair deadlines follow the working-day calendar: when a year is approved
or corrected, each open one counted across it is counted again (registered in
RightsConfig.ready, like the archive's)."""

import datetime
from typing import Any

from django.conf import settings

from kernel.audit import audit_log
from rights.models import Objection, RepairApplication, RequestState
from workdays.working_days import add_working_days


def rights_deadlines_recompute(
    *, first_day: datetime.date, last_day: datetime.date, by: Any, reason: str
) -> int:
    changed_count = 0
    for model, days in (
        (Objection, settings.OBJECTION_ANSWER_WORKING_DAYS),
        (RepairApplication, settings.REPAIR_DECISION_WORKING_DAYS),
    ):
        open_items = model.objects.select_for_update().filter(
            status=RequestState.OPEN, deadline__gte=first_day, filed_on__lte=last_day
        )
        changed: list[Any] = []
        for item in open_items.order_by("pk"):
            deadline = add_working_days(item.filed_on, days)
            if deadline == item.deadline:
                continue
            audit_log(
                actor=by,
                action="rights_deadline_recomputed",
                obj=item,
                before={"deadline": item.deadline},
                after={"deadline": deadline},
                reason=reason,
            )
            item.deadline = deadline
            changed.append(item)
        model.objects.bulk_update(changed, ["deadline"])
        changed_count += len(changed)
    return changed_count
