"""The credit archive (SPEC §6): interested parties file requests, archive reviewers decide,
approved requesters read the matching archived records for a window, every reading logged."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import InterestedParty
from archive import mail
from archive.models import (
    ArchiveAccessLog,
    ArchiveRequest,
    IdentifierKind,
    ProofFile,
    Relationship,
    RequestStatus,
)
from kernel import identifiers
from kernel.audit import audit_log, audit_log_bulk
from kernel.errors import FieldErrors
from kernel.names import normalize_name, search_key
from kernel.uploads import check_upload
from records.models import BadRecord, Bureau, User
from records.roles import Role, has_role
from workdays.working_days import add_working_days

MAX_PROOF_FILES = 5

CLEANERS = {
    IdentifierKind.CREDIT_CODE: identifiers.clean_credit_code,
    IdentifierKind.LICENCE_NO: identifiers.clean_licence_no,
    IdentifierKind.CERTIFICATE_NO: identifiers.clean_certificate_no,
    IdentifierKind.IDENTITY_NUMBER: identifiers.clean_identity_number,
}

REQUEST_FIELDS = (
    "subject_name",
    "identifier_kind",
    "identifier",
    "bureau",
    "relationship",
    "explanation",
)


def is_interested_party(user: Any) -> bool:
    """A verified public account: active, no bureau, not staff, with a verified profile."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.bureau_id is not None:
        return False
    party = InterestedParty.objects.filter(user=user).first()
    return party is not None and party.email_verified_at is not None


def can_decide(user: Any, archive_request: ArchiveRequest) -> bool:
    """An archive reviewer of the addressed bureau or of a bureau above it."""
    bureau = getattr(user, "bureau", None)
    return bool(
        has_role(user, Role.ARCHIVE_REVIEWER)
        and bureau is not None
        and bureau.contains(archive_request.bureau)
    )


def can_read_request(user: Any, archive_request: ArchiveRequest) -> bool:
    """Who reads a request and its matching archived records on the staff side: the archive
    reviewers who may decide it, and nobody else of a bureau. Filers, licensing officers,
    supervisors and administrators have no business in an interested party's request (it
    names the party and their proof), so for them it does not exist."""
    return bool(
        getattr(user, "is_active", False) and user.is_staff and can_decide(user, archive_request)
    )


def _clean(data: dict[str, Any], proofs: "Sequence[UploadedFile[bytes]]") -> dict[str, Any]:
    errors = FieldErrors()
    name = normalize_name(str(data.get("subject_name") or ""))
    if not name:
        errors.add("subject_name", _("Name the subject of the request."))
    kind = data.get("identifier_kind") or ""
    identifier = str(data.get("identifier") or "")
    if kind not in IdentifierKind.values:
        errors.add("identifier_kind", _("Choose the type of identifier."))
    elif not identifier.strip():
        errors.add("identifier", _("Give one identifier of the subject."))
    else:
        identifier = errors.check("identifier", CLEANERS[IdentifierKind(kind)], identifier)
    bureau = data.get("bureau")
    if not isinstance(bureau, Bureau):
        errors.add("bureau", _("Choose the region whose bureau should decide."))
    relationship = data.get("relationship") or ""
    explanation = str(data.get("explanation") or "").strip()
    if relationship not in Relationship.values:
        errors.add("relationship", _("Say how you are related to the subject."))
    elif relationship == Relationship.OTHER and not explanation:
        errors.add("explanation", _("Explain your interest in the subject."))
    if not proofs:
        errors.add("proofs", _("Attach at least one proof of your interest."))
    elif len(proofs) > MAX_PROOF_FILES:
        errors.add("proofs", _("Attach at most %(n)d files.") % {"n": MAX_PROOF_FILES})
    checked = []
    for upload in proofs[:MAX_PROOF_FILES]:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors.add("proofs", f"{upload.name}: {' '.join(error.messages)}")
    errors.raise_if_any()
    return {
        "subject_name": name,
        "subject_name_key": search_key(name),
        "identifier_kind": kind,
        "identifier": identifier,
        "bureau": bureau,
        "relationship": relationship,
        "explanation": explanation,
        "checked": checked,
    }


@transaction.atomic
def archive_request_file(
    *, by: User, data: dict[str, Any], proofs: "Sequence[UploadedFile[bytes]]"
) -> ArchiveRequest:
    """File a request. The answer is the same whether or not the subject has archived
    records: nothing here looks at the records (SPEC §6, no leaks before a decision)."""
    if not is_interested_party(by):
        raise PermissionDenied(_("Only verified public accounts file archive requests."))
    cleaned = _clean(data, proofs)
    today = timezone.localdate()
    archive_request = ArchiveRequest.objects.create(
        requester=by,
        subject_name=cleaned["subject_name"],
        subject_name_key=cleaned["subject_name_key"],
        identifier_kind=cleaned["identifier_kind"],
        identifier=ArchiveRequest.identifier_stored(
            cleaned["identifier_kind"], cleaned["identifier"]
        ),
        bureau=cleaned["bureau"],
        relationship=cleaned["relationship"],
        explanation=cleaned["explanation"],
        filed_on=today,
        deadline=add_working_days(today, settings.ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS),
    )
    for upload, checked in cleaned["checked"]:
        proof = ProofFile(archive_request=archive_request)
        proof.store(upload, checked)
        proof.save()
    audit_log(
        actor=by,
        action="archive_request_file",
        obj=archive_request,
        after={
            "subject_name": archive_request.subject_name,
            "identifier_kind": archive_request.identifier_kind,
            "identifier": archive_request.identifier_shown,
            "bureau": archive_request.bureau_id,
            "relationship": archive_request.relationship,
            "deadline": archive_request.deadline,
            "proofs": [c.sha256 for _u, c in cleaned["checked"]],
        },
    )
    return archive_request


