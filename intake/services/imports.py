"""The actions on an import: upload (the worker then checks it), confirm (the worker then
creates the records), discard. Each is one audited function; the records themselves are
created by the records services, exactly as the admin form creates them."""

import datetime
import hashlib
import json
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake.models import Import, ImportRow
from intake.services.checking import cell_message
from intake.spreadsheet import count_rows, is_xlsx, read_table
from kernel import jobs
from kernel.audit import audit_log
from kernel.identity_numbers import identity_number_decrypt
from kernel.jobs import JobClaim
from kernel.transactions import atomic_all_or_nothing
from kernel.uploads import CheckedUpload
from records.models import Operator, Practitioner, SubjectType, User
from records.permissions import can_file
from records.services.bad_records import record_create
from records.services.subjects import operator_create, practitioner_create

logger = logging.getLogger(__name__)

CHUNK = 100
# An XLSX is a ZIP; its own type name is longer than the private files' type column.
XLSX_TYPE = "application/zip"


def _require_filer(by: User) -> None:
    if not can_file(by):
        raise PermissionDenied(_("Only a filer of a bureau may import records."))


def _require_own(by: User, batch: Import) -> None:
    _require_filer(by)
    if batch.bureau_id != by.bureau_id:
        raise PermissionDenied(_("Filers import for their own bureau only."))


@transaction.atomic
def import_upload(*, by: User, upload: "UploadedFile[bytes]") -> Import:
    """Take a spreadsheet: refuse it at once when it is too large or too long (before any
    row is read), store it as a private file and queue its check."""
    _require_filer(by)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.INTAKE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(settings.INTAKE_MAX_BYTES)}
            }
        )
    upload.seek(0)
    content = upload.read()
    read_table(file_name=name, content=content)  # a file without the header row goes back now
    rows = count_rows(file_name=name, content=content, limit=settings.INTAKE_MAX_ROWS)
    # The header row and a title row or two are not records.
    if rows - 1 > settings.INTAKE_MAX_ROWS:
        raise ValidationError(
            {
                "file": _("The file has more than %(n)d rows; split it into several files.")
                % {"n": settings.INTAKE_MAX_ROWS}
            }
        )
    checked = CheckedUpload(
        content_type=XLSX_TYPE if is_xlsx(name, content) else "text/csv",
        size=size,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )
    batch = Import(bureau=by.bureau, uploaded_by=by, total=max(rows - 1, 0))
    upload.seek(0)
    batch.store(upload, checked)
    batch.save()
    audit_log(
        actor=by,
        action="import_upload",
        obj=batch,
        after={"file": name, "size": size, "sha256": checked.sha256},
    )
    jobs.job_enqueue(name="intake_check", payload={"import_id": batch.pk})
    return batch


def _locked(batch: Import) -> Import:
    return Import.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def import_confirm(*, batch: Import, by: User, create_as: str) -> Import:
    """Create the good rows' records, as drafts or submitted for review (in the worker)."""
    batch = _locked(batch)
    _require_own(by, batch)
    if create_as not in Import.CreateAs.values:
        raise ValidationError({"create_as": _("Choose drafts or submitted for review.")})
    if batch.status != Import.Status.READY:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if not batch.good:
        raise ValidationError(_("No row is ready to be created: fix the file and upload it again."))
    Import.objects.filter(pk=batch.pk).update(
        status=Import.Status.CONFIRMING, create_as=create_as, confirmed_by=by
    )
    batch.refresh_from_db()
    audit_log(
        actor=by,
        action="import_confirm",
        obj=batch,
        after={"create_as": create_as, "rows": batch.good, "file": batch.original_name},
    )
    jobs.job_enqueue(name="intake_create", payload={"import_id": batch.pk})
    return batch


