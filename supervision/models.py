"""Supervision measures on listed subjects (检查 / 暗访 / 责令整改) and leads (举报线索) from the
public (SPEC §8). Who sees what lives in the QuerySet methods here; the rules of who may do
what are in supervision/permissions.py and the services."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.files import PrivateFile


class MeasureKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    UNANNOUNCED_VISIT = "unannounced_visit", _("Unannounced visit")
    RECTIFICATION_ORDER = "rectification_order", _("Rectification order")


class RectificationResult(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    PARTLY = "partly", _("Partly rectified")
    NOT_RECTIFIED = "not_rectified", _("Not rectified")


class MeasureQuerySet(models.QuerySet["SupervisionMeasure"]):
    def in_jurisdiction(self, bureau: models.Model) -> "MeasureQuerySet":
        """Measures logged by this bureau or any bureau below it."""
        return self.filter(bureau__path__startswith=bureau.path)  # type: ignore[attr-defined]

    def visible_to(self, user: models.Model) -> "MeasureQuerySet":
        """Measures logged in the account's region, and measures a bureau above took about
        records of the region (the county files the new record when nothing was rectified)."""
        bureau = getattr(user, "bureau", None)
        if not getattr(user, "is_active", False) or bureau is None:
            return self.none()
        region = Q(bureau__path__startswith=bureau.path)
        # A measure concerns only records in its bureau's region (measure_create), so one
        # about this region's records was logged in the region or by a bureau above it.
        # Looked up from the few measures of the bureaus above: a correlated check of every
        # measure made PostgreSQL hash all the region's records (a province: 180,000).
        parts = bureau.path.rstrip("/").split("/")
        above = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
        if not above:
            return self.filter(region)
        concerned = self.model.records.through.objects.filter(
            supervisionmeasure__bureau__path__in=above,
            badrecord__filing_bureau__path__startswith=bureau.path,
        ).values("supervisionmeasure_id")
        return self.filter(region | Q(pk__in=concerned))

    def awaiting_follow_up(self) -> "MeasureQuerySet":
        """Rectification orders whose result is not recorded yet."""
        return self.filter(kind=MeasureKind.RECTIFICATION_ORDER, result="")

    def rectification_overdue(self, *, on: datetime.date) -> "MeasureQuerySet":
        return self.awaiting_follow_up().filter(due_on__lt=on)

    def rectification_due_by(self, *, on: datetime.date, by: datetime.date) -> "MeasureQuerySet":
        """Open orders due between today and `by` (not yet overdue)."""
        return self.awaiting_follow_up().filter(due_on__gte=on, due_on__lte=by)


class SupervisionMeasure(models.Model):
    """One measure taken against a listed subject, about one or more of its records. The
    subject's name is kept as it was when the measure was logged."""

    bureau = models.ForeignKey(
        "records.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    taken_on = models.DateField(_("date"))
    officers = models.CharField(_("officers"), max_length=300)
    findings = models.TextField(_("findings"))
    operator = models.ForeignKey(
        "records.Operator",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    practitioner = models.ForeignKey(
        "records.Practitioner",
        verbose_name=_("practitioner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("subject"), max_length=200)
    records = models.ManyToManyField(
        "records.BadRecord", verbose_name=_("records concerned"), related_name="+"
    )
    # Rectification orders only.
    requirements = models.TextField(_("rectification requirements"), blank=True)
    due_on = models.DateField(_("rectification due date"), null=True, blank=True)
    due_in_working_days = models.PositiveSmallIntegerField(
        _("due in working days"), null=True, blank=True
    )
    result = models.CharField(
        _("follow-up result"), max_length=20, choices=RectificationResult.choices, blank=True
    )
    result_on = models.DateField(_("follow-up date"), null=True, blank=True)
    result_note = models.TextField(_("follow-up findings"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("new draft record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision measure")
        verbose_name_plural = _("supervision measures")
        ordering = ["-taken_on", "-id"]
        indexes = [
            models.Index(fields=["operator", "taken_on"], name="measure_operator_idx"),
            models.Index(fields=["practitioner", "taken_on"], name="measure_practitioner_idx"),
            models.Index(fields=["kind", "result", "due_on"], name="measure_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeasureKind.values), name="measure_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(operator__isnull=False) | Q(practitioner__isnull=False),
                name="measure_has_subject",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rectification_order") | Q(due_on__isnull=False),
                name="rectification_order_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject_name}"

    @property
    def reference(self) -> str:
        return f"SM{self.pk:08d}" if self.pk else ""

    @property
    def is_rectification_order(self) -> bool:
        return self.kind == MeasureKind.RECTIFICATION_ORDER

    def state(self, today: datetime.date | None = None) -> str:
        """ "done", "open", "overdue" for rectification orders; "done" for the others."""
        if not self.is_rectification_order or self.result:
            return "done"
        today = today or timezone.localdate()
        return "overdue" if self.due_on and self.due_on < today else "open"


class MeasureAttachment(PrivateFile):
    """A file of a measure (report, photographs, the order as served). Served only to staff
    who see the measure."""

    measure = models.ForeignKey(
        SupervisionMeasure,
        verbose_name=_("supervision measure"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("measure attachment")
        verbose_name_plural = _("measure attachments")

    def upload_folder(self) -> str:
        return f"measures/{self.measure_id}"


class LeadStatus(models.TextChoices):
    RECEIVED = "received", _("Received, waiting for triage")
    ACCEPTED = "accepted", _("Accepted")
    TRANSFERRED = "transferred", _("Transferred to another bureau")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class LeadQuerySet(models.QuerySet["Lead"]):
    def in_jurisdiction(self, bureau: models.Model) -> "LeadQuerySet":
        """Leads handled by this bureau or any bureau below it."""
        return self.filter(bureau__path__startswith=bureau.path)  # type: ignore[attr-defined]

    def visible_to(self, user: models.Model) -> "LeadQuerySet":
        bureau = getattr(user, "bureau", None)
        if not getattr(user, "is_active", False) or bureau is None:
            return self.none()
        return self.in_jurisdiction(bureau)

    def waiting(self) -> "LeadQuerySet":
        """Waiting for the handling bureau's triage (new, or transferred to it)."""
        return self.filter(status__in=[LeadStatus.RECEIVED, LeadStatus.TRANSFERRED])

    def overdue(self, *, on: datetime.date) -> "LeadQuerySet":
        return self.waiting().filter(answer_due__lt=on)


class Lead(models.Model):
    """A lead (举报线索) filed by anyone, without an account. The reporter follows it with the
    receipt number and a secret code (only its keyed hash is kept). The contact is personal
    data: shown only to the handling bureau's staff."""

    number = models.CharField(_("receipt number"), max_length=20, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("handling bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("operator or practitioner"), max_length=200)
    subject_name_key = models.CharField(max_length=200, db_index=True, editable=False)
    subject_identifiers = models.CharField(
        _("licence, certificate or credit code"), max_length=100, blank=True
    )
    what_happened = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"))
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=120, blank=True)
    contact_key = models.CharField(max_length=120, blank=True, editable=False)
    wants_reply = models.BooleanField(_("wants a reply"), default=False)
    # Same subject and same text (normalised): a resubmission, refused as a duplicate.
    duplicate_key = models.CharField(max_length=64, db_index=True, editable=False)
    filed_on = models.DateField(_("filed on"), editable=False)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer_due = models.DateField(_("first answer due"), editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.RECEIVED
    )
    # The answer the reporter reads on the follow page; the note stays inside the bureau.
    decision_reason = models.TextField(_("answer to the reporter"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.ForeignKey(
        SupervisionMeasure,
        verbose_name=_("supervision measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("draft record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-filed_at", "-id"]
        indexes = [
            # Waiting and overdue leads; with the bureau, a region's are counted from the
            # index alone (the dashboard's lead tiles).
            models.Index(
                fields=["status", "answer_due"], include=["bureau"], name="lead_waiting_cov_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LeadStatus.values), name="lead_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name}"

    @property
    def contact_masked(self) -> str:
        return mask_contact(self.contact)


class LeadAttachment(PrivateFile):
    """A file the reporter attached. Served only to the staff who see the lead."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="attachments"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("lead attachment")
        verbose_name_plural = _("lead attachments")

    def upload_folder(self) -> str:
        return f"leads/{self.lead_id}"


def mask_contact(contact: str) -> str:
    """A phone number or e-mail address with its middle hidden: 138****5678, z***@example.org."""
    if not contact:
        return ""
    if "@" in contact:
        local, _at, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(contact) <= 4:
        return "*" * len(contact)
    return f"{contact[:3]}****{contact[-4:]}"
