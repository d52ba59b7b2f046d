import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.files import PrivateFile
from kernel.identifiers import mask_identity_number
from kernel.identity_numbers import (
    identity_number_decrypt,
    identity_number_digests,
    identity_number_encrypt,
)
from kernel.names import search_key
from records.models import BadRecord, User
from records.models.bad_records import BadRecordQuerySet
from records.roles import Role, has_role


class IdentifierKind(models.TextChoices):
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    LICENCE_NO = "licence_no", _("Travel agency licence number")
    CERTIFICATE_NO = "certificate_no", _("Guide or practising certificate number")
    IDENTITY_NUMBER = "identity_number", _("Resident identity number")


class Relationship(models.TextChoices):
    """How the requester is directly interested (直接利害关系人), SPEC §6."""

    SUBJECT_ITSELF = "subject", _("I am the subject (or act for it)")
    TOURIST = "tourist", _("A tourist who was party to the case")
    CONTRACT_PARTY = "contract", _("A party to a contract or dispute with the subject")
    AUTHORITY = "authority", _("A court or authority")
    OTHER = "other", _("Other (explain)")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# Which BadRecord field an identifier is compared with (the values are stored normalised).
IDENTIFIER_FIELDS = {
    IdentifierKind.CREDIT_CODE: "credit_code",
    IdentifierKind.LICENCE_NO: "licence_no",
    IdentifierKind.CERTIFICATE_NO: "certificate_no",
    # Stored encrypted: compared by its keyed hashes (kernel/identity_numbers.py).
    IdentifierKind.IDENTITY_NUMBER: "practitioner__identity_number_hmac__in",
}


class ArchiveRequestQuerySet(models.QuerySet["ArchiveRequest"]):
    def routed_within(self, bureau: models.Model) -> "ArchiveRequestQuerySet":
        """Requests addressed to this bureau or to any bureau below it."""
        return self.filter(bureau__path__startswith=bureau.path)  # type: ignore[attr-defined]

    def visible_to(self, user: models.Model) -> "ArchiveRequestQuerySet":
        """What an archive reviewer handles: the requests routed to their bureau or below;
        nothing for anyone else (requesters read their own through the public pages)."""
        bureau = getattr(user, "bureau", None)
        if not has_role(user, Role.ARCHIVE_REVIEWER) or bureau is None:
            return self.none()
        return self.routed_within(bureau)

    def granted(self, *, on: datetime.date) -> "ArchiveRequestQuerySet":
        """Approved requests whose access window contains the day."""
        return self.filter(status=RequestStatus.APPROVED, access_from__lte=on, access_until__gte=on)

    def named(self, text: str) -> "ArchiveRequestQuerySet":
        """Requests whose subject name contains the text, in any width, case or
        traditional/simplified form (the name key; a trigram index on PostgreSQL)."""
        key = search_key((text or "")[:100])
        return self.filter(subject_name_key__contains=key) if key else self

    def overdue(self, *, on: datetime.date) -> "ArchiveRequestQuerySet":
        return self.filter(status=RequestStatus.SUBMITTED, deadline__lt=on)

    def due_by(self, *, day: datetime.date) -> "ArchiveRequestQuerySet":
        return self.filter(status=RequestStatus.SUBMITTED, deadline__lte=day)

    def records_readable_by(
        self, user: User | AnonymousUser, *, on: datetime.date | None = None
    ) -> BadRecordQuerySet:
        """The archived records an interested party may read on a day: those matching one of
        their approved requests whose access window is open (SPEC §6). Nothing for anyone
        else. This is the one place the archive's reading rule is written."""
        day = on or timezone.localdate()
        if not isinstance(user, User) or not user.is_active or not user.pk:
            return BadRecord.objects.none()
        archive = BadRecord.objects.in_archive(on=day)
        readable = BadRecord.objects.none()
        for grant in self.granted(on=day).filter(requester=user).select_related("bureau"):
            readable = readable | grant.matching(archive)
        return readable


