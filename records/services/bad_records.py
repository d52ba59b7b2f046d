"""The record lifecycle (SPEC §3): every transition is one function here. Each checks who may
do it, re-reads the record under a row lock so that two clicks cannot both succeed, stamps who
and when, and writes one audit event.

draft → submitted → published (or scheduled → published) → archived
submitted → returned → submitted;  published/scheduled → withdrawn;  published → corrected
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel import identifiers, jobs
from kernel.audit import AuditStep, audit_log, audit_log_steps, changed_fields
from kernel.errors import FieldErrors
from kernel.identifiers import lookup_key
from kernel.names import normalize_name, search_key, short_grams
from kernel.periods import last_public_day
from records import permissions
from records.models import BadRecord, BadRecordVersion, Operator, Practitioner, RecordStatus, User
from records.models.bad_records import (
    DISCLOSED_STATUSES,
    GROUNDS_FOR,
    BasisType,
    EndReason,
    SubjectType,
)
from records.published_fields import published_snapshot
from workdays.working_days import add_working_days, working_days_between

# A reason is a sentence or a paragraph; the report and its XLSX export show it whole.
LATE_REASON_MAX_LENGTH = 2000

# What a filer types into a draft.
DRAFT_FIELDS = (
    "subject_type",
    "operator",
    "practitioner",
    "ground",
    "cause",
    "penalty_decision",
    "complaint_result",
    "basis_type",
    "basis_number",
    "basis_issuer",
    "basis_date",
    "obtained_on",
    "period_years",
    "period_legal_basis",
    "internal_note",
)
# What a correction may change: the published fields and their basis.
CORRECTABLE_FIELDS = (
    "subject_name",
    "licence_no",
    "certificate_no",
    "business_address",
    "legal_representative",
    "ground",
    "cause",
    "penalty_decision",
    "complaint_result",
    "basis_type",
    "basis_number",
    "basis_issuer",
    "basis_date",
    "period_years",
    "period_legal_basis",
)
# The fields the audit trail follows.
AUDITED_FIELDS = (
    *CORRECTABLE_FIELDS,
    "subject_type",
    "operator",
    "practitioner",
    "obtained_on",
    "publish_deadline",
    "status",
    "public_from",
    "public_until",
    "is_late",
    "late_publication_reason",
    "publication_working_days",
    "version",
    "return_comment",
    "withdrawal_reason",
    "internal_note",
)


def _state(record: BadRecord) -> dict[str, Any]:
    return {
        field: getattr(
            record, field if field not in ("operator", "practitioner") else f"{field}_id"
        )
        for field in AUDITED_FIELDS
    }


def _text(value: Any) -> str:
    return str(value or "").strip()


def _basis_taken(*, issuer_key: str, number_key: str, exclude_pk: int | None) -> bool:
    others = BadRecord.objects.exclude(status=RecordStatus.WITHDRAWN)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.filter(basis_issuer_key=issuer_key, basis_number_key=number_key).exists()


def _check_period(errors: FieldErrors, cleaned: dict[str, Any]) -> None:
    years = cleaned.get("period_years")
    if not isinstance(years, int) or not 1 <= years <= 50:
        errors.add("period_years", _("The publication period is a whole number of years, 1 to 50."))
    elif years != settings.PUBLICATION_PERIOD_YEARS and not cleaned.get("period_legal_basis"):
        errors.add(
            "period_legal_basis",
            _("A period other than %(years)d years needs the law or regulation that provides it.")
            % {"years": settings.PUBLICATION_PERIOD_YEARS},
        )


def _check_ground(errors: FieldErrors, subject_type: str, ground: str) -> None:
    if not ground:
        errors.add("ground", _("This field is required."))
    elif subject_type in GROUNDS_FOR and ground not in GROUNDS_FOR[SubjectType(subject_type)]:
        message = (
            _("Ground %(ground)s does not apply to operators.")
            if subject_type == SubjectType.OPERATOR
            else _("Ground %(ground)s applies to operators only.")
        )
        errors.add("ground", message % {"ground": ground})


def basis_keys(*, number: str, issuer: str) -> tuple[str, str]:
    """The keys a basis document is known by (one record per document of an issuing body):
    the number with full-width forms, spaces and the brackets around the year folded, and
    the issuer's name search key."""
    number = normalize_name(_text(number))
    issuer = normalize_name(_text(issuer))
    return identifiers.normalize_document_number(number), search_key(issuer)


