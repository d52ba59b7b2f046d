from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL_CODE = "000000"


class BureauLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("Municipal")
    COUNTY = "county", _("County")


class BureauQuerySet(models.QuerySet["Bureau"]):
    def within(self, bureau: "Bureau") -> "BureauQuerySet":
        """The bureau itself and every bureau below it."""
        return self.filter(path__startswith=bureau.path)


class Bureau(models.Model):
    """A tourism bureau (旅游主管部门), one per administrative division, keyed by its GB/T 2260
    code. `path` lists the codes from the national level down ("000000/330000/330100/"), so
    "this bureau and everything below it" is one indexed prefix match."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("region"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=BureauLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher bureau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=64, unique=True, editable=False)

    objects = BureauQuerySet.as_manager()

    class Meta:
        verbose_name = _("tourism bureau")
        verbose_name_plural = _("tourism bureaus")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=BureauLevel.values), name="bureau_level_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.level == BureauLevel.NATIONAL:
            return str(_("National tourism authority"))
        return str(_("%(region)s tourism bureau") % {"region": self.name})

    def contains(self, other: "Bureau") -> bool:
        return other.path.startswith(self.path)
