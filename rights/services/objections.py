"""Objections (异议, the issue §2): a verified subject objects to one of its published records
with grounds and proof; the publishing bureau answers within OBJECTION_ANSWER_WORKING_DAYS.
Upheld, the record is corrected or withdrawn through the records services, the objection
referenced; rejected, the reasons are given. The record stays public meanwhile, flagged."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from records.models import BadRecord, User
from records.models.bad_records import DISCLOSED_STATUSES
from records.services.bad_records import (
    record_correct,
    record_objection_clear,
    record_objection_mark,
    record_withdraw,
)
from rights import mail
from rights.models import Objection, ObjectionOutcome, ObjectionProof, RequestState
from rights.services.access import answers_for, verified_claim
from rights.services.common import proofs_check, text
from workdays.working_days import add_working_days


@transaction.atomic
def objection_file(
    *, by: User, record: BadRecord, grounds: str, proofs: "Sequence[UploadedFile[bytes]]"
) -> Objection:
    claim = verified_claim(by, record)
    if claim is None:
        raise PermissionDenied(_("You are not verified as the subject of this record."))
    record = BadRecord.objects.select_for_update().get(pk=record.pk)
    errors = FieldErrors()
    if record.status not in DISCLOSED_STATUSES:
        errors.add("grounds", _("Only a record on the public list can be objected to."))
    if Objection.objects.filter(record=record, status=RequestState.OPEN).exists():
        errors.add(
            "grounds", _("An objection to this record is already being handled; wait for it.")
        )
    grounds = text(grounds)
    if not grounds:
        errors.add("grounds", _("State the grounds of the objection."))
    checked = proofs_check(errors, proofs)
    errors.raise_if_any()
    today = timezone.localdate()
    objection = Objection.objects.create(
        claim=claim,
        record=record,
        grounds=grounds,
        filed_on=today,
        deadline=add_working_days(today, settings.OBJECTION_ANSWER_WORKING_DAYS),
    )
    for upload, facts in checked:
        proof = ObjectionProof(objection=objection)
        proof.store(upload, facts)
        proof.save()
    audit_log(
        actor=by,
        action="objection_file",
        obj=objection,
        after={
            "record": record.reference,
            "deadline": objection.deadline,
            "proofs": [facts.sha256 for _u, facts in checked],
        },
    )
    record_objection_mark(record=record, by=by, objection=objection.reference)
    mail.queue("rights_objection_filed_email", objection_id=objection.pk)
    return objection


@transaction.atomic
def objection_answer(
    *,
    objection: Objection,
    by: User,
    decision: str,
    reasons: str,
    correction: dict[str, Any] | None = None,
) -> Objection:
    """decision: "rejected", "corrected" (upheld, the record corrected with `correction`)
    or "withdrawn" (upheld, the record withdrawn)."""
    locked = Objection.objects.select_for_update().select_related("record").get(pk=objection.pk)
    if not answers_for(by, locked.record):
        raise PermissionDenied(_("Only a reviewer of the publishing bureau answers objections."))
    if locked.status != RequestState.OPEN:
        raise ValidationError(_("This objection has already been answered."))
    reasons = text(reasons)
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the answer.")})
    if decision not in ("rejected", *ObjectionOutcome.values):
        raise ValidationError({"decision": _("Choose an answer.")})
    record = locked.record
    cited = _("Objection %(reference)s upheld: %(reasons)s") % {
        "reference": locked.reference,
        "reasons": reasons,
    }
    # The flag comes off first: a withdrawn record is no longer disclosed.
    record_objection_clear(record=record, by=by, objection=locked.reference)
    if decision == ObjectionOutcome.CORRECTED:
        record_correct(record=record, by=by, data=correction or {}, reason=cited)
    elif decision == ObjectionOutcome.WITHDRAWN:
        record_withdraw(record=record, by=by, reason=cited)
    today = timezone.localdate()
    locked.status = RequestState.REJECTED if decision == "rejected" else RequestState.UPHELD
    locked.outcome = "" if decision == "rejected" else decision
    locked.decided_by = by
    locked.decided_on = today
    locked.decided_at = timezone.now()
    locked.decision_reasons = reasons
    locked.save()
    audit_log(
        actor=by,
        action="objection_uphold" if locked.status == RequestState.UPHELD else "objection_reject",
        obj=locked,
        before={"status": RequestState.OPEN},
        after={
            "status": locked.status,
            "outcome": locked.outcome,
            "on_time": locked.answered_on_time,
        },
        reason=reasons,
    )
    mail.queue("rights_objection_answered_email", objection_id=locked.pk)
    return locked