def _check_basis(
    errors: FieldErrors, cleaned: dict[str, Any], *, exclude_pk: int | None, today: datetime.date
) -> None:
    if cleaned["basis_type"] not in BasisType.values:
        errors.add("basis_type", _("Choose one of the listed document types."))
    for field in ("basis_number", "basis_issuer"):
        if not cleaned[field]:
            errors.add(field, _("This field is required."))
    basis_date = cleaned.get("basis_date")
    if not isinstance(basis_date, datetime.date):
        errors.add("basis_date", _("Enter a valid date."))
    elif basis_date > today:
        errors.add("basis_date", _("The decision date cannot be in the future."))
    cleaned["basis_number_key"], cleaned["basis_issuer_key"] = basis_keys(
        number=cleaned["basis_number"], issuer=cleaned["basis_issuer"]
    )
    if (
        cleaned["basis_number_key"]
        and cleaned["basis_issuer_key"]
        and _basis_taken(
            issuer_key=cleaned["basis_issuer_key"],
            number_key=cleaned["basis_number_key"],
            exclude_pk=exclude_pk,
        )
    ):
        errors.add(
            "basis_number",
            _("A record for this document of this issuing body already exists."),
        )


def record_clean(
    *, data: dict[str, Any], instance: BadRecord | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """Check and normalise a draft's fields; raise ValidationError naming each bad field."""
    today = today or timezone.localdate()
    errors = FieldErrors()
    subject_type = data.get("subject_type") or ""
    cleaned: dict[str, Any] = {
        "subject_type": subject_type,
        "operator": data.get("operator") if subject_type == SubjectType.OPERATOR else None,
        "practitioner": (
            data.get("practitioner") if subject_type == SubjectType.PRACTITIONER else None
        ),
        "ground": data.get("ground") or "",
        "cause": _text(data.get("cause")),
        "penalty_decision": _text(data.get("penalty_decision")),
        "complaint_result": _text(data.get("complaint_result")),
        "basis_type": data.get("basis_type") or "",
        "basis_number": normalize_name(_text(data.get("basis_number"))),
        "basis_issuer": normalize_name(_text(data.get("basis_issuer"))),
        "basis_date": data.get("basis_date"),
        "obtained_on": data.get("obtained_on") or data.get("basis_date"),
        "period_years": data.get("period_years") or settings.PUBLICATION_PERIOD_YEARS,
        "period_legal_basis": _text(data.get("period_legal_basis")),
        "internal_note": _text(data.get("internal_note")),
    }
    if subject_type not in SubjectType.values:
        errors.add("subject_type", _("Choose operator or practitioner."))
    elif subject_type == SubjectType.OPERATOR and not isinstance(cleaned["operator"], Operator):
        errors.add("operator", _("Choose the operator this record is about."))
    elif subject_type == SubjectType.PRACTITIONER and not isinstance(
        cleaned["practitioner"], Practitioner
    ):
        errors.add("practitioner", _("Choose the practitioner this record is about."))
    _check_ground(errors, subject_type, cleaned["ground"])
    if not cleaned["cause"]:
        errors.add("cause", _("This field is required."))
    _check_basis(errors, cleaned, exclude_pk=instance.pk if instance else None, today=today)
    obtained_on = cleaned["obtained_on"]
    # An empty "obtained on" takes the decision date, whose own errors are already reported.
    if data.get("obtained_on") and isinstance(obtained_on, datetime.date):
        if obtained_on > today:
            errors.add(
                "obtained_on", _("The date the information was obtained cannot be in the future.")
            )
        elif isinstance(cleaned["basis_date"], datetime.date) and (
            obtained_on < cleaned["basis_date"]
        ):
            errors.add(
                "obtained_on", _("The information cannot be obtained before the decision date.")
            )
    _check_period(errors, cleaned)
    errors.raise_if_any()
    return cleaned


def _apply_subject_snapshot(record: BadRecord) -> None:
    """Copy the subject's published fields onto the record."""
    if record.subject_type == SubjectType.OPERATOR and record.operator:
        subject: Operator | Practitioner = record.operator
        record.licence_no = record.operator.licence_no
        record.credit_code = record.operator.credit_code
        record.business_address = record.operator.business_address
        record.legal_representative = record.operator.legal_representative
        record.certificate_no = ""
        record.sector = record.operator.sector
        record.practitioner_kind = ""
    elif record.practitioner:
        subject = record.practitioner
        employer = record.practitioner.employer
        record.certificate_no = record.practitioner.certificate_no
        record.licence_no = record.credit_code = record.legal_representative = ""
        record.business_address = employer.business_address if employer else ""
        record.sector = ""
        record.practitioner_kind = record.practitioner.kind
    else:
        return
    record.subject_name = subject.name
    record.subject_name_key = search_key(subject.name)
    record.name_grams = short_grams(record.subject_name_key)
    record.identifier_key = lookup_key(record.licence_no or record.certificate_no)


def _apply_draft(record: BadRecord, cleaned: dict[str, Any]) -> None:
    for field, value in cleaned.items():
        setattr(record, field, value)
    record.publish_deadline = add_working_days(
        record.obtained_on, settings.PUBLICATION_DEADLINE_WORKING_DAYS
    )
    _apply_subject_snapshot(record)


def _locked(record: BadRecord) -> BadRecord:
    return BadRecord.objects.select_for_update().select_related("filing_bureau").get(pk=record.pk)


def _deny(message: str) -> None:
    raise PermissionDenied(message)


@transaction.atomic
def record_create(
    *, by: User, data: dict[str, Any], submit: bool = False, notify: bool = True
) -> BadRecord:
    """File a draft. With `submit` the filer submits it at once (the rows of a spreadsheet
    import confirmed as submitted): record_submit's checks, the record written once, already
    submitted, and the same two audit events, record_create then record_submit, that filing
    and then submitting write (in one write, with one time). `notify` as in record_submit."""
    if not permissions.can_file(by):
        _deny(_("Only a filer of a bureau may file records."))
    cleaned = record_clean(data=data)
    record = BadRecord(filing_bureau=by.bureau, filed_by=by, status=RecordStatus.DRAFT)
    _apply_draft(record, cleaned)
    filed = _state(record)
    if submit:
        _check_submittable(record, by)
        record.status = RecordStatus.SUBMITTED
        record.submitted_at = timezone.now()
    record.save()
    steps = [AuditStep(action="record_create", after=filed)]
    if submit:
        old, new = changed_fields(filed, _state(record))
        steps.append(AuditStep(action="record_submit", before=old, after=new))
    audit_log_steps(actor=by, obj=record, steps=steps)
    if submit and notify:
        jobs.job_enqueue(name="notify_reviewers_of_submission", payload={"record_id": record.pk})
    return record


@transaction.atomic
def record_update(*, record: BadRecord, by: User, data: dict[str, Any]) -> BadRecord:
    record = _locked(record)
    if not permissions.can_edit_record(by, record):
        _deny(_("This record can no longer be edited by you."))
    cleaned = record_clean(data=data, instance=record)
    before = _state(record)
    _apply_draft(record, cleaned)
    record.save()
    old, new = changed_fields(before, _state(record))
    audit_log(actor=by, action="record_update", obj=record, before=old, after=new)
    return record


@transaction.atomic
def record_delete_draft(*, record: BadRecord, by: User) -> None:
    record = _locked(record)
    if not permissions.can_delete_record(by, record):
        _deny(_("Only drafts that were never submitted can be deleted."))
    audit_log(actor=by, action="record_delete_draft", obj=record, before=_state(record))
    # The audit events outlive the draft; they keep the id they referred to.
    for evidence in record.evidence.all():
        evidence.file.delete(save=False)
    record.evidence.all().delete()
    record.delete()


def _transition(
    *, record: BadRecord, by: User, action: str, reason: str = "", **changes: Any
) -> BadRecord:
    before = _state(record)
    for field, value in changes.items():
        setattr(record, field, value)
    record.save()
    old, new = changed_fields(before, _state(record))
    audit_log(actor=by, action=action, obj=record, before=old, after=new, reason=reason)
    return record


def _check_submittable(record: BadRecord, by: User) -> None:
    if not permissions.can_edit_record(by, record):
        _deny(_("Only a filer of the filing bureau may submit this record now."))
    if record.subject_type == SubjectType.OPERATOR and not record.operator_id:
        raise ValidationError({"operator": _("Choose the operator this record is about.")})


@transaction.atomic
def record_submit(*, record: BadRecord, by: User, notify: bool = True) -> BadRecord:
    """Submit a draft for review. The reviewers get an e-mail per record, unless the caller
    tells them once about many (a spreadsheet import: `notify=False`)."""
    record = _locked(record)
    _check_submittable(record, by)
    record = _transition(
        record=record,
        by=by,
        action="record_submit",
        status=RecordStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    if notify:
        jobs.job_enqueue(name="notify_reviewers_of_submission", payload={"record_id": record.pk})
    return record


@transaction.atomic
def record_return(*, record: BadRecord, by: User, comment: str) -> BadRecord:
    record = _locked(record)
    if not permissions.can_review_record(by, record):
        _deny(_("Only a reviewer of the filing bureau, other than the filer, may return it."))
    comment = _text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what the filer must change.")})
    return _transition(
        record=record,
        by=by,
        action="record_return",
        reason=comment,
        status=RecordStatus.RETURNED,
        return_comment=comment,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def record_publish(
    *,
    record: BadRecord,
    by: User,
    public_from: datetime.date | None = None,
    late_reason: str = "",
) -> BadRecord:
    """Approve a submission. Publication starts today, or on a later day the reviewer sets;
    then the record is scheduled and starts by itself. A record whose publication starts
    after its deadline is flagged late, and the reviewer must say why: bureaus that report
    late are held to account (办法), and the reason goes into the accountability report."""
    record = _locked(record)
    if not permissions.can_review_record(by, record):
        _deny(_("Only a reviewer of the filing bureau, other than the filer, may publish it."))
    today = timezone.localdate()
    start = public_from or today
    if start < today:
        raise ValidationError({"public_from": _("Publication cannot start in the past.")})
    if start > today + datetime.timedelta(days=settings.PUBLICATION_SCHEDULE_MAX_DAYS):
        raise ValidationError(
            {
                "public_from": _("Publication can be scheduled at most %(days)d days ahead.")
                % {"days": settings.PUBLICATION_SCHEDULE_MAX_DAYS}
            }
        )
    is_late = start > record.publish_deadline
    late_reason = _text(late_reason) if is_late else ""
    if is_late and not late_reason:
        raise ValidationError(
            {
                "late_reason": _(
                    "The publication deadline was %(deadline)s: give the reason for the late "
                    "publication."
                )
                % {"deadline": record.publish_deadline.isoformat()}
            }
        )
    if len(late_reason) > LATE_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "late_reason": _(
                    "The reason for the late publication can be at most %(n)d characters."
                )
                % {"n": LATE_REASON_MAX_LENGTH}
            }
        )
    return _transition(
        record=record,
        by=by,
        action="record_publish",
        reason=late_reason,
        status=RecordStatus.PUBLISHED if start == today else RecordStatus.SCHEDULED,
        public_from=start,
        public_until=last_public_day(start, record.period_years),
        is_late=is_late,
        late_publication_reason=late_reason,
        publication_working_days=max(0, working_days_between(record.obtained_on, start)),
        reviewed_by=by,
        reviewed_at=timezone.now(),
        return_comment="",
    )


@transaction.atomic
def record_withdraw(*, record: BadRecord, by: User, reason: str) -> BadRecord:
    record = _locked(record)
    if not permissions.can_amend_published(by, record):
        _deny(_("Only a reviewer of the filing bureau may withdraw a published record."))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    return _transition(
        record=record,
        by=by,
        action="record_withdraw",
        reason=reason,
        status=RecordStatus.WITHDRAWN,
        withdrawal_reason=reason,
        withdrawn_at=timezone.now(),
    )


def _version_data(record: BadRecord) -> dict[str, Any]:
    """What a version keeps: the published fields as they were, and the basis and period a
    correction may also change."""
    data = {field: getattr(record, field) for field in CORRECTABLE_FIELDS}
    data = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}
    return {**data, **published_snapshot(record)}