class ArchiveRequest(models.Model):
    """An interested party's request to read the credit archive (信用档案) about one subject,
    addressed to the bureau of a region. Decided by that bureau's archive reviewers (or a
    higher bureau's); an approval opens a read window on the matching archived records."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="archive_requests",
    )
    subject_name = models.CharField(_("subject name"), max_length=200)
    subject_name_key = models.CharField(max_length=200, editable=False)
    identifier_kind = models.CharField(
        _("identifier type"), max_length=20, choices=IdentifierKind.choices
    )
    # An identity number is stored encrypted (kernel/identity_numbers.py), like a
    # practitioner's: read it through `identifier_value`.
    identifier = models.CharField(_("identifier"), max_length=255)
    # For `manage.py identity_numbers_reencrypt` (kernel/identity_number_rotation.py).
    identity_number_tokens = ("identifier", {"identifier_kind": "identity_number"})
    bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("region (deciding bureau)"),
        on_delete=models.PROTECT,
        related_name="archive_requests",
    )
    relationship = models.CharField(
        _("relationship to the subject"), max_length=10, choices=Relationship.choices
    )
    explanation = models.TextField(_("explanation"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        editable=False,
    )
    filed_on = models.DateField(_("filed on"), editable=False)
    deadline = models.DateField(_("decision deadline"), editable=False)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reasons = models.TextField(_("reasons"), blank=True, editable=False)
    decision_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    access_from = models.DateField(_("access from"), null=True, blank=True, editable=False)
    access_until = models.DateField(_("last day of access"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ArchiveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive request")
        verbose_name_plural = _("archive requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="archive_request_due_idx"),
            # The reviewers' list in its order, over a jurisdiction or the whole country, with
            # the columns its filters test carried along on PostgreSQL.
            models.Index(
                fields=["bureau", "-created_at", "-id"],
                include=["status", "relationship", "deadline"],
                name="archive_request_bureau_cov_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                include=["bureau", "status", "relationship", "deadline"],
                name="archive_request_newest_cov_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="archive_request_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(access_from__isnull=False, access_until__isnull=False),
                name="archive_request_approved_has_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject_name}"

    @property
    def reference(self) -> str:
        return f"AR{self.pk:08d}" if self.pk else ""

    @staticmethod
    def identifier_stored(kind: str, value: str) -> str:
        """What is written in `identifier`: identity numbers encrypted at rest (SPEC §4)."""
        if kind == IdentifierKind.IDENTITY_NUMBER:
            return identity_number_encrypt(value)
        return value

    @property
    def identifier_value(self) -> str:
        if self.identifier_kind == IdentifierKind.IDENTITY_NUMBER:
            return identity_number_decrypt(self.identifier)
        return self.identifier

    @property
    def identifier_shown(self) -> str:
        """Identity numbers are masked wherever they are shown (SPEC §4)."""
        if self.identifier_kind == IdentifierKind.IDENTITY_NUMBER:
            return mask_identity_number(self.identifier_value)
        return self.identifier

    def matching(self, records: BadRecordQuerySet) -> BadRecordQuerySet:
        """The records this request is about: the same identifier and the same normalised
        name, filed by the deciding bureau or a bureau below it."""
        kind = IdentifierKind(self.identifier_kind)
        value: object = self.identifier
        if kind == IdentifierKind.IDENTITY_NUMBER:
            value = identity_number_digests(self.identifier_value)
        return records.in_jurisdiction(self.bureau).filter(
            **{IDENTIFIER_FIELDS[kind]: value}, subject_name_key=self.subject_name_key
        )

    def access_open(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status == RequestStatus.APPROVED
            and self.access_from is not None
            and self.access_until is not None
            and self.access_from <= day <= self.access_until
        )


class ProofFile(PrivateFile):
    """Proof of interest. Served only to the requester and the archive reviewers with
    jurisdiction (kernel.files)."""

    archive_request = models.ForeignKey(
        ArchiveRequest,
        verbose_name=_("archive request"),
        on_delete=models.PROTECT,
        related_name="proofs",
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("proof file")
        verbose_name_plural = _("proof files")

    def upload_folder(self) -> str:
        return f"proof/{self.archive_request_id}"


class ArchiveAccessLogQuerySet(models.QuerySet["ArchiveAccessLog"]):
    def visible_to(self, user: models.Model) -> "ArchiveAccessLogQuerySet":
        """Staff of the addressed bureau and of the bureaus above it; nobody else."""
        bureau = getattr(user, "bureau", None)
        if not getattr(user, "is_active", False) or bureau is None:
            return self.none()
        return self.filter(archive_request__in=ArchiveRequest.objects.routed_within(bureau))


class ArchiveAccessLog(models.Model):
    """One archived record shown to one person: who, what, when. Written by the service,
    never changed."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive_request = models.ForeignKey(
        ArchiveRequest,
        verbose_name=_("archive request"),
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    record = models.ForeignKey(
        "records.BadRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ArchiveAccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive access")
        verbose_name_plural = _("archive access log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.record.reference}"
