from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.files import PrivateFile


class Evidence(PrivateFile):
    """An evidence file of a record. Served only to staff with jurisdiction (kernel.files)."""

    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def upload_folder(self) -> str:
        return f"evidence/{self.record_id}"

    @property
    def audit_record_id(self) -> int | None:
        """Evidence events show in its record's history (kernel.audit)."""
        return self.record_id