def record_correct_clean(*, record: BadRecord, data: dict[str, Any]) -> dict[str, Any]:
    """Check a correction of a published record: the same rules as a draft."""
    errors = FieldErrors()
    cleaned: dict[str, Any] = {}
    for field in CORRECTABLE_FIELDS:
        value = data.get(field, getattr(record, field))
        if isinstance(getattr(record, field), str):
            value = (
                normalize_name(_text(value))
                if field
                in (
                    "subject_name",
                    "basis_number",
                    "basis_issuer",
                    "business_address",
                    "legal_representative",
                )
                else _text(value)
            )
        cleaned[field] = value
    if not cleaned["subject_name"]:
        errors.add("subject_name", _("This field is required."))
    if cleaned["licence_no"]:
        cleaned["licence_no"] = errors.check(
            "licence_no", identifiers.clean_licence_no, cleaned["licence_no"]
        )
    if cleaned["certificate_no"]:
        is_guide = record.practitioner is not None and record.practitioner.kind == "guide"
        cleaned["certificate_no"] = errors.check(
            "certificate_no",
            identifiers.clean_guide_certificate_no
            if is_guide
            else identifiers.clean_certificate_no,
            cleaned["certificate_no"],
        )
    _check_ground(errors, record.subject_type, cleaned["ground"])
    if not cleaned["cause"]:
        errors.add("cause", _("This field is required."))
    _check_basis(errors, cleaned, exclude_pk=record.pk, today=timezone.localdate())
    if (
        isinstance(cleaned["basis_date"], datetime.date)
        and "basis_date" not in errors.errors
        and cleaned["basis_date"] > record.obtained_on
    ):
        errors.add(
            "basis_date",
            _(
                "The decision date cannot be after the date the information was obtained "
                "(%(obtained)s)."
            )
            % {"obtained": record.obtained_on.isoformat()},
        )
    _check_period(errors, cleaned)
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def record_correct(*, record: BadRecord, by: User, data: dict[str, Any], reason: str) -> BadRecord:
    """Correct a published record: the old values are kept as a version, the record carries
    the new ones under the same reference (mirrors keep their link)."""
    record = _locked(record)
    if not permissions.can_amend_published(by, record):
        _deny(_("Only a reviewer of the filing bureau may correct a published record."))
    reason = _text(reason)
    errors = FieldErrors()
    if not reason:
        errors.add("reason", _("Give the reason for the correction."))
    try:
        cleaned = record_correct_clean(record=record, data=data)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(field, message)
        cleaned = {}
    errors.raise_if_any()
    changes = {k: v for k, v in cleaned.items() if getattr(record, k) != v}
    changes.pop("basis_number_key", None)
    changes.pop("basis_issuer_key", None)
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    BadRecordVersion.objects.create(
        record=record,
        version=record.version,
        data=_version_data(record),
        correction_reason=reason,
        corrected_by=by,
    )
    changes.update(
        basis_number_key=cleaned["basis_number_key"],
        basis_issuer_key=cleaned["basis_issuer_key"],
        subject_name_key=search_key(cleaned["subject_name"]),
        name_grams=short_grams(search_key(cleaned["subject_name"])),
        identifier_key=lookup_key(cleaned["licence_no"] or cleaned["certificate_no"]),
        version=record.version + 1,
    )
    if "period_years" in changes and record.public_from:
        changes["public_until"] = last_public_day(record.public_from, changes["period_years"])
    return _transition(record=record, by=by, action="record_correct", reason=reason, **changes)


