"""The official working-day calendar as data (SPEC §3): per year, the days off and the
adjusted working days (调休上班) of the State Council's notice, who entered and approved it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("Day off")
    WORKING_DAY = "work", _("Adjusted working day (调休上班)")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CalendarStatus.choices,
        default=CalendarStatus.DRAFT,
        editable=False,
    )
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    notice_title = models.CharField(_("notice title or source"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    corrected_at = models.DateTimeField(
        _("last corrected at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    calendar = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    # Unique on its own: a date belongs to the calendar of its own year (checked on entry).
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class CalendarReminder(models.Model):
    """One row per year whose missing calendar the national administrators were reminded
    of: the unique year is what makes the reminder go out once."""

    year = models.PositiveSmallIntegerField(unique=True)
    sent_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.year}: {self.sent_on.isoformat()}"
