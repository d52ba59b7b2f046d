from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.uploads import check_upload
from records.models import BadRecord, Evidence, User
from records.permissions import can_edit_record


@transaction.atomic
def evidence_add(*, record: BadRecord, by: User, upload: "UploadedFile[bytes]") -> Evidence:
    """Attach an evidence file to a draft or returned record. Once submitted, evidence is only
    ever added to (after a return), never removed."""
    if not can_edit_record(by, record):
        raise PermissionDenied(_("Evidence can be added only while the record is being drafted."))
    checked = check_upload(upload)
    evidence = Evidence(record=record, uploaded_by=by)
    evidence.store(upload, checked)
    evidence.save()
    audit_log(
        actor=by,
        action="evidence_add",
        obj=evidence,
        after={"file": checked.original_name, "size": checked.size, "sha256": checked.sha256},
    )
    return evidence
