"""Supervision measures (SPEC §8): inspections (检查), unannounced visits (暗访) and
rectification orders (责令整改) logged against a listed subject and the records they concern;
the follow-up of an order; a new draft record when the subject did not rectify. One audited
function per action."""

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from kernel.names import normalize_name
from kernel.uploads import CheckedUpload, check_upload
from records.models import BadRecord, Ground, SubjectType, User
from records.models.bad_records import DISCLOSED_STATUSES, GROUNDS_FOR, BasisType, reference_of
from records.services.bad_records import record_create
from supervision import permissions
from supervision.models import (
    MeasureAttachment,
    MeasureKind,
    MeasureQuerySet,
    RectificationResult,
    SupervisionMeasure,
)
from workdays.working_days import add_working_days

# How many attachments one measure takes in one go.
MAX_ATTACHMENTS = 10
_REFERENCE = re.compile(r"(?:TR)?0*([0-9]{1,12})", re.IGNORECASE)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _state(measure: SupervisionMeasure) -> dict[str, Any]:
    return {
        "kind": measure.kind,
        "taken_on": measure.taken_on,
        "officers": measure.officers,
        "findings": measure.findings,
        "subject_name": measure.subject_name,
        "operator": measure.operator_id,
        "practitioner": measure.practitioner_id,
        "requirements": measure.requirements,
        "due_on": measure.due_on,
        "due_in_working_days": measure.due_in_working_days,
        "result": measure.result,
        "result_on": measure.result_on,
        "result_note": measure.result_note,
        "follow_up_record": measure.follow_up_record_id,
    }


def records_from_references(*, by: User, text: str | Sequence[BadRecord]) -> list[BadRecord]:
    """The records a measure concerns, from their references ("TR00000012, TR00000013") or
    given as records. Only disclosed records in the account's jurisdiction count; anything
    else is reported as not found, whether or not it exists elsewhere."""
    if not isinstance(text, str):
        ids = [record.pk for record in text]
    else:
        ids = []
        for token in re.split(r"[\s,，;；、]+", text.strip()):
            if not token:
                continue
            match = _REFERENCE.fullmatch(token)
            if match is None:
                raise ValidationError(
                    {"records": _("“%(token)s” is not a record reference.") % {"token": token}}
                )
            ids.append(int(match.group(1)))
    if not ids:
        raise ValidationError({"records": _("Name at least one record the measure concerns.")})
    found = {
        record.pk: record
        for record in BadRecord.objects.visible_to(by)
        .filter(pk__in=ids, status__in=sorted(DISCLOSED_STATUSES))
        .select_related("operator", "practitioner")
    }
    missing = [reference_of(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "records": _("No disclosed record in your region has the reference %(refs)s.")
                % {"refs": ", ".join(missing)}
            }
        )
    records = [found[pk] for pk in dict.fromkeys(ids)]
    subjects = {(record.operator_id, record.practitioner_id) for record in records}
    if len(subjects) > 1:
        raise ValidationError(
            {"records": _("The records of one measure must be about the same subject.")}
        )
    return records


def _check_uploads(errors: FieldErrors, uploads: Sequence["UploadedFile[bytes]"]) -> list[Any]:
    checked: list[tuple[UploadedFile[bytes], CheckedUpload]] = []
    if len(uploads) > MAX_ATTACHMENTS:
        errors.add(
            "attachments",
            _("At most %(n)d files can be attached at once.") % {"n": MAX_ATTACHMENTS},
        )
        return checked
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors.add(
                "attachments",
                _("%(file)s: %(problem)s")
                % {"file": upload.name, "problem": " ".join(error.messages)},
            )
    return checked


def measure_clean(
    *, by: User, data: dict[str, Any], today: datetime.date | None = None
) -> dict[str, Any]:
    """Check and normalise a measure's fields; raise ValidationError naming each bad field."""
    today = today or timezone.localdate()
    errors = FieldErrors()
    kind = data.get("kind") or ""
    cleaned: dict[str, Any] = {
        "kind": kind,
        "taken_on": data.get("taken_on"),
        "officers": normalize_name(_text(data.get("officers"))),
        "findings": _text(data.get("findings")),
        "requirements": _text(data.get("requirements")),
        "due_on": data.get("due_on"),
        "due_in_working_days": data.get("due_in_working_days"),
    }
    if kind not in MeasureKind.values:
        errors.add("kind", _("Choose inspection, unannounced visit or rectification order."))
    taken_on = cleaned["taken_on"]
    if not isinstance(taken_on, datetime.date):
        errors.add("taken_on", _("Enter a valid date."))
    elif taken_on > today:
        errors.add("taken_on", _("The date of the measure cannot be in the future."))
    if not cleaned["officers"]:
        errors.add("officers", _("Name the officers who took the measure."))
    elif len(cleaned["officers"]) > 300:
        errors.add("officers", _("At most 300 characters."))
    if not cleaned["findings"]:
        errors.add("findings", _("Describe what was found."))
    try:
        cleaned["records"] = records_from_references(by=by, text=data.get("records") or "")
    except ValidationError as error:
        for message in error.message_dict.get("records", error.messages):
            errors.add("records", message)
    if kind == MeasureKind.RECTIFICATION_ORDER:
        _clean_order(errors, cleaned)
    else:
        cleaned.update(requirements="", due_on=None, due_in_working_days=None)
    errors.raise_if_any()
    return cleaned


