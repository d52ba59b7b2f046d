"""Batch checks: a CSV or XLSX of applicants is read when uploaded (bad files are refused at
once, with the reason), then the worker checks it row by row.

The batch is cut into parts (as many as the worker has processes); each part is an outbox
job ("licensing_batch_part", registered in licensing/apps.py), so the kernel's runner claims
it, retries it with back-off and gives it up after OUTBOX_MAX_ATTEMPTS. The part commits
every chunk of rows together with the progress counters and its renewed claim, and picks up
where it stopped after a crash. Bad rows are reported by their row number and the others
still run; a part given up is marked failed with the runner's reason, its unchecked rows are
listed, and the batch finishes with the other parts.
"""

import csv
import io
import logging
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel import jobs
from kernel.audit import audit_log
from licensing.inputs import FIELDS, CheckInput, clean_check_input, error_text
from licensing.lookup import LookupResult, lookup
from licensing.models import CheckBatch, CheckBatchPart, CheckSource
from licensing.permissions import can_run_checks
from licensing.services.checks import applicant_check
from records.models import User

logger = logging.getLogger(__name__)

CHUNK = 100
PART = CheckBatchPart.Status
REQUIRED = ("applicant_kind", "name", "application_type", "application_ref")


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (what Excel saves as CSV on Chinese Windows)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("The file is neither UTF-8 nor GB18030 text. Save it as CSV UTF-8.")}
        ) from None


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if "\x00" in text:
        raise ValidationError({"file": _("This is not a CSV file (it holds binary data).")})
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError({"file": _("This XLSX file cannot be read.")}) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if cell is None else str(cell) for cell in row])
        if len(rows) > settings.LICENSING_BATCH_MAX_ROWS + 1:
            break
    book.close()
    return rows


def parse_applicants(*, file_name: str, content: bytes) -> list[dict[str, Any]]:
    """The rows of an uploaded file as dicts of the input fields, each with its row number
    as a spreadsheet shows it (the header is row 1)."""
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        table = _xlsx_rows(content)
    elif file_name.lower().endswith((".csv", ".txt")):
        table = _csv_rows(content)
    else:
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [cell.strip().lstrip("\ufeff").lower() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ValidationError(
            {
                "file": _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            }
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header)}
        rows.append({"row": number, **{k: str(row.get(k, ""))[:300] for k in FIELDS}})
    if not rows:
        raise ValidationError({"file": _("The file has no applicants below its header row.")})
    if len(rows) > settings.LICENSING_BATCH_MAX_ROWS:
        raise ValidationError(
            {
                "file": _("At most %(n)d applicants per file.")
                % {"n": settings.LICENSING_BATCH_MAX_ROWS}
            }
        )
    return rows


