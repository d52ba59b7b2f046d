"""Applicant checks (行政许可审查, SPEC §7). A check is written once and never changed: what
the officer typed, the verdict and the matches shown are kept as they were, so that the printed
copy in the application file can be verified years later. The officer's conclusion is a
separate row appended afterwards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationType(models.TextChoices):
    TRAVEL_AGENCY_LICENCE = "travel_agency_licence", _("Travel agency licence")
    OUTBOUND_BUSINESS = "outbound_business", _("Outbound tourism business")
    GUIDE_CERTIFICATE = "guide_certificate", _("Tour guide certificate")
    SCENIC_AREA_RATING = "scenic_area_rating", _("A-grade scenic area rating")
    STAR_HOTEL_RATING = "star_hotel_rating", _("Star-rated hotel rating")
    OTHER = "other", _("Other application")


class ApplicantKind(models.TextChoices):
    OPERATOR = "operator", _("Operator (company)")
    PERSON = "person", _("Person (individual)")


class Verdict(models.TextChoices):
    LISTED = "listed", _("Listed")
    POSSIBLE_MATCH = "possible_match", _("Possible match — review")
    NOT_LISTED = "not_listed", _("Not listed")


class CheckSource(models.TextChoices):
    WEB = "web", _("Check page")
    API = "api", _("API")
    BATCH = "batch", _("Batch")


def _licensing_scope(queryset: models.QuerySet, user: models.Model) -> models.QuerySet:
    """Licensing officers see their bureau's checks and batches; bureau administrators those
    of their bureau and below; the national administrator all. Nobody else sees any."""
    from licensing.permissions import can_run_checks, sees_jurisdiction

    bureau = getattr(user, "bureau", None)
    if bureau is None or not can_run_checks(user):
        return queryset.none()
    if sees_jurisdiction(user):
        return queryset.filter(bureau__path__startswith=bureau.path)
    return queryset.filter(bureau=bureau)


class ApplicantCheckQuerySet(models.QuerySet["ApplicantCheck"]):
    def visible_to(self, user: models.Model) -> "ApplicantCheckQuerySet":
        return _licensing_scope(self, user)  # type: ignore[return-value]


class CheckBatchQuerySet(models.QuerySet["CheckBatch"]):
    def visible_to(self, user: models.Model) -> "CheckBatchQuerySet":
        return _licensing_scope(self, user)  # type: ignore[return-value]


class CheckBatch(models.Model):
    """An uploaded file of applicants, checked row by row by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")

    bureau = models.ForeignKey(
        "records.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=200)
    # The parsed rows: identity numbers stay here only until the row is checked, then the
    # worker blanks them (see licensing.services.batches).
    rows = models.JSONField(default=list)
    row_errors = models.JSONField(default=list)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = CheckBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch of checks")
        verbose_name_plural = _("batches of checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.processed}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.processed * 100 / self.total)


class CheckBatchPart(models.Model):
    """Rows [first, last) of a batch, run as one outbox job ("licensing_batch_part"): the
    kernel's runner claims it, retries it and gives it up; a part given up is `failed` with
    the runner's reason, and the batch finishes without its unchecked rows."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(CheckBatch, on_delete=models.CASCADE, related_name="parts")
    first = models.PositiveIntegerField()
    last = models.PositiveIntegerField()
    processed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.batch_id}[{self.first}:{self.last}]"

    @property
    def unchecked(self) -> int:
        return self.last - self.first - self.processed


class ApplicantCheck(models.Model):
    """One applicant check. Immutable: no service updates it, the admin cannot change or
    delete it, and a database trigger refuses UPDATE (and DELETE on PostgreSQL)."""

    number = models.CharField(_("check number"), max_length=24, unique=True, editable=False)
    verification_code = models.CharField(_("verification code"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    bureau = models.ForeignKey(
        "records.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=5, choices=CheckSource.choices)
    batch = models.ForeignKey(
        CheckBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checks",
    )
    batch_row = models.PositiveIntegerField(_("row"), null=True, blank=True)

    application_type = models.CharField(
        _("application type"), max_length=24, choices=ApplicationType.choices
    )
    application_ref = models.CharField(_("application reference number"), max_length=100)

    applicant_kind = models.CharField(
        _("applicant kind"), max_length=10, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant name as entered"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_no = models.CharField(_("licence number"), max_length=40, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    # Never the full identity number: its masked form for people, and a keyed hash so that
    # two checks of the same person can be found without storing the number.
    identity_masked = models.CharField(_("identity number (masked)"), max_length=18, blank=True)
    identity_hmac = models.CharField(max_length=64, blank=True, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    principal_persons = models.JSONField(_("principal persons"), default=list, blank=True)

    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    matches = models.JSONField(_("matches"), default=list)
    archived = models.JSONField(_("archived records (for information)"), default=list)
    connected = models.JSONField(_("listed connected persons"), default=list)

    objects = ApplicantCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("applicant check")
        verbose_name_plural = _("applicant checks")
        ordering = ["-created_at", "-id"]
        # The staff list's order, over a jurisdiction or the whole country, with the columns
        # its filters test carried along on PostgreSQL: pages and capped counts are read
        # from the index alone.
        indexes = [
            models.Index(
                fields=["bureau", "-created_at", "-id"],
                # The searched columns too (licensing.staff_search): a region's search tests
                # its own entries instead of asking the name's trigram index once a bureau.
                include=[
                    "verdict",
                    "application_type",
                    "source",
                    "applicant_name",
                    "number",
                    "application_ref",
                ],
                name="lic_check_bureau_cov_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                include=["bureau", "verdict", "application_type", "source"],
                name="lic_check_newest_cov_idx",
            ),
            # One verdict, application type or source over the whole country in the list's
            # order: a rare one (listed, scenic-area ratings, batch checks) is read from its
            # own entries instead of a walk of every check (licensing 0009).
            models.Index(fields=["verdict", "-created_at", "-id"], name="lic_check_verdict_idx"),
            models.Index(
                fields=["application_type", "-created_at", "-id"], name="lic_check_type_idx"
            ),
            models.Index(fields=["source", "-created_at", "-id"], name="lic_check_source_idx"),
            # The staff search matches the application reference whole (licensing.staff_search):
            # without an index the search's OR with the name's trigrams read every check.
            models.Index(fields=["application_ref"], name="lic_check_app_ref_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values), name="lic_check_verdict_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(application_type__in=ApplicationType.values),
                name="lic_check_application_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"


class Conclusion(models.TextChoices):
    SAME_SUBJECT = "same", _("Same subject")
    NOT_SAME = "not_same", _("Not the same subject")
    FOLLOW_UP = "follow_up", _("Needs follow-up")


class CheckConclusion(models.Model):
    """The officer's conclusion on a check, appended; a later one supersedes an earlier one
    on screen, both are kept."""

    applicant_check = models.ForeignKey(
        ApplicantCheck,
        verbose_name=_("check"),
        on_delete=models.PROTECT,
        related_name="conclusions",
    )
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conclusion__in=Conclusion.values),
                name="lic_conclusion_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_check.number}: {self.get_conclusion_display()}"


class OperatorNameKey(models.Model):
    """The look-up keys of an operator's name (licensing.name_keys): which operators a
    company-name check proposes, by the same SQL on both databases. Kept up to date from
    OperatorNameQueue, which database triggers fill when an operator is added or renamed."""

    operator = models.ForeignKey("records.Operator", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["key", "operator"], name="lic_name_key_lookup")]

    def __str__(self) -> str:
        return self.key


class OperatorNameQueue(models.Model):
    """Operators whose name keys are to be (re)computed: written by the triggers of licensing
    migration 0007 (records knows nothing of licensing), emptied by name_keys_refresh. No
    foreign key, so that a trigger never fails an operator's insert or delete."""

    operator_id = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.operator_id)
