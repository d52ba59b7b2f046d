"""The admin form of a year's calendar. The rules live in workdays.services.calendar_clean;
the form only shows its field errors next to the fields."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workdays.entry import format_day_lines
from workdays.models import CalendarStatus, CalendarYear, DayKind
from workdays.services import calendar_clean

DAYS_OFF_HELP = _(
    "One date or range a line, then the holiday's name, e.g. “2027-01-01 元旦” or "
    "“2027-02-05..2027-02-11 春节”. List every day off of the notice, weekends inside a "
    "break included."
)
WORKING_DAYS_HELP = _(
    "The Saturdays and Sundays that are working days (调休上班), one a line, e.g. "
    "“2027-02-20 春节调休”."
)

# ModelForm is generic in the stubs only.
if TYPE_CHECKING:
    _CalendarYearModelForm = forms.ModelForm[CalendarYear]
else:
    _CalendarYearModelForm = forms.ModelForm


class CalendarYearForm(_CalendarYearModelForm):
    days_off = forms.CharField(
        label=_("days off"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 50}),
        help_text=DAYS_OFF_HELP,
    )
    working_days = forms.CharField(
        label=_("adjusted working days (调休上班)"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 50}),
        required=False,
        help_text=WORKING_DAYS_HELP,
    )
    reason = forms.CharField(
        label=_("reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        required=False,
        help_text=_("Needed to correct an approved calendar; shown in the history."),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "notice_number", "notice_date", "notice_title"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            days = list(self.instance.days.order_by("date").values_list("date", "kind", "name"))
            self.initial["days_off"] = format_day_lines(
                [(d, n) for d, k, n in days if k == DayKind.DAY_OFF]
            )
            self.initial["working_days"] = format_day_lines(
                [(d, n) for d, k, n in days if k == DayKind.WORKING_DAY]
            )
        if not self.is_correction:
            self.fields.pop("reason")

    @property
    def is_correction(self) -> bool:
        return bool(self.instance.pk) and self.instance.status == CalendarStatus.APPROVED

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        try:
            calendar_clean(data=cleaned, year=self.instance.year if self.instance.pk else None)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        if self.is_correction and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the approved calendar is corrected."))
        return cleaned

    def validate_unique(self) -> None:
        # The service says "already has a calendar" in its own words.
        pass