def _clean_order(errors: FieldErrors, cleaned: dict[str, Any]) -> None:
    if not cleaned["requirements"]:
        errors.add("requirements", _("Say what the subject must rectify."))
    days, due_on, taken_on = (
        cleaned["due_in_working_days"],
        cleaned["due_on"],
        cleaned["taken_on"],
    )
    if days:
        if not isinstance(days, int) or not 1 <= days <= 365:
            errors.add("due_in_working_days", _("A whole number of working days, 1 to 365."))
        elif isinstance(taken_on, datetime.date):
            counted = add_working_days(taken_on, days)
            # A date that is the count's own result is the same answer given twice (a form
            # cleaned once already); any other date contradicts the count.
            if due_on and due_on != counted:
                errors.add(
                    "due_on", _("Give either a due date or a number of working days, not both.")
                )
            cleaned["due_on"] = counted
    elif not isinstance(due_on, datetime.date):
        errors.add("due_on", _("Give the date by which the subject must rectify."))
    elif isinstance(taken_on, datetime.date) and due_on <= taken_on:
        errors.add("due_on", _("The due date must come after the date of the order."))


def _store_attachments(
    measure: SupervisionMeasure, by: User, checked: list[tuple[Any, CheckedUpload]]
) -> None:
    for upload, facts in checked:
        attachment = MeasureAttachment(measure=measure, uploaded_by=by)
        attachment.store(upload, facts)
        attachment.save()
        audit_log(
            actor=by,
            action="measure_attachment_add",
            obj=attachment,
            after={"file": facts.original_name, "size": facts.size, "sha256": facts.sha256},
        )


@transaction.atomic
def measure_create(
    *,
    by: User,
    data: dict[str, Any],
    uploads: Sequence["UploadedFile[bytes]"] = (),
) -> SupervisionMeasure:
    """Log a measure. The subject is the one of the records it concerns."""
    if not permissions.can_supervise(by):
        raise PermissionDenied(_("Only supervisors and reviewers of a bureau may log measures."))
    cleaned = measure_clean(by=by, data=data)
    errors = FieldErrors()
    checked = _check_uploads(errors, uploads)
    errors.raise_if_any()
    records: list[BadRecord] = cleaned.pop("records")
    first = records[0]
    subject = first.operator if first.subject_type == SubjectType.OPERATOR else first.practitioner
    measure = SupervisionMeasure(
        bureau=by.bureau,
        logged_by=by,
        operator=first.operator,
        practitioner=first.practitioner,
        subject_name=subject.name if subject else first.subject_name,
        **cleaned,
    )
    measure.save()
    measure.records.set(records)
    audit_log(
        actor=by,
        action="measure_create",
        obj=measure,
        after={**_state(measure), "records": [record.pk for record in records]},
    )
    _store_attachments(measure, by, checked)
    return measure


def _locked(measure: SupervisionMeasure) -> SupervisionMeasure:
    return (
        SupervisionMeasure.objects.select_for_update().select_related("bureau").get(pk=measure.pk)
    )


