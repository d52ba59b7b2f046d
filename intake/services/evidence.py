"""Evidence for imported records in one ZIP: each file goes to the record of the import row
whose reference starts its name ("12-决定书.pdf" → the row with reference 12), through the
records' own evidence service (its checks of type and size, its audit event)."""

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from intake.models import Import, ImportRow
from kernel.names import normalize_name
from records.models import User
from records.permissions import can_file
from records.services.evidence import evidence_add

# Files in one ZIP; more is surely not evidence for one spreadsheet's records.
MAX_FILES = 2000


@dataclass(frozen=True)
class EvidenceResult:
    file_name: str
    reference: str  # the record's reference when attached, "" otherwise
    message: str  # why not, when not attached


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name without folders. ZIPs made on Chinese Windows store GBK names
    without the UTF-8 flag; Python then reads them as CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _row_for(name: str, rows: dict[str, ImportRow]) -> ImportRow | None:
    """The row whose reference starts the name and is followed by a separator (so that
    "12-x.pdf" never goes to row 1), the longest such reference winning."""
    stem = normalize_name(name)
    best: ImportRow | None = None
    for reference, row in rows.items():
        follows = stem[len(reference) : len(reference) + 1]
        if (
            stem.startswith(reference)
            and not re.match(r"[0-9A-Za-z]", follows)
            and (best is None or len(reference) > len(best.reference))
        ):
            best = row
    return best


def import_evidence_zip(
    *, batch: Import, by: User, upload: "UploadedFile[bytes]"
) -> list[EvidenceResult]:
    """Attach each file of the ZIP to its record. Each file is its own step: a file refused
    (wrong type, no such reference, record already submitted) is reported and the others
    are still attached."""
    if not can_file(by) or batch.bureau_id != by.bureau_id:
        raise PermissionDenied(_("Filers import for their own bureau only."))
    if (upload.size or 0) > settings.INTAKE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.INTAKE_MAX_BYTES)}
            }
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.read()))
        entries = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError({"file": _("This is not a ZIP file that can be read.")}) from None
    if not entries:
        raise ValidationError({"file": _("The ZIP file holds no files.")})
    if len(entries) > MAX_FILES:
        raise ValidationError({"file": _("At most %(n)d files per ZIP.") % {"n": MAX_FILES}})
    rows = {
        normalize_name(row.reference): row
        for row in batch.rows.filter(status=ImportRow.Status.CREATED)
        .exclude(reference="")
        .select_related("record__filing_bureau")
    }
    results = []
    for info in entries:
        name = _entry_name(info)
        row = _row_for(name, rows)
        if row is None or row.record is None:
            results.append(
                EvidenceResult(
                    name, "", _("No imported row has the reference this name starts with.")
                )
            )
            continue
        if info.file_size > settings.UPLOAD_MAX_BYTES:
            results.append(
                EvidenceResult(
                    name,
                    "",
                    _("The file is larger than %(limit)s.")
                    % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
                )
            )
            continue
        file = SimpleUploadedFile(name, archive.read(info))
        try:
            with transaction.atomic():
                evidence_add(record=row.record, by=by, upload=file)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            results.append(EvidenceResult(name, "", message))
        else:
            results.append(EvidenceResult(name, row.record.reference, ""))
    return results
