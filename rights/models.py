"""The listed subject's rights: who is verified as the subject, its objections (异议) and
credit-repair applications, and the notices (告知) the publishing bureau served."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.files import PrivateFile
from records.models import BadRecord, SubjectType


class ClaimIdentifier(models.TextChoices):
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    LICENCE_NO = "licence_no", _("Travel agency licence number")
    CERTIFICATE_NO = "certificate_no", _("Guide or practising certificate number")


# The identifiers that prove who an operator or a practitioner is (the issue: an operator by
# its credit code or licence, a practitioner by its certificate number).
IDENTIFIERS_FOR = {
    SubjectType.OPERATOR: (ClaimIdentifier.CREDIT_CODE, ClaimIdentifier.LICENCE_NO),
    SubjectType.PRACTITIONER: (ClaimIdentifier.CERTIFICATE_NO,),
}


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")


class SubjectClaimQuerySet(models.QuerySet["SubjectClaim"]):
    def verified(self) -> "SubjectClaimQuerySet":
        return self.filter(status=ClaimStatus.VERIFIED)

    def for_record(self, record: BadRecord) -> "SubjectClaimQuerySet":
        if record.operator_id:
            return self.filter(operator_id=record.operator_id)
        return self.filter(practitioner_id=record.practitioner_id)


class SubjectClaim(models.Model):
    """A public account's claim to be (or to act for) a listed subject, with its proof: an
    authorisation letter for an operator, an identity document for a practitioner. The
    bureau that published the record named in the claim verifies it; once verified, the
    account acts for every record of that subject."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="subject_claims",
    )
    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("record named in the claim"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.CharField(_("subject type"), max_length=12, choices=SubjectType.choices)
    operator = models.ForeignKey(
        "records.Operator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        "records.Practitioner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("verifying bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    identifier_kind = models.CharField(
        _("identifier type"), max_length=20, choices=ClaimIdentifier.choices
    )
    identifier = models.CharField(_("identifier"), max_length=40)
    acting_person = models.CharField(_("person acting"), max_length=100)
    # The language the account used when filing: its e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    filed_on = models.DateField(_("filed on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SubjectClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("subject verification")
        verbose_name_plural = _("subject verifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "record"],
                condition=Q(status="submitted"),
                name="rights_one_open_claim_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.record.subject_name}"

    @property
    def reference(self) -> str:
        return f"SV{self.pk:08d}" if self.pk else ""

    @property
    def audit_record_id(self) -> int:
        """Audit events about the claim belong to the record it names (kernel.audit)."""
        return self.record_id


class ClaimProof(PrivateFile):
    """An authorisation letter or an identity document; read only by the claimant and the
    verifying bureau's reviewers."""

    claim = models.ForeignKey(SubjectClaim, on_delete=models.PROTECT, related_name="proofs")

    class Meta(PrivateFile.Meta):
        verbose_name = _("verification proof")
        verbose_name_plural = _("verification proofs")

    def upload_folder(self) -> str:
        return f"rights/claims/{self.claim_id}"


class RequestState(models.TextChoices):
    OPEN = "open", _("Being handled")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class ObjectionOutcome(models.TextChoices):
    CORRECTED = "corrected", _("Record corrected")
    WITHDRAWN = "withdrawn", _("Record withdrawn")


class SubjectRequestQuerySet(models.QuerySet[Any]):
    def open(self) -> "SubjectRequestQuerySet":
        return self.filter(status=RequestState.OPEN)

    def overdue(self, *, on: datetime.date) -> "SubjectRequestQuerySet":
        return self.filter(status=RequestState.OPEN, deadline__lt=on)

    def due_by(self, *, day: datetime.date) -> "SubjectRequestQuerySet":
        return self.filter(status=RequestState.OPEN, deadline__lte=day)

    def answered_by(self, bureau: models.Model) -> "SubjectRequestQuerySet":
        """Those the bureau answers: about records it published."""
        return self.filter(record__filing_bureau=bureau)

    def visible_to(self, user: models.Model) -> "SubjectRequestQuerySet":
        """Staff of the publishing bureau and of the bureaus above it."""
        bureau = getattr(user, "bureau", None)
        if not getattr(user, "is_active", False) or bureau is None:
            return self.none()
        return self.filter(record__filing_bureau__path__startswith=bureau.path)


class SubjectRequest(models.Model):
    """What an objection and a repair application share: the subject's verified claim, one
    record, a deadline in working days, a reasoned answer."""

    claim = models.ForeignKey(
        SubjectClaim, verbose_name=_("filed as"), on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        "records.BadRecord", verbose_name=_("record"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    filed_on = models.DateField(_("filed on"))
    deadline = models.DateField(_("answer deadline"))
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("answered on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def audit_record_id(self) -> int:
        return self.record_id

    @property
    def answered_on_time(self) -> bool | None:
        if self.decided_on is None:
            return None
        return self.decided_on <= self.deadline


class Objection(SubjectRequest):
    """An objection (异议) to one published record, with grounds and proof. The record stays
    public while it is open."""

    grounds = models.TextField(_("grounds of the objection"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True
    )

    class Meta(SubjectRequest.Meta):
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="open"), name="rights_one_open_objection"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestState.values), name="rights_objection_status"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"OB{self.pk:08d}" if self.pk else ""

    @property
    def status_label(self) -> str:
        if self.outcome:
            return f"{self.get_status_display()} · {self.get_outcome_display()}"
        return str(self.get_status_display())


class RepairApplication(SubjectRequest):
    """A credit-repair application (信用修复): proof of rectification; approved, the record
    leaves the public list early."""

    statement = models.TextField(_("rectification"))

    class Meta(SubjectRequest.Meta):
        verbose_name = _("credit-repair application")
        verbose_name_plural = _("credit-repair applications")
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="open"), name="rights_one_open_repair"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestState.values), name="rights_repair_status"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"RP{self.pk:08d}" if self.pk else ""

    @property
    def status_label(self) -> str:
        """An upheld application is an approved repair."""
        labels = {
            RequestState.OPEN: _("Being handled"),
            RequestState.UPHELD: _("Approved: the record left the list"),
            RequestState.REJECTED: _("Rejected"),
        }
        return str(labels[RequestState(self.status)])


class ObjectionProof(PrivateFile):
    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="proofs")

    class Meta(PrivateFile.Meta):
        verbose_name = _("objection proof")
        verbose_name_plural = _("objection proofs")

    def upload_folder(self) -> str:
        return f"rights/objections/{self.objection_id}"


class RepairProof(PrivateFile):
    application = models.ForeignKey(
        RepairApplication, on_delete=models.PROTECT, related_name="proofs"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("rectification proof")
        verbose_name_plural = _("rectification proofs")

    def upload_folder(self) -> str:
        return f"rights/repairs/{self.application_id}"


class NoticeMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Served in person")
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")
    ANNOUNCEMENT = "announcement", _("By public announcement")


class Notice(models.Model):
    """How and when the subject was told of its published record (告知), with the proof."""

    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    method = models.CharField(_("method"), max_length=20, choices=NoticeMethod.choices)
    served_on = models.DateField(_("served on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice to the subject")
        verbose_name_plural = _("notices to subjects")
        ordering = ["-served_on", "-id"]

    def __str__(self) -> str:
        return f"{self.record.reference} {self.get_method_display()} {self.served_on}"


class NoticeProof(PrivateFile):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="proofs")

    class Meta(PrivateFile.Meta):
        verbose_name = _("proof of notice")
        verbose_name_plural = _("proofs of notice")

    def upload_folder(self) -> str:
        return f"rights/notices/{self.notice_id}"
