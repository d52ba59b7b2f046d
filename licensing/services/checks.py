"""Writing applicant checks down (SPEC §7): `applicant_check` looks the applicant up and keeps
the result unchanged forever; `check_conclude` appends the officer's conclusion."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.audit import audit_log
from kernel.identifiers import mask_identity_number
from licensing.inputs import CheckInput
from licensing.lookup import LookupResult, lookup
from licensing.models import ApplicantCheck, CheckBatch, CheckConclusion, Conclusion
from licensing.permissions import can_run_checks
from records.models import User

# No 0/O, 1/I/L: the number and code are read off paper and typed in.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def identity_hmac(identity_number: str) -> str:
    """A keyed hash: finds earlier checks of the same person without keeping the number."""
    if not identity_number:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, identity_number.encode(), hashlib.sha256).hexdigest()


def code_matches(check: ApplicantCheck, code: str) -> bool:
    typed = (code or "").strip().upper().replace(" ", "").replace("-", "")
    return hmac.compare_digest(check.verification_code.encode(), typed.encode())


@transaction.atomic
def applicant_check(
    *,
    by: User,
    data: CheckInput,
    source: str,
    batch: CheckBatch | None = None,
    batch_row: int | None = None,
    result: LookupResult | None = None,
) -> ApplicantCheck:
    """Look the applicant up and write the check down. A batch passes the `result` of a
    lookup it made just before (batch_lookups), outside its chunk's transaction: the audit
    writer's lock is then held for the writing only, and the parts of a batch run side by side
    instead of taking turns."""
    if not can_run_checks(by) or by.bureau is None:
        raise PermissionDenied(_("Only licensing officers and administrators run checks."))
    applicant = data.applicant
    if result is None:
        result = lookup(applicant=applicant, bureau=by.bureau)
    principal = [
        {"name": p.name, "identity_masked": mask_identity_number(p.identity_number)}
        for p in applicant.principal_persons
    ]
    legal = applicant.legal_representative
    fields = {
        "verification_code": _random(CODE_LENGTH),
        "bureau": by.bureau,
        "officer": by,
        "source": source,
        "batch": batch,
        "batch_row": batch_row,
        "application_type": data.application_type,
        "application_ref": data.application_ref,
        "applicant_kind": applicant.kind,
        "applicant_name": applicant.name,
        "credit_code": applicant.credit_code,
        "licence_no": applicant.licence_no,
        "certificate_no": applicant.certificate_no,
        "identity_masked": mask_identity_number(applicant.identity_number),
        "identity_hmac": identity_hmac(applicant.identity_number),
        "legal_representative": legal.name if legal else "",
        "principal_persons": principal,
        "verdict": result.verdict,
        "matches": result.matches,
        "archived": result.archived,
        "connected": result.connected,
    }
    day = timezone.localdate().strftime("%Y%m%d")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                check = ApplicantCheck.objects.create(number=f"LC{day}-{_random(6)}", **fields)
            break
        except IntegrityError:  # the same random number drawn twice: draw again
            continue
    else:
        raise RuntimeError("Could not draw a free check number")
    audit_log(
        actor=by,
        action="applicant_check",
        obj=check,
        after={"number": check.number, "verdict": check.verdict, "source": source},
    )
    return check


@transaction.atomic
def check_conclude(
    *, by: User, check: ApplicantCheck, conclusion: str, note: str
) -> CheckConclusion:
    if not can_run_checks(by) or by.bureau_id != check.bureau_id:
        raise PermissionDenied(_("Only the bureau that ran a check records its conclusion."))
    if conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": _("Choose a conclusion.")})
    note = (note or "").strip()
    if conclusion != Conclusion.SAME_SUBJECT and check.verdict != "not_listed" and not note:
        raise ValidationError(
            {"note": _("Say why: a note is required when the conclusion departs from a match.")}
        )
    row = CheckConclusion.objects.create(
        applicant_check=check, conclusion=conclusion, note=note[:4000], by=by
    )
    audit_log(
        actor=by,
        action="applicant_check_conclude",
        obj=check,
        after={"conclusion": conclusion},
        reason=note[:4000],
    )
    return row
