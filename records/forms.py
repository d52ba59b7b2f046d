"""Admin forms. Each one asks the service layer's clean function for the rules, so a rule is
written once; the form only maps the service's field errors onto its fields."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.errors import add_service_errors
from kernel.uploads import check_upload
from records.models import BadRecord, Evidence, Operator, Practitioner, SubjectType
from records.services.bad_records import (
    CORRECTABLE_FIELDS,
    DRAFT_FIELDS,
    LATE_REASON_MAX_LENGTH,
    record_clean,
)
from records.services.subjects import (
    OPERATOR_FIELDS,
    PRACTITIONER_FIELDS,
    operator_clean,
    practitioner_clean,
)


class ServiceCleanedForm(forms.ModelForm):
    """A ModelForm whose clean() runs a service-layer clean function."""

    def service_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        try:
            normalised = self.service_clean(cleaned)
        except ValidationError as error:
            add_service_errors(self, error)
            return cleaned
        for field, value in normalised.items():
            if field in self.fields:
                cleaned[field] = value
        return cleaned


class BadRecordForm(ServiceCleanedForm):
    class Meta:
        model = BadRecord
        fields = list(DRAFT_FIELDS)
        widgets = {"subject_type": forms.RadioSelect}
        help_texts = {
            "obtained_on": _(
                "Leave empty when it is the decision date. The publication "
                "deadline is counted in working days from this date."
            ),
            "period_years": _("Two years unless a law or regulation provides otherwise."),
            "internal_note": _("For staff only; never published."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "subject_type" in self.fields:
            cast(forms.ChoiceField, self.fields["subject_type"]).choices = SubjectType.choices
            self.fields["subject_type"].initial = SubjectType.OPERATOR
        for optional in ("obtained_on", "period_years"):
            if optional in self.fields:  # absent when the admin shows the record read-only
                self.fields[optional].required = False

    def service_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        return record_clean(data=data, instance=self.instance if self.instance.pk else None)


class OperatorForm(ServiceCleanedForm):
    class Meta:
        model = Operator
        fields = list(OPERATOR_FIELDS)

    def service_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        return operator_clean(data=data, instance=self.instance if self.instance.pk else None)


class PractitionerForm(ServiceCleanedForm):
    class Meta:
        model = Practitioner
        fields = list(PRACTITIONER_FIELDS)

    def service_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        return practitioner_clean(data=data, instance=self.instance if self.instance.pk else None)


class EvidenceUploadForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["file"]
        # The admin shows this form as a table row, with no <label>: the input names itself.
        widgets = {
            "file": forms.FileInput(
                attrs={
                    "accept": ".pdf,.jpg,.jpeg,.png",
                    "aria-label": _("Evidence file (PDF, JPEG or PNG)"),
                }
            )
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


# Forms of the transition pages.


class PublishForm(forms.Form):
    public_from = forms.DateField(
        label=_("Publication starts on"),
        required=False,
        help_text=_("Leave empty to publish today; a later date schedules the publication."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    late_reason = forms.CharField(
        label=_("Reason for the late publication"),
        required=False,
        max_length=LATE_REASON_MAX_LENGTH,
        help_text=_(
            "Required when publication starts after the deadline; it is kept with the record "
            "and shown in the accountability report."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, record: BadRecord | None = None) -> None:
        super().__init__(data)
        if record is not None:
            # The reviewer sees the deadline where the reason is asked for.
            self.fields["late_reason"].help_text = _(
                "This record's publication deadline is %(deadline)s. Required when publication "
                "starts after it; the reason is kept with the record and shown in the "
                "accountability report."
            ) % {"deadline": record.publish_deadline.isoformat()}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the filer must change"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ConfirmForm(forms.Form):
    """Submitting a draft needs no input beyond the confirmation itself."""


def correction_form_class(record: BadRecord) -> Callable[..., forms.ModelForm]:
    """A form of the correctable fields, filled with the record's current values."""
    allowed = [
        f
        for f in CORRECTABLE_FIELDS
        if not (
            (f == "licence_no" and record.subject_type == "practitioner")
            or (f == "certificate_no" and record.subject_type == "operator")
        )
    ]

    class CorrectionForm(forms.ModelForm):
        reason = forms.CharField(
            label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3})
        )

        class Meta:
            model = BadRecord
            fields = [f for f in allowed if BadRecord._meta.get_field(f).editable]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in allowed:
                if name not in self.fields:
                    # Only concrete model fields are correctable (names from the published list).
                    model_field = cast("models.Field[Any, Any]", BadRecord._meta.get_field(name))
                    self.fields[name] = forms.CharField(
                        label=model_field.verbose_name,
                        required=name == "subject_name",
                        initial=getattr(record, name),
                        max_length=model_field.max_length,
                    )
            self.order_fields([*allowed, "reason"])

        def _post_clean(self) -> None:
            # The service checks the correction; the model's own validation would judge the
            # unchanged record, not the correction.
            pass

    return CorrectionForm
