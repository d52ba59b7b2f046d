"""Verifying a listed subject (the issue §2): the account names one of the subject's
published records, gives the identifier that proves who it is and uploads the proof; a
reviewer of the bureau that published that record verifies or refuses, with reasons."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel import identifiers
from kernel.audit import audit_log
from kernel.errors import FieldErrors
from kernel.names import normalize_name
from records.models import BadRecord, RecordStatus, User
from records.models.bad_records import DISCLOSED_STATUSES
from rights import mail
from rights.models import (
    IDENTIFIERS_FOR,
    ClaimIdentifier,
    ClaimProof,
    ClaimStatus,
    SubjectClaim,
)
from rights.services.access import can_decide_claim, is_public_account
from rights.services.common import proofs_check, text

CLEANERS = {
    ClaimIdentifier.CREDIT_CODE: identifiers.clean_credit_code,
    ClaimIdentifier.LICENCE_NO: identifiers.clean_licence_no,
    ClaimIdentifier.CERTIFICATE_NO: identifiers.clean_certificate_no,
}
# A subject proves itself against a record that is or was public.
CLAIMABLE_STATUSES = (*sorted(DISCLOSED_STATUSES), RecordStatus.ARCHIVED)


def record_by_reference(reference: str) -> BadRecord | None:
    value = text(reference).upper()
    # At most 12 digits: a longer number cannot be a record and would overflow the column.
    if not value.startswith("TR") or not value[2:].isdigit() or len(value) > 14:
        return None
    return (
        BadRecord.objects.filter(pk=int(value[2:]), status__in=CLAIMABLE_STATUSES)
        .select_related("filing_bureau")
        .first()
    )


@transaction.atomic
def subject_claim_file(
    *,
    by: User,
    data: dict[str, Any],
    proofs: "Sequence[UploadedFile[bytes]]",
    language: str,
) -> SubjectClaim:
    """File a claim. The identifier must be the record's own (compared normalised), so that
    nobody learns anything by guessing: a wrong pair is told apart from nothing else."""
    if not is_public_account(by):
        raise PermissionDenied(_("Only a verified public account may claim to be a subject."))
    errors = FieldErrors()
    record = record_by_reference(data.get("record_reference") or "")
    kind = data.get("identifier_kind") or ""
    value = text(data.get("identifier"))
    acting = normalize_name(text(data.get("acting_person")))
    if not acting:
        errors.add("acting_person", _("Give the name of the person acting."))
    if kind not in ClaimIdentifier.values:
        errors.add("identifier_kind", _("Choose the type of identifier."))
    elif not value:
        errors.add("identifier", _("Give the identifier."))
    else:
        value = errors.check("identifier", CLEANERS[ClaimIdentifier(kind)], value)
    mismatch = _("The record reference and the identifier do not belong together.")
    if record is None:
        errors.add("record_reference", mismatch)
    elif "identifier" not in errors.errors and kind in ClaimIdentifier.values:
        allowed = IDENTIFIERS_FOR.get(record.subject_type, ())  # type: ignore[call-overload]
        if kind not in allowed or getattr(record, kind) != value:
            errors.add("record_reference", mismatch)
    if record is not None:
        # Two submissions at once: the second waits here and then finds the first.
        BadRecord.objects.select_for_update().filter(pk=record.pk).first()
    if (
        record is not None
        and SubjectClaim.objects.filter(
            account=by, record=record, status=ClaimStatus.SUBMITTED
        ).exists()
    ):
        errors.add("record_reference", _("You already have a claim for this record waiting."))
    checked = proofs_check(errors, proofs)
    errors.raise_if_any()
    assert record is not None
    claim = SubjectClaim.objects.create(
        account=by,
        record=record,
        subject_type=record.subject_type,
        operator_id=record.operator_id,
        practitioner_id=record.practitioner_id,
        bureau_id=record.filing_bureau_id,
        identifier_kind=kind,
        identifier=value,
        acting_person=acting,
        language=language,
        filed_on=timezone.localdate(),
    )
    for upload, facts in checked:
        proof = ClaimProof(claim=claim)
        proof.store(upload, facts)
        proof.save()
    audit_log(
        actor=by,
        action="subject_claim_file",
        obj=claim,
        after={
            "record": record.reference,
            "identifier_kind": kind,
            "proofs": [facts.sha256 for _u, facts in checked],
        },
    )
    return claim


@transaction.atomic
def subject_claim_decide(
    *, claim: SubjectClaim, by: User, verify: bool, reasons: str
) -> SubjectClaim:
    locked = SubjectClaim.objects.select_for_update().get(pk=claim.pk)
    if not can_decide_claim(by, locked):
        raise PermissionDenied(_("Only a reviewer of the publishing bureau verifies subjects."))
    if locked.status != ClaimStatus.SUBMITTED:
        raise ValidationError(_("This claim has already been decided."))
    reasons = text(reasons)
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    locked.status = ClaimStatus.VERIFIED if verify else ClaimStatus.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reasons = reasons
    locked.save()
    audit_log(
        actor=by,
        action="subject_claim_verify" if verify else "subject_claim_refuse",
        obj=locked,
        before={"status": ClaimStatus.SUBMITTED},
        after={"status": locked.status},
        reason=reasons,
    )
    mail.queue("rights_claim_decided_email", claim_id=locked.pk)
    return locked
