import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models.subjects import PractitionerKind, Sector


class Ground(models.TextChoices):
    """The seven grounds of the 办法; the code is part of the public data."""

    G1 = "G1", _("G1 · Fined or more heavily punished for infringing tourists' rights")
    G2 = "G2", _("G2 · Major safety accident, operator mainly responsible")
    G3 = "G3", _("G3 · Civil liability judged by a court, or refusal to execute a judgment")
    G4 = "G4", _("G4 · Criminal sentence for infringing tourists' rights")
    G5 = "G5", _("G5 · Misconduct while practising, punished")
    G6 = "G6", _("G6 · Infringement with serious adverse social impact")
    G7 = "G7", _("G7 · Other violations of laws and regulations")


# The columns the public list filters by besides the publication start (records.search and
# publication.filters): carried by its covering indexes.
PUBLIC_FILTER_COLUMNS = [
    "public_until",
    "filing_bureau",
    "ground",
    "sector",
    "subject_type",
    "subject_name_key",
]


class SubjectType(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    PRACTITIONER = "practitioner", _("Practitioner")


# Which grounds apply to which subject (SPEC §1): G2 to operators only, G4 and G5 to persons only.
GROUNDS_FOR = {
    SubjectType.OPERATOR: frozenset({"G1", "G2", "G3", "G6", "G7"}),
    SubjectType.PRACTITIONER: frozenset({"G1", "G3", "G4", "G5", "G6", "G7"}),
}


class BasisType(models.TextChoices):
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")
    CIVIL_JUDGMENT = "civil_judgment", _("Civil judgment")
    CRIMINAL_JUDGMENT = "criminal_judgment", _("Criminal judgment")
    ENFORCEMENT_RULING = "enforcement_ruling", _("Enforcement ruling")
    ACCIDENT_REPORT = "accident_report", _("Accident investigation report")
    COMPLAINT_RESULT = "complaint_result", _("Complaint-handling decision")
    OTHER = "other", _("Other document")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


class EndReason(models.TextChoices):
    """Why a record left the public list before its period ended (besides a withdrawal)."""

    REPAIRED = "repaired", _("Credit repaired")


EDITABLE_STATUSES = frozenset({RecordStatus.DRAFT, RecordStatus.RETURNED})
PENDING_STATUSES = frozenset({RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED})
DISCLOSED_STATUSES = frozenset({RecordStatus.SCHEDULED, RecordStatus.PUBLISHED})


class BadRecordQuerySet(models.QuerySet["BadRecord"]):
    def in_jurisdiction(self, bureau: "models.Model") -> "BadRecordQuerySet":
        """Records filed by this bureau or any bureau below it."""
        return self.filter(filing_bureau__path__startswith=bureau.path)  # type: ignore[attr-defined]

    def visible_to(self, user: "models.Model") -> "BadRecordQuerySet":
        """What a staff account may see: its bureau's region and below; nothing otherwise."""
        bureau = getattr(user, "bureau", None)
        if not getattr(user, "is_active", False) or bureau is None:
            return self.none()
        return self.in_jurisdiction(bureau)

    def public(self, on: datetime.date | None = None) -> "BadRecordQuerySet":
        """Records on the public list on a given day (default: today in China Standard Time).

        The dates decide on their own, so an ended record is hidden even before the expiry
        task has archived it, and a scheduled one appears on its day."""
        day = on or timezone.localdate()
        return self.filter(
            status__in=sorted(DISCLOSED_STATUSES), public_from__lte=day, public_until__gte=day
        )

    def in_archive(self, on: datetime.date | None = None) -> "BadRecordQuerySet":
        """The credit archive (信用档案): archived records, and disclosed ones (published or
        scheduled, as the expiry task moves both) whose period ended before the day even if
        the task has not moved them yet: the day after public() stops showing a record, it
        is here."""
        day = on or timezone.localdate()
        return self.filter(
            models.Q(status=RecordStatus.ARCHIVED)
            | models.Q(status__in=sorted(DISCLOSED_STATUSES), public_until__lt=day)
        )

    def pending_due(self, *, by: datetime.date) -> "BadRecordQuerySet":
        """Unpublished records whose publication deadline falls on or before `by`."""
        return self.filter(status__in=PENDING_STATUSES, publish_deadline__lte=by)


# The columns the staff record list filters and searches by (records/admin/bad_records.py,
# records/staff_search.py), carried in its order indexes: a page or a capped count of a filter
# or a search is then read from the index alone. The filing bureau first: the jurisdiction
# index is keyed by it already.
STAFF_LIST_FILTERED = [
    "filing_bureau",
    "status",
    "ground",
    "subject_type",
    "basis_type",
    "is_late",
    "subject_name_key",
    "basis_number_key",
]


def reference_of(pk: int) -> str:
    """A record's public identifier from its id: TR00000123."""
    return f"TR{pk:08d}"


class BadRecord(models.Model):
    """A bad record (旅游经营服务不良信息). The subject fields are a snapshot taken while the
    record is drafted, so that what was published stays as it was published."""

    subject_type = models.CharField(_("subject type"), max_length=12, choices=SubjectType.choices)
    operator = models.ForeignKey(
        "records.Operator",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    practitioner = models.ForeignKey(
        "records.Practitioner",
        verbose_name=_("practitioner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )

    # Published fields (公布事项), copied from the subject.
    subject_name = models.CharField(_("name"), max_length=200, editable=False)
    subject_name_key = models.CharField(max_length=200, db_index=True, editable=False)
    licence_no = models.CharField(_("licence number"), max_length=40, blank=True, editable=False)
    certificate_no = models.CharField(
        _("certificate number"), max_length=40, blank=True, editable=False
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, editable=False
    )
    business_address = models.CharField(
        _("business address"), max_length=300, blank=True, editable=False
    )
    legal_representative = models.CharField(
        _("legal representative"), max_length=100, blank=True, editable=False
    )
    # Search and filter keys for the public list, kept with the snapshot: the licence or
    # certificate number without hyphens or spaces, the operator's sector, the person's kind.
    identifier_key = models.CharField(max_length=40, blank=True, editable=False)
    name_grams = models.TextField(blank=True, editable=False)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, blank=True, editable=False
    )
    practitioner_kind = models.CharField(
        _("kind"), max_length=20, choices=PractitionerKind.choices, blank=True, editable=False
    )

    ground = models.CharField(_("ground"), max_length=2, choices=Ground.choices)
    cause = models.TextField(_("cause (violation or accident)"))
    penalty_decision = models.TextField(_("administrative penalty decision"), blank=True)
    complaint_result = models.TextField(_("complaint-handling result"), blank=True)

    basis_type = models.CharField(
        _("basis document type"), max_length=20, choices=BasisType.choices
    )
    basis_number = models.CharField(_("basis document number"), max_length=120)
    basis_number_key = models.CharField(max_length=120, editable=False)
    basis_issuer = models.CharField(_("issuing body"), max_length=200)
    basis_issuer_key = models.CharField(max_length=200, editable=False)
    basis_date = models.DateField(_("decision date"))

    # Timeliness (SPEC §3): the deadline is counted in working days from `obtained_on`.
    obtained_on = models.DateField(_("date the bureau obtained the information"))
    publish_deadline = models.DateField(_("publication deadline"), editable=False)
    is_late = models.BooleanField(_("published late"), default=False, editable=False)
    # Settled when the reviewer approves, like `is_late`: the reviewer's reason for a late
    # publication (the 办法 holds bureaus that report late to account), and the working days
    # from `obtained_on` to `public_from`, which the accountability report sums per bureau.
    late_publication_reason = models.TextField(
        _("reason for the late publication"), blank=True, editable=False
    )
    publication_working_days = models.PositiveSmallIntegerField(
        _("working days to publication"), null=True, blank=True, editable=False
    )

    period_years = models.PositiveSmallIntegerField(_("publication period (years)"))
    period_legal_basis = models.CharField(
        _("legal basis for a different period"), max_length=300, blank=True
    )

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecordStatus.choices,
        default=RecordStatus.DRAFT,
        editable=False,
    )
    public_from = models.DateField(_("publication start"), null=True, blank=True, editable=False)
    public_until = models.DateField(
        _("last day of publication"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    filing_bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("filing bureau"),
        on_delete=models.PROTECT,
        related_name="records",
        editable=False,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="filed_records",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_records",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    return_comment = models.TextField(_("return comment"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    # The listed subject's rights (rights app): an open objection (异议) keeps the record
    # public, flagged; an approved credit repair ends it early, with the reason.
    objection_open = models.BooleanField(
        _("objection being handled"), default=False, editable=False
    )
    ended_early_at = models.DateTimeField(
        _("ended early at"), null=True, blank=True, editable=False
    )
    end_reason = models.CharField(
        _("reason for the early end"),
        max_length=20,
        choices=EndReason.choices,
        blank=True,
        editable=False,
    )
    internal_note = models.TextField(_("internal note"), blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BadRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("bad record")
        verbose_name_plural = _("bad records")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "public_from"], name="record_status_from_idx"),
            models.Index(fields=["status", "public_until"], name="record_status_until_idx"),
            # A bureau's records by status, and by status and ground: the staff list's capped
            # count of a rare pair (archived + G5) over a province reads only the matching
            # entries of each bureau (records 0024).
            models.Index(
                fields=["filing_bureau", "status", "ground"], name="record_bureau_status_gr_idx"
            ),
            models.Index(fields=["status", "publish_deadline"], name="record_deadline_idx"),
            # The public list: newest publications first, only disclosed rows indexed. On
            # PostgreSQL the index also carries every column the list filters by, so that a
            # page's ids, its deep offsets and its capped total are read from the index alone
            # (index-only scans); SQLite ignores `include`.
            models.Index(
                fields=["-public_from", "-id"],
                include=PUBLIC_FILTER_COLUMNS,
                condition=Q(status__in=sorted(DISCLOSED_STATUSES)),
                name="record_public_newest_cov_idx",
            ),
            models.Index(
                fields=["subject_name_key", "id"],
                include=[
                    "public_from",
                    *(c for c in PUBLIC_FILTER_COLUMNS if c != "subject_name_key"),
                ],
                condition=Q(status__in=sorted(DISCLOSED_STATUSES)),
                name="record_public_name_cov_idx",
            ),
            models.Index(
                fields=["filing_bureau", "-public_from", "-id"],
                include=[c for c in PUBLIC_FILTER_COLUMNS if c != "filing_bureau"],
                condition=Q(status__in=sorted(DISCLOSED_STATUSES)),
                name="record_public_bureau_cov_idx",
            ),
            # Last-Modified of the public list is the latest change to any record.
            models.Index(fields=["updated_at"], name="record_updated_at_idx"),
            models.Index(fields=["identifier_key"], name="record_identifier_key_idx"),
            # The staff list's default order: its pages are found in this index, with the
            # columns its filters test carried along (PostgreSQL), so that a page of a rare
            # filter is found without reading the rows it passes over.
            models.Index(
                fields=["-created_at", "-id"],
                include=STAFF_LIST_FILTERED,
                name="record_staff_newest_cov_idx",
            ),
            # A county's or a city's records in that order, and the capped count of a
            # jurisdiction's filtered list, read from the index alone; also the ids of a
            # jurisdiction's records, which the audit list checks events against.
            models.Index(
                fields=["filing_bureau", "-created_at", "-id"],
                include=STAFF_LIST_FILTERED[1:],
                name="record_staff_bureau_cov_idx",
            ),
            # The list of one status (archived, pending, …) in that order: a rare filter within
            # a status then reads that status's entries only, not every newer record's.
            models.Index(
                fields=["status", "-created_at", "-id"],
                include=[c for c in STAFF_LIST_FILTERED if c != "status"],
                name="record_staff_status_cov_idx",
            ),
            # Filters whose rare values would otherwise scan every record to find none.
            models.Index(fields=["basis_type"], name="record_basis_type_idx"),
            models.Index(fields=["is_late"], condition=Q(is_late=True), name="record_late_idx"),
            models.Index(fields=["credit_code"], name="record_credit_code_idx"),
            # The accountability report (supervision): publications of a period per bureau,
            # on time or late and how many working days they took, read from the index alone
            # on PostgreSQL. (Records filed in a period per bureau are read from
            # record_staff_bureau_cov_idx.)
            models.Index(
                fields=["public_from"],
                include=["filing_bureau", "is_late", "publication_working_days"],
                condition=Q(publication_working_days__isnull=False),
                name="record_timeliness_idx",
            ),
            # The report's late publications of a period, newest first (the bureau is
            # included for a region's).
            models.Index(
                fields=["public_from", "filing_bureau"],
                condition=Q(is_late=True),
                name="record_late_from_idx",
            ),
            # Published records of a region without a notice yet (rights' dashboard tile, a
            # capped count): read from the index alone, per bureau of the region or, for the
            # whole country, from its start (a plain scan with a limit begins wherever a
            # concurrent scan of the table is and may read 700,000 archived rows first).
            models.Index(
                fields=["filing_bureau", "public_from"],
                include=["id"],
                condition=Q(status="published"),
                name="record_published_bureau_idx",
            ),
            # The report's credit repairs approved in a period per bureau: few rows, found
            # without reading the million others.
            models.Index(
                fields=["ended_early_at", "filing_bureau"],
                condition=Q(end_reason="repaired"),
                name="record_repaired_at_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RecordStatus.values), name="record_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ground__in=Ground.values), name="record_ground_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        subject_type=SubjectType.OPERATOR,
                        operator__isnull=False,
                        practitioner__isnull=True,
                    )
                    | models.Q(
                        subject_type=SubjectType.PRACTITIONER,
                        operator__isnull=True,
                        practitioner__isnull=False,
                    )
                ),
                name="record_one_subject_of_its_type",
            ),
            models.CheckConstraint(
                condition=~models.Q(subject_type=SubjectType.OPERATOR, ground__in=["G4", "G5"])
                & ~models.Q(subject_type=SubjectType.PRACTITIONER, ground="G2"),
                name="record_ground_fits_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(period_years__gte=1, period_years__lte=50),
                name="record_period_years_range",
            ),
            models.CheckConstraint(
                condition=models.Q(obtained_on__gte=models.F("basis_date")),
                name="record_obtained_after_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(public_from__isnull=True)
                | models.Q(public_until__gte=models.F("public_from")),
                name="record_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["scheduled", "published", "archived"])
                | models.Q(public_from__isnull=False, public_until__isnull=False),
                name="record_disclosed_has_dates",
            ),
            models.UniqueConstraint(
                fields=["basis_issuer_key", "basis_number_key"],
                condition=~models.Q(status="withdrawn"),
                name="record_one_per_basis_document",
                violation_error_message=_(
                    "A record for this basis document of this issuing body already exists."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject_name}"

    @property
    def audit_record_id(self) -> int | None:
        """The record an audit event about this object belongs to (kernel.audit)."""
        return self.pk

    @property
    def audit_record_scope(self) -> str | None:
        """The filing bureau's path when the bureau is already loaded (a record never
        changes its filing bureau), so that the audit writer need not look it up."""
        if type(self).filing_bureau.is_cached(self):
            return self.filing_bureau.path
        return None

    @property
    def reference(self) -> str:
        """The record's public identifier; it stays the same across corrections."""
        return reference_of(self.pk) if self.pk else ""

    @property
    def identifier_no(self) -> str:
        """Licence number for operators, certificate number for practitioners."""
        return self.licence_no or self.certificate_no


class BadRecordVersion(models.Model):
    """A superseded version of a published record, kept when it is corrected."""

    record = models.ForeignKey(
        BadRecord, on_delete=models.PROTECT, related_name="versions", verbose_name=_("record")
    )
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("published fields"))
    correction_reason = models.TextField(_("reason for the correction"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["record", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="record_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record.reference} v{self.version}"