@transaction.atomic
def batch_create(*, by: User, file_name: str, content: bytes) -> CheckBatch:
    if not can_run_checks(by) or by.bureau is None:
        raise PermissionDenied(_("Only licensing officers and administrators run checks."))
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than allowed.")})
    rows = parse_applicants(file_name=file_name, content=content)
    batch = CheckBatch.objects.create(
        bureau=by.bureau, officer=by, file_name=file_name[:200], rows=rows, total=len(rows)
    )
    # Parts are run by the worker's processes side by side (LICENSING_BATCH_PARTS).
    count = max(1, min(settings.LICENSING_BATCH_PARTS, len(rows) // CHUNK))
    size = -(-len(rows) // count)
    parts = CheckBatchPart.objects.bulk_create(
        CheckBatchPart(batch=batch, first=first, last=min(first + size, len(rows)))
        for first in range(0, len(rows), size)
    )
    for part in parts:
        jobs.job_enqueue(name="licensing_batch_part", payload={"part_id": part.pk})
    audit_log(actor=by, action="check_batch_create", obj=batch, after={"rows": len(rows)})
    return batch


def batch_part_run(*, part_id: int, claim: jobs.JobClaim) -> None:
    """Check the rows of one part not yet done (the outbox job's handler). Each chunk commits
    its checks together with the part's progress and the renewed claim, so a crash loses
    nothing and repeats nothing, and a drain that lost the job to another stops before
    checking a row twice."""
    part = CheckBatchPart.objects.select_related("batch__officer__bureau").get(pk=part_id)
    if part.status in (PART.DONE, PART.FAILED):
        return
    batch = part.batch
    CheckBatchPart.objects.filter(pk=part.pk, status=PART.PENDING).update(status=PART.RUNNING)
    CheckBatch.objects.filter(pk=batch.pk, status=CheckBatch.Status.PENDING).update(
        status=CheckBatch.Status.RUNNING
    )
    rows = batch.rows[part.first : part.last]
    done = part.processed
    while done < len(rows):
        chunk = rows[done : done + CHUNK]
        # The lookups (nearly all the time) run before the chunk's transaction; the checks and
        # their audit events are written inside it. The audit writer's lock is held from a
        # chunk's first event to its commit: with the lookups inside, the parts would take
        # turns (issue 17: 141-157 s for 10,000 rows with two processes).
        checked, errors = _chunk_lookups(batch, chunk)
        with transaction.atomic():
            claim.keep()
            for row_number, data, result in checked:
                try:
                    # A savepoint per row: a row the database refuses is that row's error,
                    # not a part that fails again at every retry with its rows unchecked.
                    with transaction.atomic():
                        applicant_check(
                            by=batch.officer,
                            data=data,
                            source=CheckSource.BATCH,
                            batch=batch,
                            batch_row=row_number,
                            result=result,
                        )
                except (DatabaseError, ValidationError) as error:
                    logger.warning(
                        "check batch %s row %s not stored: %r", batch.pk, row_number, error
                    )
                    message = _(
                        "This row could not be stored (a value is too long or not allowed)."
                        " Check it and upload it again."
                    )
                    errors.append({"row": row_number, "error": message})
            done += len(chunk)
            CheckBatchPart.objects.filter(pk=part.pk).update(processed=done)
            _batch_add(batch.pk, processed=len(chunk), errors=errors)
    CheckBatchPart.objects.filter(pk=part.pk).update(status=PART.DONE)
    _batch_finish_when_complete(batch.pk)


def _chunk_lookups(
    batch: CheckBatch, chunk: list[dict[str, Any]]
) -> tuple[list[tuple[int, CheckInput, LookupResult]], list[dict[str, Any]]]:
    officer = batch.officer
    if not can_run_checks(officer) or officer.bureau is None:
        raise PermissionDenied(_("Only licensing officers and administrators run checks."))
    checked = []
    errors = []
    for row in chunk:
        try:
            data = clean_check_input(row)
        except ValidationError as error:
            errors.append({"row": row["row"], "error": error_text(error)})
            continue
        result = lookup(applicant=data.applicant, bureau=officer.bureau)
        checked.append((row["row"], data, result))
    return checked, errors


@transaction.atomic
def batch_part_give_up(*, part_id: int, reason: str) -> None:
    """The runner gave the part up: mark it failed with the reason, list its unchecked rows
    (they are in the results file, to be uploaded again) and let the batch finish."""
    part = CheckBatchPart.objects.select_related("batch").filter(pk=part_id).first()
    if part is None or part.status in (PART.DONE, PART.FAILED):
        return
    CheckBatchPart.objects.filter(pk=part.pk).update(status=PART.FAILED, error=reason)
    unchecked = part.batch.rows[part.first + part.processed : part.last]
    message = _("Not checked: the worker gave up on this part of the file. Upload it again.")
    _batch_add(
        part.batch_id, processed=0, errors=[{"row": r["row"], "error": message} for r in unchecked]
    )
    _batch_finish_when_complete(part.batch_id)


def _batch_add(batch_id: int, *, processed: int, errors: list[dict[str, Any]]) -> None:
    # The batch row is locked last and only for this short update, so that the parts of one
    # batch run side by side.
    locked = CheckBatch.objects.select_for_update().only("row_errors").get(pk=batch_id)
    CheckBatch.objects.filter(pk=batch_id).update(
        processed=F("processed") + processed,
        row_errors=sorted(locked.row_errors + errors, key=lambda e: e["row"]),
    )


@transaction.atomic
def _batch_finish_when_complete(batch_id: int) -> None:
    """Finish the batch once no part is left to run. Each part writes its own end before it
    takes the batch's row lock here, so whichever part ends last sees every other's end."""
    CheckBatch.objects.select_for_update().only("pk").get(pk=batch_id)
    if CheckBatchPart.objects.filter(
        batch_id=batch_id, status__in=[PART.PENDING, PART.RUNNING]
    ).exists():
        return
    # The rows held identity numbers as typed: once checked, only the checks' masked forms
    # and keyed hashes remain.
    finished = CheckBatch.objects.filter(pk=batch_id).exclude(status=CheckBatch.Status.DONE)
    if finished.update(status=CheckBatch.Status.DONE, rows=[], finished_at=timezone.now()):
        logger.info("check batch %s finished", batch_id)
