from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import Import


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of records (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ConfirmForm(forms.Form):
    create_as = forms.ChoiceField(
        label=_("Create the records as"),
        choices=Import.CreateAs.choices,
        initial=Import.CreateAs.DRAFT,
        widget=forms.RadioSelect,
    )


class EvidenceZipForm(forms.Form):
    file = forms.FileField(
        label=_("ZIP of evidence files"),
        help_text=_(
            "Each file's name starts with the row's reference, e.g. 12-decision.pdf for the "
            "row whose reference is 12."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
