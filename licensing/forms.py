"""Forms for the officer pages. They only draw fields and carry values: the rules live in
licensing.inputs.clean_check_input, shared with the API and batch files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from licensing.models import ApplicantKind, ApplicationType, Conclusion


class CheckForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code (company)"), max_length=40, required=False
    )
    licence_no = forms.CharField(label=_("Licence number (company)"), max_length=60, required=False)
    identity_number = forms.CharField(
        label=_("Resident identity number (person)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    certificate_no = forms.CharField(
        label=_("Certificate number (person)"), max_length=60, required=False
    )
    legal_representative = forms.CharField(
        label=_("Legal representative (company, optional)"),
        help_text=_("A name, optionally followed by the identity number."),
        max_length=200,
        required=False,
    )
    principal_persons = forms.CharField(
        label=_("Principal persons (company, optional)"),
        help_text=_("One a line: a name, optionally followed by the identity number."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    application_type = forms.ChoiceField(
        label=_("Application type"), choices=ApplicationType.choices
    )
    application_ref = forms.CharField(label=_("Application reference number"), max_length=100)


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class BatchForm(forms.Form):
    file = forms.FileField(
        label=_("File of applicants (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