# The listed subject's rights (the rights app decides; these write what the public sees).


@transaction.atomic
def record_objection_mark(*, record: BadRecord, by: User, objection: str) -> BadRecord:
    """Flag a disclosed record as having an objection (异议) being handled. The record stays
    public meanwhile (the 2015 rule); the flag changes `updated_at`, so the change feed
    reports the record again. `objection` is the objection's reference, kept in the audit
    event. The caller (rights) has checked that `by` acts for the subject."""
    record = _locked(record)
    if record.status not in DISCLOSED_STATUSES:
        raise ValidationError(_("Only a record on the public list can be objected to."))
    if record.objection_open:
        return record
    record.objection_open = True
    record.save(update_fields=["objection_open", "updated_at"])
    audit_log(
        actor=by,
        action="record_objection_mark",
        obj=record,
        before={"objection_open": False},
        after={"objection_open": True, "objection": objection},
    )
    return record


@transaction.atomic
def record_objection_clear(*, record: BadRecord, by: User, objection: str) -> BadRecord:
    """Take the flag off once the objection is answered (whatever the answer)."""
    record = _locked(record)
    if not record.objection_open:
        return record
    record.objection_open = False
    record.save(update_fields=["objection_open", "updated_at"])
    audit_log(
        actor=by,
        action="record_objection_clear",
        obj=record,
        before={"objection_open": True},
        after={"objection_open": False, "objection": objection},
    )
    return record


@transaction.atomic
def record_end_early(
    *, record: BadRecord, by: User, reason: str, reference: str, today: datetime.date | None = None
) -> BadRecord:
    """End a published record's period before its end (credit repair): yesterday becomes the
    last public day, so the record is off the public list at once and is archived with the
    reason; the change feed reports it as a removal. Only a reviewer of the filing bureau.
    `reference` names the decision that ended it (a repair application)."""
    record = _locked(record)
    if not permissions.can_amend_published(by, record):
        _deny(_("Only a reviewer of the filing bureau may end a published record early."))
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose a reason for the early end.")})
    day = today or timezone.localdate()
    last_day = day - datetime.timedelta(days=1)
    if record.status != RecordStatus.PUBLISHED or record.public_from is None:
        raise ValidationError(_("Only a record on the public list can end early."))
    if last_day < record.public_from:
        raise ValidationError(_("A record cannot end before it was published."))
    return _transition(
        record=record,
        by=by,
        action="record_end_early",
        reason=f"{reason}: {reference}",
        status=RecordStatus.ARCHIVED,
        public_until=last_day,
        archived_at=timezone.now(),
        ended_early_at=timezone.now(),
        end_reason=reason,
    )
