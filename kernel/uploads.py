"""Checks for uploaded evidence and proof files (SPEC §4): PDF, JPEG or PNG judged by the
content, not by the name or the browser's word for it, and at most UPLOAD_MAX_BYTES."""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The accepted types and the extension a stored or downloaded file of each type gets.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ALLOWED_TYPES = set(EXTENSIONS)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    original_name: str


def check_upload(upload: "UploadedFile[bytes]") -> CheckedUpload:
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(262)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only PDF, JPEG or PNG files are accepted; this file's content is not one of them."),
            code="file_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    return CheckedUpload(
        content_type=kind.mime, size=size, sha256=digest.hexdigest(), original_name=name
    )