@transaction.atomic
def archive_request_decide(
    *, archive_request: ArchiveRequest, by: User, approve: bool, reasons: str
) -> ArchiveRequest:
    """Approve or refuse, with reasons. An approval opens the access window from today for
    ARCHIVE_ACCESS_WINDOW_DAYS days. The requester is e-mailed once the decision is saved."""
    locked = (
        ArchiveRequest.objects.select_for_update()
        .select_related("bureau")
        .get(pk=archive_request.pk)
    )
    if not can_decide(by, locked):
        raise PermissionDenied(_("Only archive reviewers with jurisdiction decide requests."))
    if locked.status != RequestStatus.SUBMITTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    today = timezone.localdate()
    locked.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reasons = reasons
    if approve:
        locked.access_from = today
        locked.access_until = today + datetime.timedelta(
            days=settings.ARCHIVE_ACCESS_WINDOW_DAYS - 1
        )
    locked.save()
    audit_log(
        actor=by,
        action="archive_request_approve" if approve else "archive_request_refuse",
        obj=locked,
        before={"status": RequestStatus.SUBMITTED},
        after={
            "status": locked.status,
            "access_from": locked.access_from,
            "access_until": locked.access_until,
        },
        reason=reasons,
    )
    mail.queue_decision_email(archive_request_id=locked.pk)
    return locked


def archive_records_for(
    *, archive_request: ArchiveRequest, user: User, on: datetime.date | None = None
) -> Any:
    """The archived records of one request that this account may read now: the requester
    while the window is open, the archive reviewers who may decide it at any time; nobody
    else."""
    day = on or timezone.localdate()
    if user.pk == archive_request.requester_id and archive_request.access_open(day):
        records = ArchiveRequest.objects.records_readable_by(user, on=day)
    elif can_read_request(user, archive_request):
        records = BadRecord.objects.visible_to(user).in_archive(on=day)
    else:
        return BadRecord.objects.none()
    return archive_request.matching(records).select_related("filing_bureau")


@transaction.atomic
def archive_access_log(
    *, by: User, archive_request: ArchiveRequest, records: Iterable[BadRecord]
) -> int:
    """Write one access-log row per record shown (who, what, when), and the same reading
    as one audit event per record: the log is what the archive's pages (and later the listed
    subject) read; the audit event puts the reading in the tamper-evident trail. One INSERT
    each."""
    rows = [
        ArchiveAccessLog(user=by, archive_request=archive_request, record=record)
        for record in records
    ]
    ArchiveAccessLog.objects.bulk_create(rows)
    record_ids = [row.record.pk for row in rows]
    audit_log_bulk(
        actor=by,
        action="archive_record_read",
        object_type=BadRecord._meta.model_name or "",
        object_ids=record_ids,
        record_ids=record_ids,
        after={"archive_request": archive_request.pk},
    )
    return len(rows)


def archive_requests_remind(*, today: datetime.date | None = None) -> int:
    """Remind the archive reviewers once about each open request that is due within
    ARCHIVE_REMINDER_WORKING_DAYS. The claim is a conditional UPDATE committed together with
    the reminder's outbox job, so a second run (or two at once) sends nothing more. Returns
    the number of requests reminded."""
    day = today or timezone.localdate()
    horizon = add_working_days(day, settings.ARCHIVE_REMINDER_WORKING_DAYS)
    candidates = list(
        ArchiveRequest.objects.due_by(day=horizon)
        .filter(reminded_on=None, deadline__gte=day)
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in candidates:
        with transaction.atomic():
            if ArchiveRequest.objects.filter(pk=pk, reminded_on=None).update(reminded_on=day):
                mail.queue_reminder_email(archive_request_id=pk)
                reminded += 1
    return reminded


def archive_requests_overdue(*, today: datetime.date | None = None) -> dict[int, list[int]]:
    """Overdue requests per addressed bureau, for the daily digest to its archive
    reviewers and those above."""
    day = today or timezone.localdate()
    digest: dict[int, list[int]] = {}
    for pk, bureau_id in ArchiveRequest.objects.overdue(on=day).values_list("pk", "bureau_id"):
        digest.setdefault(bureau_id, []).append(pk)
    return digest


@transaction.atomic
def archive_overdue_digests_queue(*, today: datetime.date | None = None) -> int:
    """Queue each bureau's list of overdue requests for its archive reviewers; returns the
    number of bureaus. The job re-reads the requests, so one decided meanwhile is left out."""
    digest = archive_requests_overdue(today=today)
    for bureau_id, ids in digest.items():
        mail.queue_overdue_digest(bureau_id=bureau_id, archive_request_ids=ids)
    return len(digest)
