"""Batch checks: a CSV or XLSX of applicants is read when uploaded (bad files are refused at
once, with the reason), then the worker checks it row by row (`batches_run`, a beat task).

The batch row is its own queue: the worker claims a batch with a conditional UPDATE, commits
every chunk of rows together with the progress counter, and picks up where it stopped after
a crash. Bad rows are reported by their row number and the others still run.
"""

import csv
import datetime
import io
import logging
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.inputs import FIELDS, clean_check_input, error_text
from licensing.models import CheckBatch, CheckSource
from licensing.permissions import can_run_checks
from licensing.services.checks import applicant_check
from records.models import User
from records.services.audit import audit_log

logger = logging.getLogger(__name__)

CHUNK = 100
CLAIM_SECONDS = 120
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
    if not can_run_checks(by):
        raise PermissionDenied(_("Only licensing officers and administrators run checks."))
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than allowed.")})
    rows = parse_applicants(file_name=file_name, content=content)
    batch = CheckBatch.objects.create(
        bureau=by.bureau, officer=by, file_name=file_name[:200], rows=rows, total=len(rows)
    )
    audit_log(actor=by, action="check_batch_create", obj=batch, after={"rows": len(rows)})
    return batch


def _claim(batch_id: int, now: datetime.datetime) -> bool:
    claimed = (
        CheckBatch.objects.filter(pk=batch_id)
        .filter(
            Q(status=CheckBatch.Status.PENDING)
            | Q(status=CheckBatch.Status.RUNNING, claimed_until__lt=now)
        )
        .update(
            status=CheckBatch.Status.RUNNING,
            claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
        )
    )
    return claimed == 1


def batch_run(*, batch_id: int) -> bool:
    """Check the rows of one batch not yet done; False when another worker holds it."""
    if not _claim(batch_id, timezone.now()):
        return False
    batch = CheckBatch.objects.select_related("officer__bureau").get(pk=batch_id)
    officer = batch.officer
    rows = batch.rows
    done = batch.processed
    while done < len(rows):
        chunk = rows[done : done + CHUNK]
        with transaction.atomic():
            errors = list(
                CheckBatch.objects.select_for_update()
                .values_list("row_errors", flat=True)
                .get(pk=batch_id)
            )
            for row in chunk:
                try:
                    data = clean_check_input(row)
                except ValidationError as error:
                    errors.append({"row": row["row"], "error": error_text(error)})
                    continue
                applicant_check(
                    by=officer,
                    data=data,
                    source=CheckSource.BATCH,
                    batch=batch,
                    batch_row=row["row"],
                )
            done += len(chunk)
            CheckBatch.objects.filter(pk=batch_id).update(
                processed=done,
                row_errors=errors,
                claimed_until=timezone.now() + datetime.timedelta(seconds=CLAIM_SECONDS),
            )
    # The rows held identity numbers as typed: once checked, only the checks' masked forms
    # and keyed hashes remain.
    CheckBatch.objects.filter(pk=batch_id).update(
        status=CheckBatch.Status.DONE, rows=[], finished_at=timezone.now()
    )
    logger.info("check batch %s finished: %s rows", batch_id, done)
    return True


def batches_run() -> int:
    """Run every batch that waits (or whose worker died); return how many finished."""
    now = timezone.now()
    due = CheckBatch.objects.filter(
        Q(status=CheckBatch.Status.PENDING)
        | Q(status=CheckBatch.Status.RUNNING, claimed_until__lt=now)
    ).order_by("created_at", "pk")
    return sum(batch_run(batch_id=pk) for pk in due.values_list("pk", flat=True)[:10])
