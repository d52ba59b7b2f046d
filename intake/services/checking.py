"""Checking the rows of an import (the worker's job "intake_check").

Each row is read cell by cell (intake.columns: the form of a value), its subject is matched to
an existing operator or practitioner by credit code, licence number, identity number or
certificate number, looked up for a whole chunk of rows at once, and then the row is judged
by the records services' own rules: operator_clean / practitioner_clean for a subject to be
created, record_clean for the record. Their field errors become cell errors ("第 12 行 D 列：…").
A row whose basis document already has a record is "already there", not an error, so that a
file uploaded again creates nothing twice."""

import datetime
import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import CharField, F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake.columns import BY_FIELD, read_cell
from intake.models import Import, ImportRow
from intake.spreadsheet import Table, is_empty, read_table
from kernel import identifiers
from kernel.identity_numbers import identity_number_digests, identity_number_encrypt
from kernel.jobs import JobClaim
from records.models import (
    BadRecord,
    Bureau,
    Operator,
    Practitioner,
    PractitionerKind,
    RecordStatus,
    SubjectType,
)
from records.services.bad_records import basis_keys, record_clean
from records.services.subjects import operator_clean, practitioner_clean

logger = logging.getLogger(__name__)

CHUNK = 250
RECORD_FIELDS = (
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
OPERATOR_COLUMNS = (
    "name",
    "sector",
    "credit_code",
    "licence_no",
    "business_address",
    "legal_representative",
)
PRACTITIONER_COLUMNS = ("name", "kind", "identity_number", "certificate_no")
# Service fields that have no column of their own are reported on the column that holds the
# subject (the record's "operator" is the row's name) or on the row as a whole ("").
FIELD_COLUMN = {"operator": "name", "practitioner": "name", "region": "", "employer": ""}


def cell_message(row: int, column: str, message: str) -> str:
    if column:
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Row %(row)d: %(message)s") % {"row": row, "message": message}


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)
    subject: Operator | Practitioner | None = None
    new_subject: dict[str, Any] | None = None
    new_key: str = ""
    status: str = ImportRow.Status.GOOD
    label: str = ""
    basis: tuple[str, str] = ("", "")

    def error(self, field_name: str, message: str) -> None:
        column_field = FIELD_COLUMN.get(field_name, field_name)
        column = self.letters.get(column_field, "")
        if any(e["column"] == column and e["message"] == message for e in self.errors):
            return
        self.errors.append({"column": column, "field": column_field, "message": str(message)})

    def service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.error("", message)
            return
        for name, errors in error.error_dict.items():
            for message in ValidationError(errors).messages:
                self.error(name, message)


@cache
def _max_lengths() -> dict[str, int]:
    """The models' own limits on the columns' fields (a longer value would fail the save)."""
    limits = {"reference": ImportRow._meta.get_field("reference").max_length or 0}
    for model in (BadRecord, Operator, Practitioner):
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, CharField) and model_field.max_length:
                limits.setdefault(model_field.name, model_field.max_length)
    limits["name"] = Operator._meta.get_field("name").max_length or 0
    return limits


def _read(number: int, cells: list[Any], table: Table, letters: dict[str, str]) -> _Row:
    row = _Row(number=number, values={}, letters=letters)
    limits = _max_lengths()
    for index, name in table.columns.items():
        raw = cells[index] if index < len(cells) else None
        value, problem = read_cell(BY_FIELD[name], raw)
        row.values[name] = value
        if problem:
            row.error(name, problem)
        elif isinstance(value, str) and name in limits and len(value) > limits[name]:
            validator = MaxLengthValidator(limits[name])
            try:
                validator(value)
            except ValidationError as error:
                row.error(name, error.messages[0])
    return row


def _clean_or_blank(clean: Any, value: str) -> str:
    try:
        return str(clean(value)) if value else ""
    except ValidationError:
        return ""


@dataclass
class _Keys:
    credit: dict[int, str] = field(default_factory=dict)
    licence: dict[int, str] = field(default_factory=dict)
    identity: dict[int, list[str]] = field(default_factory=dict)
    certificate: dict[int, str] = field(default_factory=dict)


