"""Archive requests' decision deadlines follow the working-day calendar: when a year is
approved or corrected, every open request whose deadline was counted across it is counted
again (registered with workdays in ArchiveConfig.ready())."""

import datetime
from typing import Any

from django.conf import settings

from archive.models import ArchiveRequest, RequestStatus
from kernel.audit import audit_log
from workdays.working_days import add_working_days


def archive_deadlines_recompute(
    *, first_day: datetime.date, last_day: datetime.date, by: Any, reason: str
) -> int:
    open_requests = ArchiveRequest.objects.select_for_update().filter(
        status=RequestStatus.SUBMITTED, deadline__gte=first_day, filed_on__lte=last_day
    )
    changed = []
    for archive_request in open_requests.order_by("pk"):
        deadline = add_working_days(
            archive_request.filed_on, settings.ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS
        )
        if deadline == archive_request.deadline:
            continue
        audit_log(
            actor=by,
            action="archive_request_deadline_recomputed",
            obj=archive_request,
            before={"deadline": archive_request.deadline},
            after={"deadline": deadline},
            reason=reason,
        )
        archive_request.deadline = deadline
        changed.append(archive_request)
    ArchiveRequest.objects.bulk_update(changed, ["deadline"])
    return len(changed)