@transaction.atomic
def import_discard(*, batch: Import, by: User) -> Import:
    batch = _locked(batch)
    _require_own(by, batch)
    if batch.status not in (Import.Status.CHECKING, Import.Status.READY, Import.Status.FAILED):
        raise ValidationError(_("A confirmed import cannot be discarded."))
    Import.objects.filter(pk=batch.pk).update(
        status=Import.Status.DISCARDED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    # The rows may hold identity numbers (encrypted): nothing of a discarded file is kept.
    batch.rows.all().delete()
    _drop_file(batch)
    audit_log(actor=by, action="import_discard", obj=batch, after={"file": batch.original_name})
    return batch


def _drop_file(batch: Import) -> None:
    """The spreadsheet may hold identity numbers: it goes once the import is settled."""
    batch.file.delete(save=False)
    Import.objects.filter(pk=batch.pk).update(file="")


def _subject(
    row: ImportRow,
    batch: Import,
    by: User,
    created: dict[str, Any],
    subjects: dict[tuple[str, int], Any],
) -> Any:
    """The row's subject: the existing one it matched, or one created through the subject
    services (once per file: rows naming the same new subject share it)."""
    data = row.data
    values = data["values"]
    if row.subject_id is not None:
        existing = subjects.get((values["subject_type"], row.subject_id))
        if existing is None:
            raise ValidationError(_("The subject this row named no longer exists."))
        return existing
    key = data.get("new_key") or ""
    if key and key in created:
        return created[key]
    subject_data = dict(data["new_subject"])
    subject_data["region"] = batch.bureau
    if subject_data.get("identity_number"):
        subject_data["identity_number"] = identity_number_decrypt(subject_data["identity_number"])
    if values["subject_type"] == SubjectType.OPERATOR:
        subject: Any = operator_create(by=by, data=subject_data)
    else:
        subject = practitioner_create(by=by, data=subject_data)
    if key:
        created[key] = subject
    return subject


def _record_data(values: dict[str, Any], subject: Any) -> dict[str, Any]:
    data = {
        name: values.get(name)
        for name in (
            "ground",
            "cause",
            "penalty_decision",
            "complaint_result",
            "basis_type",
            "basis_number",
            "basis_issuer",
            "period_years",
            "period_legal_basis",
            "internal_note",
        )
    }
    for name in ("basis_date", "obtained_on"):
        data[name] = datetime.date.fromisoformat(values[name]) if values.get(name) else None
    data["subject_type"] = values["subject_type"]
    data["operator" if values["subject_type"] == SubjectType.OPERATOR else "practitioner"] = subject
    return data


def _create_row(
    row: ImportRow,
    batch: Import,
    by: User,
    created: dict[str, Any],
    subjects: dict[tuple[str, int], Any],
) -> None:
    subject = _subject(row, batch, by, created, subjects)
    # Submitted rows are filed and submitted in one write; the reviewers get one e-mail for
    # the whole import (intake.notifications), not one per record.
    record = record_create(
        by=by,
        data=_record_data(row.data["values"], subject),
        submit=batch.create_as == Import.CreateAs.SUBMITTED,
        notify=False,
    )
    row.record = record
    row.status = ImportRow.Status.CREATED


def import_create(*, import_id: int, claim: JobClaim) -> None:
    """The worker's half of a confirmation: each good row through record_create (filed, or
    filed and submitted), a chunk per transaction with the progress; each row in a savepoint, so
    that a row the services now refuse (another file created its document meanwhile) is that
    row's message and the others still go in. A retry goes on where the last attempt stopped."""
    batch = Import.objects.select_related("bureau", "confirmed_by").get(pk=import_id)
    if batch.status != Import.Status.CONFIRMING or batch.confirmed_by is None:
        return
    by = batch.confirmed_by
    created: dict[str, Any] = {}
    # Subjects created by an earlier attempt are reused, not created again.
    for key, subject_id, subject_type in (
        batch.rows.filter(status=ImportRow.Status.CREATED)
        .exclude(data__new_key="")
        .values_list("data__new_key", "record__operator_id", "record__practitioner_id")
    ):
        if key:
            created.setdefault(key, subject_id or subject_type)
    pending = batch.rows.filter(status=ImportRow.Status.GOOD).order_by("number")
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            chunk = list(pending[:CHUNK])
            if not chunk:
                break
            before = dict(created)
            try:
                # Nearly always every row goes in: the chunk is one transaction.
                _create_chunk(chunk, batch, by, created, claim, savepoints=False)
            except (ValidationError, PermissionDenied, DatabaseError):
                # A row the services refused: the chunk again, each row in a savepoint, so
                # that the refused row gets its message and the others go in.
                created.clear()
                created.update(before)
                chunk = list(pending[:CHUNK])
                _create_chunk(chunk, batch, by, created, claim, savepoints=True)
    with transaction.atomic():
        done = Import.objects.filter(pk=batch.pk, status=Import.Status.CONFIRMING)
        if done.update(status=Import.Status.CONFIRMED, finished_at=timezone.now()):
            batch.refresh_from_db()
            _drop_file(batch)
            if batch.create_as == Import.CreateAs.SUBMITTED and batch.created:
                jobs.job_enqueue(name="intake_notify_reviewers", payload={"import_id": batch.pk})
            logger.info("import %s: %s records created", batch.pk, batch.created)


def _create_chunk(
    chunk: list[ImportRow],
    batch: Import,
    by: User,
    created: dict[str, Any],
    claim: JobClaim,
    *,
    savepoints: bool,
) -> None:
    """The chunk in one transaction: with `savepoints`, each row in its own (a refused row
    is that row's message); without, the services' own atomic blocks set none either, and
    any refusal undoes the chunk (the caller then does it again with savepoints)."""
    with transaction.atomic() if savepoints else atomic_all_or_nothing():
        _create_rows(chunk, batch, by, created, claim, savepoints=savepoints)


def _create_rows(
    chunk: list[ImportRow],
    batch: Import,
    by: User,
    created: dict[str, Any],
    claim: JobClaim,
    *,
    savepoints: bool,
) -> None:
    claim.keep()
    subjects = _chunk_subjects(chunk)
    for row in chunk:
        key = row.data.get("new_key") or ""
        if key and isinstance(created.get(key), int):
            model = Operator if row.data["values"]["subject_type"] == "operator" else Practitioner
            created[key] = model.objects.get(pk=created[key])
        if savepoints:
            _create_one(row, batch, by, created, subjects)
        else:
            _create_row(row, batch, by, created, subjects)
    _save_rows(chunk)
    made = sum(row.status == ImportRow.Status.CREATED for row in chunk)
    Import.objects.filter(pk=batch.pk).update(created=F("created") + made)


def _save_rows(chunk: list[ImportRow]) -> None:
    """The rows' status, errors and record: one UPDATE per status and errors (nearly always
    one: every row created), one for the records made. (Django's bulk_update of the three
    columns built a CASE of a hundred branches per column, 50 ms of CPU a chunk.)"""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in chunk:
        groups[(row.status, json.dumps(row.errors, sort_keys=True))].append(row.pk)
    for (status, errors), pks in groups.items():
        ImportRow.objects.filter(pk__in=pks).update(status=status, errors=json.loads(errors))
    made = [row for row in chunk if row.record_id is not None]
    if made:
        ImportRow.objects.bulk_update(made, ["record"])


def _chunk_subjects(chunk: list[ImportRow]) -> dict[tuple[str, int], Any]:
    """The existing subjects the chunk's rows matched, in two queries."""
    wanted: dict[str, set[int]] = {SubjectType.OPERATOR: set(), SubjectType.PRACTITIONER: set()}
    for row in chunk:
        if row.subject_id is not None:
            wanted[row.data["values"]["subject_type"]].add(row.subject_id)
    found: dict[tuple[str, int], Any] = {}
    for kind, model in ((SubjectType.OPERATOR, Operator), (SubjectType.PRACTITIONER, Practitioner)):
        if wanted[kind]:
            for subject in model.objects.filter(pk__in=wanted[kind]):
                found[(kind, subject.pk)] = subject
    return found


def _create_one(
    row: ImportRow,
    batch: Import,
    by: User,
    created: dict[str, Any],
    subjects: dict[tuple[str, int], Any],
) -> None:
    key = row.data.get("new_key") or ""
    known = key in created
    try:
        with transaction.atomic():
            _create_row(row, batch, by, created, subjects)
    except (ValidationError, PermissionDenied, DatabaseError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        if isinstance(error, DatabaseError):
            logger.warning("import %s row %s not created: %r", batch.pk, row.number, error)
            messages = [_("This row could not be stored. Check it and upload it again.")]
        row.status = ImportRow.Status.BAD
        row.errors = [
            {"column": "", "field": "", "message": m, "text": cell_message(row.number, "", m)}
            for m in messages
        ]
        if key and not known:
            # The subject this row created was rolled back with it.
            created.pop(key, None)


def import_create_give_up(*, import_id: int, reason: str) -> None:
    Import.objects.filter(pk=import_id, status=Import.Status.CONFIRMING).update(
        status=Import.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
