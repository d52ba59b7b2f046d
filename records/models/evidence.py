import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name is random: nothing of what the uploader typed reaches the file system.
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.content_type, "bin"
    )
    return f"evidence/{instance.record_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """An evidence file of a record. Stored under PRIVATE_MEDIA_ROOT, never public, served
    only to staff with jurisdiction, always as an attachment."""

    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_record_id(self) -> int | None:
        """Evidence events show in its record's history (kernel.audit)."""
        return self.record_id
