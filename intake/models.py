"""A spreadsheet of records being brought in (an import) and its rows as the worker found
them. The uploaded file is a private file of the filing bureau; it is deleted once the import
is confirmed or discarded, as it may hold identity numbers."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.files import PrivateFile


class ImportQuerySet(models.QuerySet["Import"]):
    def visible_to(self, user: Any) -> "ImportQuerySet":
        """Imports of the account's own bureau: filers import for their bureau only."""
        bureau_id = getattr(user, "bureau_id", None)
        if not getattr(user, "is_active", False) or bureau_id is None:
            return self.none()
        return self.filter(bureau_id=bureau_id)


class Import(PrivateFile):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        READY = "ready", _("Waiting for confirmation")
        CONFIRMING = "confirming", _("Creating the records")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Failed")

    class CreateAs(models.TextChoices):
        DRAFT = "draft", _("Drafts")
        SUBMITTED = "submitted", _("Submitted for review")

    bureau = models.ForeignKey(
        "records.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CHECKING
    )
    create_as = models.CharField(
        _("create as"), max_length=12, choices=CreateAs.choices, blank=True
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(_("rows without errors"), default=0)
    bad = models.PositiveIntegerField(_("rows with errors"), default=0)
    already = models.PositiveIntegerField(_("rows already there"), default=0)
    created = models.PositiveIntegerField(_("records created"), default=0)
    error = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta(PrivateFile.Meta):
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["bureau", "status"], name="intake_import_bureau_status")]

    def upload_folder(self) -> str:
        return f"intake/{self.bureau_id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.CONFIRMING:
            return int(100 * self.created / self.good) if self.good else 100
        return int(100 * self.processed / self.total) if self.total else 0


class ImportRow(models.Model):
    """One row of the file: what the worker read, the subject it matched (or that will be
    created), and the errors per cell. `data` keeps the row's values for confirmation; an
    identity number in it is encrypted and only its masked form is shown."""

    class Status(models.TextChoices):
        GOOD = "good", _("Ready")
        BAD = "bad", _("Has errors")
        ALREADY = "already", _("Already there")
        CREATED = "created", _("Created")

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    data = models.JSONField(default=dict)
    # What the preview shows of the subject: "existing" or "new", and its name.
    subject_match = models.CharField(max_length=8, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=300, blank=True)
    # [{"column": "D", "message": "…"}], messages in the portal's language.
    errors = models.JSONField(default=list)
    record = models.ForeignKey(
        "records.BadRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="intake_row_once_per_import")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"