def _subject_keys(rows: list[_Row]) -> _Keys:
    keys = _Keys()
    for row in rows:
        values = row.values
        if values.get("subject_type") == SubjectType.OPERATOR:
            keys.credit[row.number] = _clean_or_blank(
                identifiers.clean_credit_code, values.get("credit_code", "")
            )
            keys.licence[row.number] = _clean_or_blank(
                identifiers.clean_licence_no, values.get("licence_no", "")
            )
        elif values.get("subject_type") == SubjectType.PRACTITIONER:
            number = _clean_or_blank(
                identifiers.clean_identity_number, values.get("identity_number", "")
            )
            keys.identity[row.number] = identity_number_digests(number)
            clean = (
                identifiers.clean_guide_certificate_no
                if values.get("kind") == PractitionerKind.GUIDE
                else identifiers.clean_certificate_no
            )
            keys.certificate[row.number] = _clean_or_blank(clean, values.get("certificate_no", ""))
    return keys


def _existing_subjects(keys: _Keys) -> dict[str, dict[str, Any]]:
    """The subjects the chunk's identifiers name, in four queries whatever the chunk's size."""
    found: dict[str, dict[str, Any]] = {"credit": {}, "licence": {}, "identity": {}, "cert": {}}
    credit = {k for k in keys.credit.values() if k}
    licence = {k for k in keys.licence.values() if k}
    digests = {d for ds in keys.identity.values() for d in ds}
    certificates = {k for k in keys.certificate.values() if k}
    if credit:
        found["credit"] = {
            o.credit_code: o for o in Operator.objects.filter(credit_code__in=credit)
        }
    if licence:
        found["licence"] = {
            o.licence_no: o for o in Operator.objects.filter(licence_no__in=licence)
        }
    if digests:
        found["identity"] = {
            p.identity_number_hmac: p
            for p in Practitioner.objects.filter(identity_number_hmac__in=digests)
        }
    if certificates:
        found["cert"] = {
            p.certificate_no: p
            for p in Practitioner.objects.filter(certificate_no__in=certificates)
        }
    return found


def _match(row: _Row, keys: _Keys, found: dict[str, dict[str, Any]]) -> None:
    """The existing subject the row's identifiers name. Two identifiers naming two different
    subjects is the row's error: the filer must say which one is meant."""
    n = row.number
    if row.values.get("subject_type") == SubjectType.OPERATOR:
        candidates = [
            ("credit_code", found["credit"].get(keys.credit.get(n, ""))),
            ("licence_no", found["licence"].get(keys.licence.get(n, ""))),
        ]
    else:
        by_identity = [
            found["identity"][d] for d in keys.identity.get(n, []) if d in found["identity"]
        ]
        candidates = [
            ("identity_number", by_identity[0] if by_identity else None),
            ("certificate_no", found["cert"].get(keys.certificate.get(n, ""))),
        ]
    matched = [(name, subject) for name, subject in candidates if subject is not None]
    if not matched:
        return
    first = matched[0][1]
    for name, subject in matched[1:]:
        if subject.pk != first.pk:
            row.error(
                name, _("This identifier belongs to another subject than the row's other one.")
            )
            return
    row.subject = first


def _new_subject_key(row: _Row, keys: _Keys) -> str:
    n = row.number
    if row.values.get("subject_type") == SubjectType.OPERATOR:
        parts = [keys.credit.get(n, ""), keys.licence.get(n, "")]
    else:
        parts = [(keys.identity.get(n) or [""])[0], keys.certificate.get(n, "")]
    return "|".join(parts) if any(parts) else ""


def _check_new_subject(row: _Row, bureau: Bureau) -> Operator | Practitioner | None:
    """A subject to be created, judged by the subject services' own clean functions."""
    values = row.values
    columns = (
        OPERATOR_COLUMNS if values["subject_type"] == SubjectType.OPERATOR else PRACTITIONER_COLUMNS
    )
    data: dict[str, Any] = {name: values.get(name, "") for name in columns}
    data["region"] = bureau
    try:
        if values["subject_type"] == SubjectType.OPERATOR:
            cleaned = operator_clean(data=data)
            subject: Operator | Practitioner = Operator(**cleaned)
        else:
            cleaned = practitioner_clean(data=data)
            subject = Practitioner(**cleaned)
    except ValidationError as error:
        row.service_errors(error)
        return None
    stored = {k: v for k, v in cleaned.items() if k not in ("region", "employer")}
    if stored.get("identity_number"):
        stored["identity_number"] = identity_number_encrypt(stored["identity_number"])
    row.new_subject = stored
    return subject


