"""Forms of measures and leads. Each asks the service layer's clean function for the rules,
so a rule is written once; the form only maps the service's field errors onto its fields."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from archive.forms import MultipleFileField, bureau_choices
from kernel.errors import add_service_errors
from kernel.uploads import check_upload
from records.models import Bureau, Ground, User
from supervision.models import MeasureKind, RectificationResult, SupervisionMeasure
from supervision.services.measures import MAX_ATTACHMENTS, measure_clean

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureFieldsMixin(forms.Form):
    records = forms.CharField(
        label=_("records concerned"),
        help_text=_("Their references, e.g. TR00000012; several separated by commas."),
    )

    user: User

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            normalised = measure_clean(by=self.user, data=cleaned)
        except ValidationError as error:
            add_service_errors(self, error)
            return cleaned
        cleaned.update({k: v for k, v in normalised.items() if k != "records"})
        return cleaned


class MeasureForm(MeasureFieldsMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("attachments"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each."),
    )

    class Meta:
        model = SupervisionMeasure
        fields = [
            "kind",
            "taken_on",
            "officers",
            "findings",
            "requirements",
            "due_on",
            "due_in_working_days",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "taken_on": DATE,
            "due_on": DATE,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "requirements": _("Rectification orders only: what the subject must rectify."),
            "due_on": _("Rectification orders: a calendar date, or give working days below."),
            "due_in_working_days": _("Counted on the official working-day calendar."),
        }

    field_order = ["records", "kind", "taken_on", "officers", "findings"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = MeasureKind.choices

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(n)d files can be attached at once.") % {"n": MAX_ATTACHMENTS}
            )
        problems = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                problems.append(f"{upload.name}: {' '.join(error.messages)}")
        if problems:
            raise ValidationError(problems)
        return list(uploads)


class LeadMeasureForm(forms.Form):
    """The measure an accepted lead becomes; the service checks it (its errors are shown on
    the decision page)."""

    records = MeasureFieldsMixin.base_fields["records"]
    kind = forms.ChoiceField(label=_("kind"), choices=MeasureKind.choices, widget=forms.RadioSelect)
    taken_on = forms.DateField(label=_("date"), widget=DATE)
    officers = forms.CharField(label=_("officers"), max_length=300)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(
        label=_("rectification requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(label=_("rectification due date"), required=False, widget=DATE)
    due_in_working_days = forms.IntegerField(
        label=_("due in working days"), required=False, min_value=1, max_value=365
    )


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=RectificationResult.choices, widget=forms.RadioSelect
    )
    result_on = forms.DateField(label=_("Date of the follow-up"), widget=DATE)
    note = forms.CharField(label=_("What the follow-up found"), widget=forms.Textarea)


class RecordStartForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices, initial=Ground.G7)


class LeadRecordForm(RecordStartForm):
    identifier = forms.CharField(
        label=_("Credit code, licence or certificate number of the subject"), max_length=40
    )
    field_order = ["identifier", "ground"]


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("transfer", _("Transfer to another bureau")),
            ("not_accept", _("Do not accept")),
        ],
        widget=forms.RadioSelect,
    )
    to_bureau = forms.TypedChoiceField(
        label=_("Transfer to"),
        coerce=int,
        required=False,
        help_text=_("Only when transferring."),
    )
    reason = forms.CharField(
        label=_("Answer to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when transferring or not accepting; the reporter reads it."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For staff only; never shown to the reporter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["to_bureau"])
        field.choices = [("", "—"), *bureau_choices()]


class LeadForm(forms.Form):
    """The public lead form: no account; every field's rule is in the service."""

    subject_name = forms.CharField(label=_("Name of the operator or practitioner"))
    subject_identifiers = forms.CharField(
        label=_("Licence, certificate number or credit code (if known)"), required=False
    )
    bureau = forms.TypedChoiceField(
        label=_("Region where it happened"),
        coerce=int,
        help_text=_("The tourism bureau of this region receives the lead."),
    )
    happened_on = forms.DateField(label=_("When it happened"), widget=DATE)
    what_happened = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments (if any)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each."),
    )
    contact = forms.CharField(
        label=_("Your phone number or e-mail address (optional)"),
        required=False,
        help_text=_("Seen only by the staff of the bureau handling the lead."),
    )
    wants_reply = forms.BooleanField(label=_("I would like a reply"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["bureau"])
        field.choices = [("", "—"), *bureau_choices()]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        bureau_id = data.get("bureau")
        data["bureau"] = Bureau.objects.filter(pk=bureau_id).first() if bureau_id else None
        data.pop("attachments", None)
        return data
