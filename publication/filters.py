"""The filters of the public list, shared by the pages, the API and the CSV export, so that
one query string means the same thing everywhere."""

import copy
import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from publication.search import public_search
from publication.selectors import region_bureau_ids
from records.models import BadRecord, Ground, Sector, SubjectType
from records.search import SEARCH_MAX_LENGTH

SORTS = {
    "newest": ("-public_from", "-id"),
    "oldest": ("public_from", "id"),
    "name": ("subject_name_key", "id"),
}


class _SharedFields(dict):
    """The filter form's fields, shared by its instances instead of deep-copied for each
    (Django copies every field, widget and choice list per form: a fifth of a filtered
    page's Python). Nothing changes a field of this form after it is built."""

    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


class DisclosureFilterForm(forms.Form):
    def clean_region(self) -> list[int] | None:
        """The ids of the region's bureaus (the bureau of the code and those below it)."""
        code = (self.cleaned_data.get("region") or "").strip()
        if not code:
            return None
        ids = region_bureau_ids(code=code)
        if not ids:
            raise forms.ValidationError(_("There is no region with this code."))
        return ids

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            self.add_error("published_to", _("The end of the date range is before its start."))
        return cleaned


class DisclosureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, licence, certificate or credit code"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
    )
    region = django_filters.CharFilter(
        label=_("Region"),
        method="filter_region",
        help_text=_("Six-digit division code; a province includes its cities and counties."),
    )
    ground = django_filters.ChoiceFilter(label=_("Ground"), choices=Ground.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    subject_type = django_filters.ChoiceFilter(
        label=_("Operator or practitioner"), choices=SubjectType.choices
    )
    published_from = django_filters.DateFilter(
        label=_("Published from"), field_name="public_from", lookup_expr="gte"
    )
    published_to = django_filters.DateFilter(
        label=_("Published until"), field_name="public_from", lookup_expr="lte"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("name", _("Name")),
        ],
        empty_label=None,
    )

    class Meta:
        model = BadRecord
        fields: list[str] = []
        form = DisclosureFilterForm

    # django-filter builds a new form class, with new fields, for each request; the fields
    # are the same every time (lazy labels) and every form instance copies them anyway.
    _form_classes: dict[type, type[forms.Form]] = {}

    def get_form_class(self) -> type[forms.Form]:
        form_class = self._form_classes.get(type(self))
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)
            self._form_classes[type(self)] = form_class
        return form_class

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return public_search(queryset, value)

    def filter_region(self, queryset: QuerySet, name: str, value: list[int]) -> QuerySet:
        # The form turned the code into its bureaus' ids; an unknown code is an error, not no
        # rows. A literal list of ids (a province has about a hundred): with it PostgreSQL
        # estimates the rows well, with a path subquery it guesses one row.
        return queryset.filter(filing_bureau_id__in=value)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            queryset = super().qs
            if not getattr(self.form, "cleaned_data", {}).get("sort"):
                queryset = queryset.order_by(*SORTS["newest"])
            self._qs = queryset
        return self._qs


class _CopiedFilters(dict):
    """The filter set's filters, each copied for an instance (django-filter sets the
    instance as their parent) but not deep-copied: their choices and labels are never
    changed, and deep-copying them cost a tenth of a filtered API request's Python."""

    def __deepcopy__(self, memo: dict) -> dict:
        copies = {}
        for name, original in self.items():
            copied = copies[name] = copy.copy(original)
            if original.method:  # binds the copy's own method caller (to its own parent)
                copied.method = original.method
        return copies


DisclosureFilter.base_filters = _CopiedFilters(DisclosureFilter.base_filters)
