"""Credit repair and early removal (信用修复, the issue §3): after REPAIR_MINIMUM_DISPLAY_MONTHS
on the list, a verified subject applies with proof of rectification; the publishing bureau
decides within REPAIR_DECISION_WORKING_DAYS. Approved, the record leaves the public list
(records.services.bad_records.record_end_early, reason "repaired")."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from records.models import BadRecord, RecordStatus, User
from records.models.bad_records import EndReason
from records.services.bad_records import record_end_early
from rights import mail
from rights.models import RepairApplication, RepairProof, RequestState
from rights.services.access import answers_for, verified_claim
from rights.services.common import proofs_check, text
from workdays.working_days import add_working_days


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def repair_possible_from(record: BadRecord) -> datetime.date | None:
    """The first day a repair may be applied for: the minimum display period after the
    publication start. None for a record never published."""
    if record.public_from is None:
        return None
    return add_months(record.public_from, settings.REPAIR_MINIMUM_DISPLAY_MONTHS)


def repair_refusal(record: BadRecord, *, today: datetime.date) -> str:
    """Why this record cannot be repaired now; empty when it can."""
    if record.status != RecordStatus.PUBLISHED or record.public_from is None:
        return _("Only a record on the public list can be repaired.")
    if record.ground in settings.REPAIR_EXCLUDED_GROUNDS:
        return _("Records on ground %(ground)s cannot be repaired before their period ends.") % {
            "ground": record.ground
        }
    first = repair_possible_from(record)
    if first is not None and today < first:
        return _("A repair can be applied for from %(day)s (minimum display period).") % {
            "day": first.isoformat()
        }
    return ""


@transaction.atomic
def repair_apply(
    *, by: User, record: BadRecord, statement: str, proofs: "Sequence[UploadedFile[bytes]]"
) -> RepairApplication:
    claim = verified_claim(by, record)
    if claim is None:
        raise PermissionDenied(_("You are not verified as the subject of this record."))
    record = BadRecord.objects.select_for_update().get(pk=record.pk)
    today = timezone.localdate()
    errors = FieldErrors()
    refusal = repair_refusal(record, today=today)
    if refusal:
        errors.add("statement", refusal)
    if RepairApplication.objects.filter(record=record, status=RequestState.OPEN).exists():
        errors.add(
            "statement", _("A repair application for this record is already open; wait for it.")
        )
    statement = text(statement)
    if not statement:
        errors.add(
            "statement",
            _("Describe the rectification (penalty paid, rectification accepted, no new record)."),
        )
    checked = proofs_check(errors, proofs)
    errors.raise_if_any()
    application = RepairApplication.objects.create(
        claim=claim,
        record=record,
        statement=statement,
        filed_on=today,
        deadline=add_working_days(today, settings.REPAIR_DECISION_WORKING_DAYS),
    )
    for upload, facts in checked:
        proof = RepairProof(application=application)
        proof.store(upload, facts)
        proof.save()
    audit_log(
        actor=by,
        action="repair_apply",
        obj=application,
        after={
            "record": record.reference,
            "deadline": application.deadline,
            "proofs": [facts.sha256 for _u, facts in checked],
        },
    )
    mail.queue("rights_repair_filed_email", application_id=application.pk)
    return application


@transaction.atomic
def repair_decide(
    *, application: RepairApplication, by: User, approve: bool, reasons: str
) -> RepairApplication:
    locked = (
        RepairApplication.objects.select_for_update()
        .select_related("record")
        .get(pk=application.pk)
    )
    if not answers_for(by, locked.record):
        raise PermissionDenied(_("Only a reviewer of the publishing bureau decides repairs."))
    if locked.status != RequestState.OPEN:
        raise ValidationError(_("This application has already been decided."))
    reasons = text(reasons)
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    today = timezone.localdate()
    if approve:
        # The rules hold at the decision too (a ground excluded since, a corrected date).
        refusal = repair_refusal(locked.record, today=today)
        if refusal:
            raise ValidationError({"decision": refusal})
        record_end_early(
            record=locked.record, by=by, reason=EndReason.REPAIRED, reference=locked.reference
        )
    locked.status = RequestState.UPHELD if approve else RequestState.REJECTED
    locked.decided_by = by
    locked.decided_on = today
    locked.decided_at = timezone.now()
    locked.decision_reasons = reasons
    locked.save()
    audit_log(
        actor=by,
        action="repair_approve" if approve else "repair_reject",
        obj=locked,
        before={"status": RequestState.OPEN},
        after={"status": locked.status, "on_time": locked.answered_on_time},
        reason=reasons,
    )
    mail.queue("rights_repair_decided_email", application_id=locked.pk)
    return locked
