"""Notice of publication (告知, the issue §1): a reviewer of the publishing bureau records how
and when the subject was told of its published record, with the proof; records published
NOTICE_OVERDUE_WORKING_DAYS ago or more without a notice are listed for staff."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from records.models import BadRecord, RecordStatus, User
from records.models.bad_records import BadRecordQuerySet
from rights.models import Notice, NoticeMethod, NoticeProof
from rights.services.access import answers_for
from rights.services.common import proofs_check, text
from workdays.working_days import add_working_days, is_working_day


@transaction.atomic
def notice_record(
    *,
    by: User,
    record: BadRecord,
    data: dict[str, Any],
    proofs: "Sequence[UploadedFile[bytes]]",
) -> Notice:
    if not answers_for(by, record) or record.public_from is None:
        raise PermissionDenied(_("Only a reviewer of the publishing bureau records notices."))
    errors = FieldErrors()
    method = data.get("method") or ""
    if method not in NoticeMethod.values:
        errors.add("method", _("Choose how the subject was told."))
    served_on = data.get("served_on")
    today = timezone.localdate()
    if not isinstance(served_on, datetime.date):
        errors.add("served_on", _("Enter a valid date."))
    elif served_on > today:
        errors.add("served_on", _("The notice cannot be served in the future."))
    elif record.reviewed_at and served_on < timezone.localtime(record.reviewed_at).date():
        errors.add("served_on", _("The notice cannot be served before the record was approved."))
    checked = proofs_check(errors, proofs)
    errors.raise_if_any()
    assert isinstance(served_on, datetime.date)
    notice = Notice.objects.create(
        record=record,
        method=method,
        served_on=served_on,
        note=text(data.get("note")),
        recorded_by=by,
    )
    for upload, facts in checked:
        proof = NoticeProof(notice=notice)
        proof.store(upload, facts)
        proof.save()
    audit_log(
        actor=by,
        action="notice_record",
        obj=record,
        after={
            "notice": notice.pk,
            "method": method,
            "served_on": served_on,
            "proofs": [facts.sha256 for _u, facts in checked],
        },
    )
    return notice


def notice_due_before(*, today: datetime.date | None = None) -> datetime.date:
    """Records published before this day and still without a notice are overdue: it is the
    NOTICE_OVERDUE_WORKING_DAYS-th working day before today, so every record published earlier
    had that many working days to be noticed."""
    day = today or timezone.localdate()
    remaining = settings.NOTICE_OVERDUE_WORKING_DAYS
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def records_without_notice(
    records: BadRecordQuerySet, *, today: datetime.date | None = None, overdue: bool = True
) -> BadRecordQuerySet:
    """Published records with no notice recorded: those NOTICE_OVERDUE_WORKING_DAYS after
    their publication start, or (overdue=False) all of them."""
    unnoticed = records.filter(status=RecordStatus.PUBLISHED).exclude(
        Exists(Notice.objects.filter(record=OuterRef("pk")))
    )
    if overdue:
        return unnoticed.filter(public_from__lt=notice_due_before(today=today))
    return unnoticed


def notice_deadline(record: BadRecord) -> datetime.date | None:
    if record.public_from is None:
        return None
    return add_working_days(record.public_from, settings.NOTICE_OVERDUE_WORKING_DAYS)
