from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import mask_identity_number
from kernel.identity_numbers import EncryptedIdentityNumberField


class Sector(models.TextChoices):
    TRAVEL_AGENCY = "travel_agency", _("Travel agency")
    SCENIC_AREA = "scenic_area", _("Scenic area")
    TRANSPORT = "transport", _("Transport")
    ACCOMMODATION = "accommodation", _("Accommodation")
    CATERING = "catering", _("Catering")
    SHOPPING = "shopping", _("Shopping")
    ENTERTAINMENT = "entertainment", _("Entertainment")


class PractitionerKind(models.TextChoices):
    GUIDE = "guide", _("Tour guide")
    TOUR_LEADER = "tour_leader", _("Tour leader")
    PRINCIPAL = "principal", _("Principal person-in-charge")
    OTHER = "other", _("Other staff")


class Subject(models.Model):
    """What operators and practitioners share: a name as typed, its search key, a region and
    the bureau that created the entry (only that bureau may change it)."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    # The key's single characters and pairs (kernel.names.short_grams): searches of one or two
    # characters, too short for trigrams, go through its full-text index (records 0023).
    name_grams = models.TextField(blank=True, editable=False)
    region = models.ForeignKey(
        "records.Bureau", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    created_by_bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("created by bureau"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Operator(Subject):
    """A tourism operator (旅游经营者)."""

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_no = models.CharField(_("licence number"), max_length=40, blank=True)
    business_address = models.CharField(_("business address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)

    class Meta(Subject.Meta):
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        # The staff list's order (the admin adds -id to make it total).
        indexes = [models.Index(F("name"), F("id").desc(), name="operator_name_list_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="operator_credit_code_unique",
                violation_error_message=_("An operator with this credit code already exists."),
            ),
            models.UniqueConstraint(
                fields=["licence_no"],
                condition=~models.Q(licence_no=""),
                name="operator_licence_no_unique",
                violation_error_message=_("An operator with this licence number already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(sector__in=Sector.values), name="operator_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})" if self.credit_code else self.name


class Practitioner(Subject):
    """A tourism practitioner (旅游从业人员). The identity number is personal data: it is shown
    in full only to the bureau that created the entry, masked everywhere else."""

    kind = models.CharField(_("kind"), max_length=20, choices=PractitionerKind.choices)
    # Stored encrypted; exact look-ups go through the keyed hash (kernel/identity_numbers.py).
    identity_number = EncryptedIdentityNumberField(_("resident identity number"), blank=True)
    identity_number_hmac = models.CharField(max_length=64, blank=True, editable=False)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    employer = models.ForeignKey(
        "records.Operator",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioners",
    )

    class Meta(Subject.Meta):
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        indexes = [models.Index(F("name"), F("id").desc(), name="practitioner_name_list_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_number_hmac"],
                condition=~models.Q(identity_number_hmac=""),
                name="practitioner_identity_number_hmac_unique",
                violation_error_message=_(
                    "A practitioner with this identity number already exists."
                ),
            ),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~models.Q(certificate_no=""),
                name="practitioner_certificate_no_unique",
                violation_error_message=_(
                    "A practitioner with this certificate number already exists."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PractitionerKind.values),
                name="practitioner_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        suffix = self.certificate_no or self.identity_number_masked
        return f"{self.name} ({suffix})" if suffix else self.name

    @property
    def identity_number_masked(self) -> str:
        return mask_identity_number(self.identity_number)
