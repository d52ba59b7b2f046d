"""The period a report covers: a month, a quarter, a year, or a date range, chosen in a GET
form whose every bad value gets a message naming its field."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# No record predates the portal's first year; a later end than a year ahead is a typo.
FIRST_YEAR = 2000
# A range is read in one pass over its publications: ten years bounds the work of a request.
RANGE_MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year" or "range"
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return gettext("%(year)d-%(month)02d") % {
                "year": self.start.year,
                "month": self.start.month,
            }
        if self.kind == "quarter":
            return gettext("Q%(quarter)d %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return gettext("%(year)d") % {"year": self.start.year}
        return gettext("%(start)s to %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    def query(self) -> dict[str, str]:
        """The GET parameters that choose this period again."""
        if self.kind == "month":
            return {"kind": "month", "year": str(self.start.year), "month": str(self.start.month)}
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return {"kind": "quarter", "year": str(self.start.year), "quarter": str(quarter)}
        if self.kind == "year":
            return {"kind": "year", "year": str(self.start.year)}
        return {"kind": "range", "start": self.start.isoformat(), "end": self.end.isoformat()}


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period("month", start, following - datetime.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = month_period(year, 3 * quarter).end
    return Period("quarter", start, end)


def year_period(year: int) -> Period:
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def quarter_of(day: datetime.date) -> Period:
    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def previous_quarter(period: Period) -> Period:
    return quarter_of(period.start - datetime.timedelta(days=1))


class PeriodForm(forms.Form):
    """What the report page reads from its query string (the view fills in the current
    quarter when none is chosen)."""

    KINDS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("range", _("Date range")),
    ]

    bureau = forms.CharField(
        label=_("Bureau (division code)"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Enter a six-digit division code."))],
    )
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "—")] + [(str(q), str(q)) for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", "—")] + [(str(m), str(m)) for m in range(1, 13)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: object = None, *, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        super().__init__(data)  # type: ignore[arg-type]

    def _year_in_range(self, field: str, value: int | None) -> None:
        if value is not None and not FIRST_YEAR <= value <= self.today.year + 1:
            self.add_error(
                field,
                gettext("Enter a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": self.today.year + 1},
            )

    def _date_in_range(self, field: str, value: datetime.date | None) -> None:
        last = self.today + datetime.timedelta(days=366)
        if value is not None and not datetime.date(FIRST_YEAR, 1, 1) <= value <= last:
            self.add_error(
                field,
                gettext("Enter a date from %(first)s to %(last)s.")
                % {"first": f"{FIRST_YEAR}-01-01", "last": last.isoformat()},
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "kind" in self.errors:
            return data  # which fields a period needs depends on its kind
        kind = data.get("kind") or "quarter"
        data["kind"] = kind
        self._year_in_range("year", data.get("year"))
        if kind != "range" and data.get("year") is None and "year" not in self.errors:
            self.add_error("year", gettext("Enter the year of the period."))
        if kind == "month" and data.get("month") is None and "month" not in self.errors:
            self.add_error("month", gettext("Choose the month."))
        if kind == "quarter" and data.get("quarter") is None and "quarter" not in self.errors:
            self.add_error("quarter", gettext("Choose the quarter."))
        if kind == "range":
            for field in ("start", "end"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, gettext("Enter the date."))
                self._date_in_range(field, data.get(field))
            start, end = data.get("start"), data.get("end")
            if isinstance(start, datetime.date) and isinstance(end, datetime.date):
                if end < start:
                    self.add_error("end", gettext("The end date cannot be before the start."))
                elif (end - start).days > RANGE_MAX_DAYS:
                    self.add_error(
                        "end",
                        gettext("A range can cover at most %(days)d days.")
                        % {"days": RANGE_MAX_DAYS},
                    )
        return data

    def period(self) -> Period:
        """The chosen period; call only after is_valid() returned True."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == "month":
            return month_period(data["year"], data["month"])
        if kind == "quarter":
            return quarter_period(data["year"], data["quarter"])
        if kind == "year":
            return year_period(data["year"])
        return Period("range", data["start"], data["end"])


PERIOD_FIELDS = ("kind", "year", "quarter", "month", "start", "end")


def period_form_data(query: dict[str, str], *, today: datetime.date) -> dict[str, str]:
    """The query string, with the current quarter when it chooses no period at all."""
    data = {key: query[key] for key in ("bureau", *PERIOD_FIELDS) if key in query}
    if not any(data.get(key) for key in PERIOD_FIELDS):
        data |= quarter_of(today).query()
    return data