def _check_rows(
    rows: list[_Row], bureau: Bureau, seen: dict[str, Any], today: datetime.date
) -> None:
    keys = _subject_keys(rows)
    found = _existing_subjects(keys)
    for row in rows:
        row.basis = basis_keys(
            number=str(row.values.get("basis_number") or ""),
            issuer=str(row.values.get("basis_issuer") or ""),
        )
    wanted = {row.basis for row in rows if all(row.basis)}
    taken: dict[tuple[str, str], str] = {}
    if wanted:
        numbers = {number for number, _issuer in wanted}
        for record in (
            BadRecord.objects.exclude(status=RecordStatus.WITHDRAWN)
            .filter(basis_number_key__in=numbers)
            .only("pk", "basis_number_key", "basis_issuer_key")
        ):
            key = (record.basis_number_key, record.basis_issuer_key)
            if key in wanted:
                taken[key] = record.reference
    for row in rows:
        _check_row(row, bureau, keys, found, taken, seen, today)


def _check_row(
    row: _Row,
    bureau: Bureau,
    keys: _Keys,
    found: dict[str, dict[str, Any]],
    taken: dict[tuple[str, str], str],
    seen: dict[str, Any],
    today: datetime.date,
) -> None:
    values = row.values
    if all(row.basis):
        if row.basis in taken:
            row.status = ImportRow.Status.ALREADY
            row.label = _("Already there: record %(reference)s.") % {"reference": taken[row.basis]}
            return
        earlier = seen["basis"].get(row.basis)
        if earlier:
            row.error(
                "basis_number",
                _("The same document as row %(row)d: one record per document.") % {"row": earlier},
            )
        else:
            seen["basis"][row.basis] = row.number
    subject_type = values.get("subject_type")
    subject: Operator | Practitioner | None = None
    if subject_type in SubjectType.values:
        _match(row, keys, found)
        subject = row.subject
        if subject is not None:
            row.label = _("Existing: %(name)s") % {"name": subject.name}
        else:
            subject = _check_new_subject(row, bureau)
            row.new_key = _new_subject_key(row, keys)
            earlier = seen["subjects"].get(row.new_key) if row.new_key else None
            if earlier:
                row.label = _("New, the same as row %(row)d") % {"row": earlier}
            elif subject is not None:
                row.label = _("New: %(name)s") % {"name": subject.name}
                if row.new_key:
                    seen["subjects"][row.new_key] = row.number
    data: dict[str, Any] = {name: values.get(name) for name in RECORD_FIELDS}
    data["subject_type"] = subject_type or ""
    data["operator" if subject_type == SubjectType.OPERATOR else "practitioner"] = subject
    try:
        record_clean(data=data, today=today)
    except ValidationError as error:
        if subject is None and row.errors:
            # The subject's own errors already say why there is no subject.
            error.error_dict.pop("operator", None)
            error.error_dict.pop("practitioner", None)
        row.service_errors(error)
    if row.errors:
        row.status = ImportRow.Status.BAD


def _stored(row: _Row) -> dict[str, Any]:
    values = dict(row.values)
    for name in ("basis_date", "obtained_on"):
        if isinstance(values.get(name), datetime.date):
            values[name] = values[name].isoformat()
    if values.get("identity_number"):
        values["identity_number"] = identifiers.mask_identity_number(
            _clean_or_blank(identifiers.clean_identity_number, values["identity_number"])
            or values["identity_number"]
        )
    data: dict[str, Any] = {"values": values}
    if row.new_subject is not None:
        data["new_subject"] = row.new_subject
        data["new_key"] = row.new_key
    return data