@transaction.atomic
def measure_follow_up(
    *,
    measure: SupervisionMeasure,
    by: User,
    result: str,
    result_on: datetime.date | None,
    note: str,
) -> SupervisionMeasure:
    """Record what the follow-up of a rectification order found."""
    measure = _locked(measure)
    if not permissions.can_follow_up(by, measure):
        raise PermissionDenied(_("This order's follow-up cannot be recorded by you now."))
    errors = FieldErrors()
    note = _text(note)
    if result not in RectificationResult.values:
        errors.add("result", _("Choose rectified, partly rectified or not rectified."))
    if not isinstance(result_on, datetime.date):
        errors.add("result_on", _("Enter a valid date."))
    elif result_on > timezone.localdate():
        errors.add("result_on", _("The follow-up date cannot be in the future."))
    elif result_on < measure.taken_on:
        errors.add("result_on", _("The follow-up cannot come before the order."))
    if not note:
        errors.add("note", _("Describe what the follow-up found."))
    errors.raise_if_any()
    before = _state(measure)
    measure.result, measure.result_on, measure.result_note = result, result_on, note
    measure.followed_up_by = by
    measure.save()
    after = _state(measure)
    audit_log(
        actor=by,
        action="measure_follow_up",
        obj=measure,
        before={k: before[k] for k in ("result", "result_on", "result_note")},
        after={k: after[k] for k in ("result", "result_on", "result_note")},
    )
    return measure


def can_start_record(user: User, measure: SupervisionMeasure) -> bool:
    from records.permissions import can_file

    return (
        can_file(user)
        and permissions.can_view_measure(user, measure)
        and measure.result == RectificationResult.NOT_RECTIFIED
        and measure.follow_up_record_id is None
    )


def subject_record_data(
    *,
    subject_type: str,
    operator: Any,
    practitioner: Any,
    ground: str,
    cause: str,
    basis_number: str,
    basis_issuer: str,
    basis_date: datetime.date,
) -> dict[str, Any]:
    """A draft record's fields prefilled from a subject and the document behind it."""
    return {
        "subject_type": subject_type,
        "operator": operator,
        "practitioner": practitioner,
        "ground": ground,
        "cause": cause,
        "basis_type": BasisType.OTHER,
        "basis_number": basis_number,
        "basis_issuer": basis_issuer,
        "basis_date": basis_date,
        "obtained_on": basis_date,
        "period_years": settings.PUBLICATION_PERIOD_YEARS,
    }


@transaction.atomic
def measure_record_start(
    *, measure: SupervisionMeasure, by: User, ground: str = Ground.G7
) -> BadRecord:
    """A subject that did not rectify: start a new draft record about it (ground G7 unless
    another is chosen), prefilled from the subject and the order, through the records
    service; the filer completes and submits it as any other draft."""
    measure = _locked(measure)
    if not can_start_record(by, measure):
        raise PermissionDenied(
            _("Only a filer may start a record, once the follow-up found no rectification.")
        )
    subject_type = SubjectType.OPERATOR if measure.operator_id else SubjectType.PRACTITIONER
    if ground not in GROUNDS_FOR[subject_type]:
        raise ValidationError({"ground": _("This ground does not apply to this subject.")})
    record = record_create(
        by=by,
        data=subject_record_data(
            subject_type=subject_type,
            operator=measure.operator,
            practitioner=measure.practitioner,
            ground=ground,
            cause=_("Did not rectify as ordered (%(reference)s): %(note)s")
            % {"reference": measure.reference, "note": measure.result_note},
            basis_number=measure.reference,
            basis_issuer=str(measure.bureau),
            basis_date=measure.result_on or measure.taken_on,
        ),
    )
    measure.follow_up_record = record
    measure.save(update_fields=["follow_up_record"])
    audit_log(
        actor=by,
        action="measure_record_start",
        obj=measure,
        after={"follow_up_record": record.pk},
    )
    return record


# Reads for the lists.


def rectifications_due_soon(
    measures: MeasureQuerySet, *, today: datetime.date | None = None
) -> MeasureQuerySet:
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.SUPERVISION_DUE_SOON_WORKING_DAYS)
    return measures.rectification_due_by(on=today, by=horizon)


def listed_unsupervised(*, user: User, today: datetime.date | None = None) -> Any:
    """Records on the public list in the account's region, published at least
    SUPERVISION_UNSUPERVISED_DAYS ago, whose subject had no measure within that many days of
    the publication ("listed but not supervised")."""
    today = today or timezone.localdate()
    window = datetime.timedelta(days=settings.SUPERVISION_UNSUPERVISED_DAYS)
    measured = SupervisionMeasure.objects.filter(
        Q(operator_id=OuterRef("operator_id"), operator_id__isnull=False)
        | Q(practitioner_id=OuterRef("practitioner_id"), practitioner_id__isnull=False),
        taken_on__gte=OuterRef("public_from"),
        taken_on__lte=ExpressionWrapper(OuterRef("public_from") + window, output_field=DateField()),
    )
    return (
        BadRecord.objects.visible_to(user)
        .public(on=today)
        .filter(public_from__lte=today - window)
        .exclude(Exists(measured))
        .select_related("filing_bureau")
        .order_by("public_from", "pk")
    )
