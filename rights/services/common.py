"""Pieces the rights services share: proof uploads and text checks."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kernel.errors import FieldErrors
from kernel.uploads import CheckedUpload, check_upload

MAX_PROOF_FILES = 5


def proofs_check(
    errors: FieldErrors, proofs: "Sequence[UploadedFile[bytes]]", *, field: str = "proofs"
) -> list[tuple["UploadedFile[bytes]", CheckedUpload]]:
    """Each upload checked by content and size; at least one, at most MAX_PROOF_FILES."""
    checked = []
    if not proofs:
        errors.add(field, _("Attach at least one proof file."))
    elif len(proofs) > MAX_PROOF_FILES:
        errors.add(field, _("Attach at most %(n)d files.") % {"n": MAX_PROOF_FILES})
    for upload in proofs or []:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors.add(field, f"{upload.name}: {error.messages[0]}")
    return checked


def text(value: Any) -> str:
    return str(value or "").strip()