def _row_model(batch: Import, row: _Row) -> ImportRow:
    for error in row.errors:
        error["text"] = cell_message(row.number, error["column"], error["message"])
    return ImportRow(
        batch=batch,
        number=row.number,
        reference=str(row.values.get("reference") or "")[:100],
        status=row.status,
        data=_stored(row),
        subject_match="existing" if row.subject else ("new" if row.new_subject else ""),
        subject_id=row.subject.pk if row.subject else None,
        subject_label=row.label[:300],
        errors=row.errors,
    )


def import_check(*, import_id: int, claim: JobClaim) -> None:
    """Read and check every row of the import, a chunk per transaction with its progress, so
    the preview page shows how far it got. Rows already stored (a retry after a crash) are
    not checked again."""
    batch = Import.objects.select_related("bureau").get(pk=import_id)
    if batch.status != Import.Status.CHECKING:
        return
    with batch.file.open("rb") as handle:
        content = handle.read()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            table = read_table(file_name=batch.original_name, content=content)
        except ValidationError as error:
            _fail(batch, " ".join(error.messages))
            return
        letters = table.letters()
        done = set(batch.rows.values_list("number", flat=True))
        seen: dict[str, Any] = {"basis": {}, "subjects": {}}
        # Rows stored by an earlier attempt still count as seen for the in-file duplicates.
        for number, data, status in batch.rows.values_list("number", "data", "status"):
            values = data.get("values", {})
            keys = basis_keys(
                number=str(values.get("basis_number") or ""),
                issuer=str(values.get("basis_issuer") or ""),
            )
            if all(keys) and status != ImportRow.Status.ALREADY:
                seen["basis"].setdefault(keys, number)
            if data.get("new_key"):
                seen["subjects"].setdefault(data["new_key"], number)
        today = timezone.localdate()
        chunk: list[_Row] = []
        count = len(done)
        for number, cells in table.rows:
            if is_empty(cells) or number in done:
                continue
            count += 1
            if count > settings.INTAKE_MAX_ROWS:
                _fail(
                    batch, _("The file has more than %(n)d rows.") % {"n": settings.INTAKE_MAX_ROWS}
                )
                return
            chunk.append(_read(number, cells, table, letters))
            if len(chunk) == CHUNK:
                if not _stored_chunk(batch, chunk, seen, today, claim):
                    return
                chunk = []
        if not _stored_chunk(batch, chunk, seen, today, claim):
            return
    _finish_check(batch.pk)


def _stored_chunk(
    batch: Import, chunk: list[_Row], seen: dict[str, Any], today: datetime.date, claim: JobClaim
) -> bool:
    """Store a chunk; False when the import was discarded meanwhile."""
    try:
        _store(batch, chunk, seen, today, claim)
    except _Discarded:
        logger.info("import %s was discarded while being checked", batch.pk)
        return False
    return True


def _store(
    batch: Import, chunk: list[_Row], seen: dict[str, Any], today: datetime.date, claim: JobClaim
) -> None:
    if not chunk:
        return
    _check_rows(chunk, batch.bureau, seen, today)
    models = [_row_model(batch, row) for row in chunk]
    with transaction.atomic():
        claim.keep()
        if not Import.objects.filter(pk=batch.pk, status=Import.Status.CHECKING).exists():
            raise _Discarded  # while the worker was checking it: nothing more is stored
        ImportRow.objects.bulk_create(models)
        counts = {
            status: sum(1 for m in models if m.status == status)
            for status in ImportRow.Status.values
        }
        Import.objects.filter(pk=batch.pk).update(
            processed=F("processed") + len(models),
            good=F("good") + counts[ImportRow.Status.GOOD],
            bad=F("bad") + counts[ImportRow.Status.BAD],
            already=F("already") + counts[ImportRow.Status.ALREADY],
        )


class _Discarded(Exception):
    pass


def _fail(batch: Import, reason: str) -> None:
    Import.objects.filter(pk=batch.pk, status=Import.Status.CHECKING).update(
        status=Import.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def _finish_check(import_id: int) -> None:
    batch = Import.objects.get(pk=import_id)
    Import.objects.filter(pk=import_id, status=Import.Status.CHECKING).update(
        status=Import.Status.READY, total=batch.processed
    )


def import_check_give_up(*, import_id: int, reason: str) -> None:
    Import.objects.filter(pk=import_id, status=Import.Status.CHECKING).update(
        status=Import.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
